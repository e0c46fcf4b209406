from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.dependencies import CatalogueDep, ReaderDep, ServicesDep, TrackerDep, WriterDep
from api.responses import created, page, resource
from api.routers.common import CursorQuery, LimitQuery, ManyQuery, SearchQuery, VersionQuery, history, many
from api.schemas import PartyCreate
from application.queries import PartyFilter
from application.views import PartyView
from domain.party import Party

router = APIRouter(prefix="/parties", tags=["parties"])


@router.post("", status_code=201, response_model=PartyView)
def register_party(
    body: PartyCreate, request: Request, services: ServicesDep, principal: WriterDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request, services, principal, body,
        lambda _: tracker.register_party(principal.id, body.names.input(), body.acronym, body.kind, body.parent_id),
        lambda chosen: tracker.get_party(chosen, version=1),
    )


@router.get("")
def list_parties(
    catalogue: CatalogueDep, _: ReaderDep, kind: ManyQuery = [], parent: UUID | None = None,  # noqa: B006
    q: SearchQuery = None, cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> JSONResponse:
    """Parties in the order they were registered; filter by kind, parent, or words of their names."""
    return page(catalogue.find_parties(PartyFilter.of(many(kind), q, limit, parent=parent, cursor=cursor)))


@router.get("/{party_id}", response_model=PartyView)
def get_party(party_id: UUID, tracker: TrackerDep, _: ReaderDep, version: VersionQuery = None) -> JSONResponse:
    return resource(tracker.get_party(party_id, version))


@router.get("/{party_id}/history")
def party_history(party_id: UUID, tracker: TrackerDep, _: ReaderDep) -> JSONResponse:
    return history(party_id, tracker.history(Party, party_id))
