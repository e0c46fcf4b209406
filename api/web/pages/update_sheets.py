"""A party's update sheet, for people: download it from the party's page, fill it in, bring it back, read the
dry run (each row's changes, or why the lifecycle refuses them), then confirm it. The file is kept in the
confirming form itself, as the matrix import keeps it (``api.web.pages.imports``)."""

import base64
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import update_sheets
from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.web.forms import value
from api.web.page import attempt, page
from api.web.pages.imports import kept_file
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor

router = APIRouter(prefix="/parties")


def _page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    party_id: UUID,
    status: int = 200,
    **values: object,
) -> HTMLResponse:
    shown = {"report": None, "refusal": None, "kept": "", "kept_name": "", **values}
    return page(request, visitor, "update_sheet.html", status, p=services.tracker.parties.get(party_id), **shown)


@router.get("/{party_id}/update-sheet.xlsx", name="update_sheet_file")
def update_sheet_file(party_id: UUID, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The party's update sheet, in the reader's language."""
    return update_sheets.party_sheet(services, visitor.principal, party_id, visitor.language)


@router.get("/{party_id}/update-sheet", response_class=HTMLResponse, name="update_sheet")
def update_sheet_form(party_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return _page(request, visitor, services, party_id)


@router.post("/{party_id}/update-sheet", response_class=HTMLResponse)
def update_sheet(
    party_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    confirmed = value(form, "apply") == "yes"

    def run() -> Response:
        data, name = kept_file(form)
        table = services.spreadsheets.read(data, name)
        report = services.update_sheets.run(visitor.principal, table, dry_run=not confirmed)
        kept = base64.b64encode(data).decode("ascii")
        return _page(request, visitor, services, party_id, report=report, kept=kept, kept_name=name)

    return attempt(run, lambda status, refusal: _page(request, visitor, services, party_id, status, refusal=refusal))
