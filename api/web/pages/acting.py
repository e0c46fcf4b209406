"""A focal point's links from its e-mail (``application.participation.focal_points``): no sign-in, the signed
link is the credential. Opening a link shows that commitment, in the contact's language, and the form of its
action; it changes nothing (mail scanners open links). Only posting the form acts, once."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from api import problems
from api.dependencies import ServicesDep
from api.web.forms import Kept, number, value
from api.web.labels import N_
from api.web.page import attempt, error_page, page
from api.web.visitors import LinkFormDep, Visitor, VisitorDep, in_their_language
from application.participation.focal_points import LinkedCommitment, LinkForm
from domain.errors import InvalidValue

router = APIRouter(prefix="/act")


def _day(form: FormData, name: str) -> date | None:
    written = value(form, name)
    if written is None:
        return None
    try:
        return date.fromisoformat(written)
    except ValueError:
        raise InvalidValue("write a day as YYYY-MM-DD", name) from None


def _form(form: FormData) -> LinkForm:
    return LinkForm(
        note=value(form, "note"),
        percent=number(form, "percent"),
        evidence_url=value(form, "evidence_url"),
        evidence_title=value(form, "evidence_title"),
        due=value(form, "due"),
        reason=value(form, "reason"),
        delivered_on=_day(form, "delivered_on"),
        text=value(form, "text"),
        evidence_file=_file(form, "evidence_file"),
    )


def _file(form: FormData, name: str) -> tuple[str, bytes] | None:
    sent = form.get(name)
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    return sent.filename, sent.file.read()


def _page(
    request: Request,
    visitor: Visitor,
    token: str,
    linked: LinkedCommitment,
    status: int = 200,
    done: bool = False,
    refusal: dict[str, object] | None = None,
    form: FormData | None = None,
) -> HTMLResponse:
    return page(
        request,
        in_their_language(visitor, linked.contact),
        "act.html",
        status,
        token=token,
        linked=linked,
        c=linked.commitment,
        done=done,
        refusal=refusal,
        form=Kept(form),
    )


def _refused(request: Request, visitor: Visitor, status: int, refusal: object) -> HTMLResponse:
    return error_page(request, visitor, status, N_("This link does not work"), refusal)


@router.get("/{token}", response_class=HTMLResponse, name="act_by_link")
def link_page(token: str, request: Request, visitor: VisitorDep, services: ServicesDep) -> Response:
    focal_points = services.focal_points
    return attempt(
        lambda: _page(request, visitor, token, focal_points.open(token)),
        lambda status, refusal: _refused(request, visitor, status, refusal),
    )


@router.post("/{token}", response_class=HTMLResponse)
def act_by_link(
    token: str, request: Request, visitor: VisitorDep, form: LinkFormDep, services: ServicesDep
) -> Response:
    focal_points = services.focal_points

    def carried_out() -> Response:
        return _page(request, visitor, token, focal_points.act(token, _form(form)), done=True)

    def refused(status: int, refusal: dict[str, object]) -> Response:
        try:
            linked = focal_points.open(token)
        except problems.HANDLED:  # the link itself no longer works: say why
            return _refused(request, visitor, status, refusal)
        return _page(request, visitor, token, linked, status, refusal=refusal, form=form)

    return attempt(carried_out, refused)
