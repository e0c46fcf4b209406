"""Parties: the list, one party (what it leads and supports, its timeline), and the type-ahead that
finds parties by their names in every language, Arabic normalised as search normalises it."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.dependencies import CatalogueDep, ServicesDep, TrackerDep
from api.web.forms import value
from api.web.page import page
from api.web.visitors import SignedInDep
from application import lists
from application.queries import CommitmentFilter, PartyFilter

router = APIRouter(prefix="/parties")


@router.get("", response_class=HTMLResponse, name="parties")
def party_list(request: Request, visitor: SignedInDep, catalogue: CatalogueDep, tracker: TrackerDep) -> HTMLResponse:
    params = request.query_params
    found = lists.parties(tracker.histories, catalogue, PartyFilter.of(q=value(params, "q"), limit=200,
                                                                       cursor=value(params, "cursor")))
    return page(request, visitor, "parties.html", found=found, params=params)


@router.get("/suggest", response_class=HTMLResponse, name="suggest_parties")
def suggest(request: Request, visitor: SignedInDep, catalogue: CatalogueDep) -> HTMLResponse:
    """The ``<option>``s of the parties whose names hold the words typed (the type-ahead's answer)."""
    typed = value(request.query_params, "q")
    found = catalogue.find_parties(PartyFilter.of(q=typed, limit=10)).items if typed else []
    return page(request, visitor, "party_options.html", found=found)


@router.get("/{party_id}", response_class=HTMLResponse, name="party")
def party(party_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    tracker, catalogue = services.tracker, services.catalogue
    view = tracker.parties.get(party_id)
    leads = catalogue.find_commitments(CommitmentFilter(lead_party=party_id, sort="due", limit=200))
    supports = catalogue.find_commitments(CommitmentFilter(supporting_party=party_id, sort="due", limit=200))
    events, total = tracker.histories.timeline(catalogue.touched_by_party(str(party_id)), 0, 100)
    return page(request, visitor, "party.html", p=view, leads=leads, supports=supports, timeline=events,
                timeline_total=total)
