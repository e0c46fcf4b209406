"""An agreement: its text, its matrix rows and the commitments made of each, with their progress."""

from collections import defaultdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import iati
from api.dependencies import ServicesDep
from api.web.page import page
from api.web.pages.publishing import publication_of
from api.web.visitors import SignedInDep
from application.listing.queries import CommitmentFilter, RollupScope

router = APIRouter(prefix="/agreements")


def by_row(commitments: list[dict[str, Any]]) -> dict[int | None, list[dict[str, Any]]]:
    """The commitments of an agreement by the number of the matrix row they were made of."""
    rows: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for commitment in commitments:
        rows[commitment["provenance"].get("row_number")].append(commitment)
    return rows


@router.get("/{agreement_id}/iati", name="agreement_iati")
def agreement_iati(agreement_id: UUID, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The agreement's commitments as IATI 2.03 activities, as ``GET /agreements/{id}/iati`` answers them."""
    return iati.download(services, agreement_id)


@router.get("/{agreement_id}", response_class=HTMLResponse, name="agreement")
def agreement(agreement_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    tracker = services.tracker
    view = tracker.agreements.get(agreement_id)
    made = services.lists.commitments(visitor.principal, CommitmentFilter(agreement=agreement_id, limit=200))
    return page(
        request,
        visitor,
        "agreement.html",
        a=view,
        meeting=tracker.meetings.get(view.meeting_id),
        rows=by_row(made.items),
        commitments=made.items,
        rollup=services.figures.rollup(RollupScope(agreement=agreement_id)),
        publication=publication_of(services, "agreement", str(agreement_id)),
    )
