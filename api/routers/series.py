"""Meeting series: how often one meets (its rhythm), the sessions held and the follow-ups awaited."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import IfMatchDep, ReaderDep, TrackerDep, WriterDep
from api.responses import resource
from api.routers.common import CursorQuery, HistoryLimit, history
from api.schemas import History, RhythmIn
from application.views import SeriesView

router = APIRouter(prefix="/series", tags=["meetings"])


@router.get("/{slug}", response_model=SeriesView)
def get_series(slug: str, tracker: TrackerDep, _: ReaderDep) -> JSONResponse:
    """A series named by a meeting or a follow-up: its rhythm, its sessions held, the follow-ups it awaits."""
    return resource(tracker.series.get(slug))


@router.get("/{slug}/history", response_model=History)
def series_history(
    slug: str, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    """The series' events, oldest first: its rhythm stated and stopped, sessions held, follow-ups awaited."""
    series = tracker.series.get(slug)
    return history(series.id, lambda after, n: tracker.series.history(slug, after, n), cursor, limit)


@router.put("/{slug}/rhythm", response_model=SeriesView)
def state_rhythm(
    slug: str, body: RhythmIn, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """The series meets every so many months: when one of its sessions is held and no follow-up awaits
    the next, a follow-up session is generated, due by the end of the window and led by the organiser."""
    return resource(
        tracker.series.state_rhythm(slug, principal, body.organiser_party_id, body.every_months, body.every, version)
    )


@router.delete("/{slug}/rhythm", response_model=SeriesView)
def stop_rhythm(slug: str, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep) -> JSONResponse:
    """No session of the series is expected by itself any more; the follow-ups generated stay as they are."""
    return resource(tracker.series.stop_rhythm(slug, principal, version))
