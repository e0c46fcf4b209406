"""Importing an action matrix from a spreadsheet, for people: choose the file, read the dry run
(the columns as mapped, each row's outcome, the parties not found), then confirm it. The file is
kept in the confirming form itself (nothing is held on the server between the two steps), and
the confirmation carries the dry run's plan: if the records changed in between, it is refused and
the dry run is shown again."""

import base64
import binascii
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.web.forms import value
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor, recorder
from domain.errors import InvalidValue

router = APIRouter(prefix="/agreements")
STATUSES = ("draft", "agreed", "noted")


def _form(
    request: Request, visitor: SignedInVisitor, services: Services, agreement_id: UUID, status: int = 200, **values: Any
) -> HTMLResponse:
    tracker = services.tracker
    agreement = tracker.agreements.get(agreement_id)
    shown = {"report": None, "refusal": None, "chosen": {}, "kept": "", "kept_name": "", **values}
    return page(
        request,
        visitor,
        "import_matrix.html",
        status,
        a=agreement,
        meeting=tracker.meetings.get(agreement.meeting_id),
        import_statuses=STATUSES,
        **shown,
    )


@router.get("/{agreement_id}/import", response_class=HTMLResponse, name="import_matrix")
def import_form(agreement_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    recorder(visitor)
    return _form(request, visitor, services, agreement_id)


def kept_file(form: Any) -> tuple[bytes, str]:
    """The spreadsheet chosen, or (on confirming) the one the dry run read, kept in the form."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return upload.file.read(), upload.filename
    kept, name = value(form, "content"), value(form, "name")
    if kept is None or name is None:
        raise InvalidValue("choose a CSV or XLSX file", "file")
    try:
        return base64.b64decode(kept, validate=True), name
    except (binascii.Error, ValueError):
        raise InvalidValue("the kept file is damaged: choose the file again", "file") from None


@router.post("/{agreement_id}/import", response_class=HTMLResponse)
def import_matrix(
    agreement_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    actor = recorder(visitor)
    choices = {"language": value(form, "language") or "en", "status": value(form, "status") or "draft"}
    confirmed = value(form, "apply") == "yes"

    def run() -> Response:
        data, name = kept_file(form)
        table = services.spreadsheets.read(data, name)
        report = services.imports.run(
            actor,
            agreement_id,
            table,
            dry_run=not confirmed,
            language=choices["language"],
            status=choices["status"],
            expected_plan=value(form, "plan") if confirmed else None,
        )
        return _form(
            request,
            visitor,
            services,
            agreement_id,
            200 if report.stopped is None else 503,
            report=report,
            kept=base64.b64encode(data).decode("ascii"),
            kept_name=name,
            chosen=choices,
        )

    return attempt(
        run,
        lambda status, refusal: _form(
            request, visitor, services, agreement_id, status, refusal=refusal, chosen=choices
        ),
    )
