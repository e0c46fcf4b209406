"""Recurring commitments: a rule that generates its occurrences ("report every six months until 2028"),
its schedule changed (regenerating only the occurrences still open to it) or ended, and its history.
Each occurrence is a commitment of its own, changed at ``/commitments/{id}``."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.dependencies import AnyWriterDep, IdempotencyKeyDep, IfMatchDep, ReaderDep, ServicesDep, TrackerDep
from api.responses import created, resource
from api.routers.common import CursorQuery, HistoryLimit, VersionQuery, history
from api.schemas import History, Reasoned, RecurrenceCreate, ScheduleChange
from application.views import RecurrenceView

router = APIRouter(prefix="/recurrences", tags=["commitments"])


@router.post("", status_code=201, response_model=RecurrenceView)
def state_recurrence(
    body: RecurrenceCreate, request: Request, services: ServicesDep, principal: AnyWriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    """State the rule: one commitment is generated per occurrence (those already past too: they are
    overdue until reported on), each pointing back to the rule in ``provenance.recurrence_id``."""
    tracker = services.tracker
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda chosen: tracker.recurrences.state(principal, recurrence_id=chosen, **body.inputs()),
        lambda chosen: tracker.recurrences.get(chosen, version=1),
    )


@router.get("/{recurrence_id}", response_model=RecurrenceView)
def get_recurrence(
    recurrence_id: UUID, tracker: TrackerDep, _: ReaderDep, version: VersionQuery = None
) -> JSONResponse:
    """The rule (now, or at a ``version``) and its occurrences as they stand now, in the order of their dues."""
    return resource(tracker.recurrences.get(recurrence_id, version))


@router.get("/{recurrence_id}/history", response_model=History)
def recurrence_history(
    recurrence_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    """The rule's events, oldest first: stated, each change of its schedule (with its reason and the
    occurrences it moved, withdrew and added), ended."""
    return history(recurrence_id, lambda after, n: tracker.recurrences.history(recurrence_id, after, n), cursor, limit)


@router.put("/{recurrence_id}/schedule", response_model=RecurrenceView)
def reschedule(
    recurrence_id: UUID, body: ScheduleChange, tracker: TrackerDep, principal: AnyWriterDep, version: IfMatchDep
) -> JSONResponse:
    """A new schedule, with a reason (what is not given stays). Only the occurrences due in the future
    with nothing reported on them change: they move to the new days, or are cancelled if the new
    schedule has none for them; new ones are generated for the days left. The others stay as they are."""
    return resource(
        tracker.recurrences.reschedule(
            recurrence_id, principal, body.reason, body.every_months, body.every, body.first_due, body.until, version
        )
    )


@router.post("/{recurrence_id}/end", response_model=RecurrenceView)
def end_recurrence(
    recurrence_id: UUID, body: Reasoned, tracker: TrackerDep, principal: AnyWriterDep, version: IfMatchDep
) -> JSONResponse:
    """Nothing more is generated, with a reason: the occurrences due in the future with nothing reported
    on them are cancelled; the others stay as they are."""
    return resource(tracker.recurrences.end(recurrence_id, principal, body.reason, version))
