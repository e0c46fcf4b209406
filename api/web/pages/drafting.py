"""Drafting a record from a meeting report, for people: paste the report, review what was found
(each proposal with its quote and confidence), edit the draft, confirm it or discard it.

The draft lives in the page's form (nothing is held on the server before confirmation, so
discarding it is leaving it); the confirming form is read back into the same confirmation that
``POST /drafts/confirm`` takes, and the same use case records it."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dependencies import ServicesDep
from api.routers.drafts import Confirmation
from api.web.forms import checked, due, number, value, values
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor, recorder
from domain.errors import InvalidValue
from domain.meetings.agreement import AgreementKind
from domain.meetings.meeting import MeetingKind, ParticipantRole
from domain.parties.party import PartyKind

router = APIRouter(prefix="/drafts")


def _show(request: Request, visitor: SignedInVisitor, status: int = 200, **values: Any) -> HTMLResponse:
    shown = {
        "draft": None,
        "conf": None,
        "options": [],
        "refusal": None,
        "sent": {},
        "meeting_kinds": [k.value for k in MeetingKind],
        "party_kinds": [k.value for k in PartyKind],
        "agreement_kinds": [k.value for k in AgreementKind],
        "roles": [r.value for r in ParticipantRole],
        **values,
    }
    return page(request, visitor, "draft.html", status, **shown)


@router.get("", response_class=HTMLResponse, name="drafts")
def start(request: Request, visitor: SignedInDep) -> HTMLResponse:
    recorder(visitor)
    return _show(request, visitor)


def _options(draft: dict[str, Any]) -> list[tuple[str, str]]:
    """The parties a draft's forms may name: those found in the report, known or new."""
    return [(p["value"]["ref"], p["value"].get("acronym") or p["value"]["name"]) for p in draft["parties"]]


@router.post("", response_class=HTMLResponse)
def read(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    recorder(visitor)
    sent = {"text": value(form, "text") or "", "published_on": value(form, "published_on") or ""}

    def found() -> Response:
        try:
            published = date.fromisoformat(sent["published_on"])
        except ValueError:
            raise InvalidValue("the day the report was published, as 2024-07-11", "published_on") from None
        draft = services.drafts.read(sent["text"], published)
        return _show(request, visitor, draft=draft, conf=draft["confirmation"], options=_options(draft), sent=sent)

    return attempt(found, lambda status, refusal: _show(request, visitor, status, refusal=refusal, sent=sent))


def _kept(form: Any, prefix: str, count: str) -> list[int]:
    return [i for i in range(min(number(form, count) or 0, 200)) if value(form, f"{prefix}{i}_keep") == "yes"]


def confirmation_of(form: Any) -> dict[str, Any]:
    """The confirmation a draft's form holds (the rows left unticked are left out)."""
    language = value(form, "language") or "en"

    def promise(prefix: str) -> dict[str, Any]:
        agreement = number(form, f"{prefix}_agreement")
        return {
            "text": {language: value(form, f"{prefix}_text") or ""},
            "quote": value(form, f"{prefix}_quote"),
            "lead": value(form, f"{prefix}_lead"),
            "partners": values(form, f"{prefix}_partners"),
            "due": due(form, f"{prefix}_due_"),
            "agreement": agreement,
        }

    agreements = _kept(form, "a", "n_a")
    renumbered = {old: new for new, old in enumerate(agreements)}
    commitments = []
    for i in _kept(form, "c", "n_c"):
        item = promise(f"c{i}")
        item["agreement"] = renumbered.get(item["agreement"]) if item["agreement"] is not None else None
        commitments.append(item)
    follow_ups = [
        promise(f"f{i}")
        | {"series": value(form, f"f{i}_series"), "session_number": number(form, f"f{i}_session"), "agreement": None}
        for i in _kept(form, "f", "n_f")
    ]
    return {
        "text": value(form, "text") or "",
        "published_on": value(form, "published_on"),
        "language": language,
        "status": value(form, "status") or "draft",
        "document_title": value(form, "document_title"),
        "parties": [
            {
                "ref": value(form, f"p{i}_ref"),
                "acronym": value(form, f"p{i}_acronym"),
                "name": value(form, f"p{i}_name") or "",
                "kind": value(form, f"p{i}_kind") or "other",
            }
            for i in _kept(form, "p", "n_p")
        ],
        "meeting": {
            "kind": value(form, "m_kind"),
            "title": {language: value(form, "m_title") or ""},
            "series": value(form, "m_series"),
            "session_number": number(form, "m_session"),
            "starts_on": value(form, "m_starts_on"),
            "ends_on": value(form, "m_ends_on"),
            "venue": value(form, "m_venue"),
            "city": value(form, "m_city"),
            "country": value(form, "m_country"),
            "time_zone": value(form, "m_time_zone"),
        },
        "participants": [
            {
                "party": value(form, f"u{i}_party"),
                "role": value(form, f"u{i}_role") or "participant",
                "person": value(form, f"u{i}_person"),
            }
            for i in _kept(form, "u", "n_u")
        ],
        "agreements": [
            {
                "kind": value(form, f"a{i}_kind"),
                "title": {language: value(form, f"a{i}_title") or ""},
                "validity": (
                    {"starts_on": value(form, f"a{i}_from"), "ends_on": value(form, f"a{i}_to")}
                    if value(form, f"a{i}_from")
                    else None
                ),
                "adopted_by": values(form, f"a{i}_adopted_by"),
            }
            for i in agreements
        ],
        "commitments": commitments,
        "follow_ups": follow_ups,
    }


@router.post("/confirm", response_class=HTMLResponse)
def confirm(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    actor = recorder(visitor)
    conf = confirmation_of(form)
    options = [
        tuple(option.split("\t", 1)) for option in form.getlist("option") if isinstance(option, str) and "\t" in option
    ]  # the parties the draft's forms may name

    def record() -> Response:
        body = checked(Confirmation, conf)
        recorded = services.drafts.confirm(actor, body.plain())
        return RedirectResponse(f"{request.scope.get('root_path', '')}/meetings/{recorded.meeting_id}", status_code=303)

    return attempt(
        record,
        lambda status, refusal: _show(request, visitor, status, refusal=refusal, conf=conf, options=options, sent={}),
    )
