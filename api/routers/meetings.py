from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from api.dependencies import (
    CatalogueDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ListsDep,
    ReaderDep,
    ServicesDep,
    TrackerDep,
    WriterDep,
)
from api.problems import PROBLEM_JSON
from api.responses import created, download, latest, page, resource
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
    timeline,
)
from api.schemas import (
    DocumentIn,
    History,
    MeetingCreate,
    MeetingPage,
    MeetingPostponement,
    PeriodIn,
    Reasoned,
    Timeline,
)
from application.listing.queries import MeetingFilter, check_axis, instant
from application.views import MeetingView
from domain.meetings.meeting import Meeting

router = APIRouter(prefix="/meetings", tags=["meetings"])


@router.post("", status_code=201, response_model=MeetingView)
def record_meeting(
    body: MeetingCreate, request: Request, services: ServicesDep, principal: WriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda chosen: tracker.meetings.record(principal, meeting_id=chosen, **body.inputs()),
        lambda chosen: tracker.meetings.get(chosen, version=1),
    )


@router.get("", response_model=MeetingPage)
def list_meetings(
    listing: ListsDep,
    principal: ReaderDep,
    status: ManyQuery = [],  # noqa: B006 (FastAPI copies a query's default: never shared)
    kind: ManyQuery = [],  # noqa: B006
    series: str | None = None,
    party: UUID | None = None,
    starts_after: date | None = None,
    starts_before: date | None = None,
    q: SearchQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> JSONResponse:
    """Meetings in the order they were recorded; filter by status, kind, series, participant, dates or words
    (words of the title, series, venue and documents); ``as_of`` an instant, as they stood then."""
    return page(
        listing.meetings(
            principal,
            MeetingFilter.of(
                many(status),
                many(kind),
                q,
                limit,
                as_of,
                axis,
                series=series,
                party=party,
                starts_after=starts_after,
                starts_before=starts_before,
                cursor=cursor,
            ),
        )
    )


@router.get("/{meeting_id}", response_model=MeetingView)
def get_meeting(
    meeting_id: UUID,
    tracker: TrackerDep,
    catalogue: CatalogueDep,
    _: ReaderDep,
    version: VersionQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
) -> Response:
    """The meeting now; or at a ``version``; or ``as_of`` an instant, as it stood then."""
    if version is None and as_of is None:
        return latest(
            catalogue, tracker.histories.integrity, "meeting", meeting_id, lambda: tracker.meetings.get(meeting_id)
        )
    return resource(tracker.meetings.get(meeting_id, version, instant(as_of, "as_of"), check_axis(axis)))


@router.get("/{meeting_id}/history", response_model=History)
def meeting_history(
    meeting_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    return history(
        meeting_id,
        lambda after, n: tracker.histories.events(Meeting, meeting_id, after, n),
        cursor,
        limit,
        tracker.histories.integrity.of(str(meeting_id)),
    )


@router.post("/{meeting_id}/held", response_model=MeetingView)
def hold_meeting(
    meeting_id: UUID, body: PeriodIn, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """Record the meeting as held on these dates; follow-up sessions it meets become fulfilled."""
    return resource(tracker.meetings.hold(meeting_id, principal, body.input(), version))


@router.post("/{meeting_id}/postponed", response_model=MeetingView)
def postpone_meeting(
    meeting_id: UUID, body: MeetingPostponement, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(tracker.meetings.postpone(meeting_id, principal, body.scheduled.input(), body.reason, version))


@router.post("/{meeting_id}/cancelled", response_model=MeetingView)
def cancel_meeting(
    meeting_id: UUID, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep, body: Reasoned | None = None
) -> JSONResponse:
    return resource(tracker.meetings.cancel(meeting_id, principal, body.reason if body else None, version))


@router.post("/{meeting_id}/documents", response_model=MeetingView)
def add_document(
    meeting_id: UUID, body: DocumentIn, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(tracker.meetings.add_document(meeting_id, principal, body.input(), version))


@router.get(
    "/{meeting_id}/documents/{number}/file",
    summary="Download the file a document of the meeting cites",
    response_class=Response,
    responses={
        200: {"description": "the file's bytes, as kept", "content": {"application/octet-stream": {}}},
        404: {"description": "no such document, it cites no file, or the file is gone", "content": {PROBLEM_JSON: {}}},
    },
)
def document_file(
    meeting_id: UUID, number: Annotated[int, Path(ge=1, le=10_000)], tracker: TrackerDep, principal: ReaderDep
) -> Response:
    """The document's file (documents numbered from 1, in the order added), as kept under its SHA-256."""
    return download(*tracker.meetings.document_file(meeting_id, principal, number))


@router.get("/{meeting_id}/timeline", response_model=Timeline)
def meeting_timeline(
    meeting_id: UUID,
    listing: ListsDep,
    principal: ReaderDep,
    cursor: CursorQuery = None,
    limit: HistoryLimit = 100,
) -> JSONResponse:
    """Merged history, in the order recorded: the meeting's own events, and those of the agreements
    adopted and the commitments made at it."""
    return timeline(
        meeting_id, lambda offset, n: listing.meeting_timeline(principal, meeting_id, offset, n), cursor, limit
    )
