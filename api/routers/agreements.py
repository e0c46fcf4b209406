from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.dependencies import (
    CatalogueDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ReaderDep,
    ServicesDep,
    TrackerDep,
    WriterDep,
)
from api.responses import created, page, resource
from api.routers.common import (
    AsOfQuery,
    AxisQuery,
    CursorQuery,
    HistoryLimit,
    LimitQuery,
    ManyQuery,
    SearchQuery,
    VersionQuery,
    history,
    many,
)
from api.schemas import AgreementCreate, AgreementPage, History, RowIn
from application import lists
from application.queries import AgreementFilter, check_axis, instant
from application.views import AgreementView
from domain.agreement import Agreement

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.post("", status_code=201, response_model=AgreementView)
def adopt_agreement(
    body: AgreementCreate, request: Request, services: ServicesDep, principal: WriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request, services, principal, body, key,
        lambda chosen: tracker.agreements.adopt(principal.id, agreement_id=chosen, **body.inputs()),  # type: ignore[arg-type]
        lambda chosen: tracker.agreements.get(chosen, version=1),
    )


@router.get("", response_model=AgreementPage)
def list_agreements(
    catalogue: CatalogueDep, tracker: TrackerDep, _: ReaderDep, kind: ManyQuery = [],  # noqa: B006
    meeting: UUID | None = None, party: UUID | None = None, q: SearchQuery = None, as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded", cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> JSONResponse:
    """Agreements in the order they were recorded; filter by kind, meeting, adopting party or words;
    ``as_of`` an instant, as they stood then."""
    return page(lists.agreements(tracker.histories, catalogue, AgreementFilter.of(
        many(kind), q, limit, as_of, axis, meeting=meeting, party=party, cursor=cursor)))


@router.get("/{agreement_id}", response_model=AgreementView)
def get_agreement(agreement_id: UUID, tracker: TrackerDep, _: ReaderDep, version: VersionQuery = None,
                  as_of: AsOfQuery = None, axis: AxisQuery = "recorded") -> JSONResponse:
    """The agreement now; or at a ``version``; or ``as_of`` an instant, as it stood then."""
    return resource(tracker.agreements.get(agreement_id, version, instant(as_of, "as_of"), check_axis(axis)))


@router.get("/{agreement_id}/history", response_model=History)
def agreement_history(agreement_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None,
                      limit: HistoryLimit = 100) -> JSONResponse:
    return history(agreement_id, lambda after, n: tracker.histories.events(Agreement, agreement_id, after, n), cursor, limit)


@router.post("/{agreement_id}/rows", response_model=AgreementView)
def add_matrix_row(
    agreement_id: UUID, body: RowIn, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """Add a row (activity, lead party, partners, timeframe) to an action matrix."""
    return resource(tracker.agreements.add_row(agreement_id, principal.id, body.input(), version))
