"""Meetings: the list, and one meeting with its participants, documents (and the form that adds one, a file
with it), agreements and matrix rows, commitments and follow-ups, timeline, and the form that records it as
held."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.bootstrap import Services
from api.dependencies import (
    ServicesDep,
    TrackerDep,
)
from api.responses import download
from api.schemas import DocumentIn, PeriodIn, RhythmIn
from api.web.forms import Kept, checked, number, value
from api.web.page import attempt, page
from api.web.pages.recurrences import state_from_meeting
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor, recorder
from application.errors import NotFound
from application.listing.queries import (
    AgreementFilter,
    CommitmentFilter,
    MeetingFilter,
    PartyFilter,
    RollupScope,
)
from domain.errors import InvalidValue

router = APIRouter(prefix="/meetings")


@router.get("", response_class=HTMLResponse, name="meetings")
def meeting_list(request: Request, visitor: SignedInDep, services: ServicesDep, tracker: TrackerDep) -> HTMLResponse:
    params = request.query_params
    found = services.lists.meetings(
        visitor.principal,
        MeetingFilter.of(q=value(params, "q"), series=value(params, "series"), cursor=value(params, "cursor")),
    )
    return page(request, visitor, "meetings.html", found=found, params=params)


@router.get("/{meeting_id}", response_class=HTMLResponse, name="meeting")
def meeting(meeting_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return meeting_page(request, visitor, services, meeting_id)


def meeting_page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    meeting_id: UUID,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
) -> HTMLResponse:
    tracker = services.tracker
    view = tracker.meetings.get(meeting_id)
    agreements = services.lists.agreements(visitor.principal, AgreementFilter.of(meeting=meeting_id, limit=200)).items
    made = services.lists.commitments(visitor.principal, CommitmentFilter(meeting=meeting_id, limit=200)).items
    events, total = services.lists.meeting_timeline(visitor.principal, meeting_id, 0, 100)
    series = None
    if view.series is not None:
        try:
            series = tracker.series.get(view.series)
        except NotFound:  # named by the meeting, opened when it is held or awaited
            series = None
    rules = dict.fromkeys(c["provenance"]["recurrence_id"] for c in made if c["provenance"].get("recurrence_id"))
    return page(
        request,
        visitor,
        "meeting.html",
        status,
        m=view,
        agreements=agreements,
        commitments=made,
        timeline=events,
        timeline_total=total,
        series=series,
        rollup=services.figures.rollup(RollupScope(meeting=meeting_id)),
        recurrences=[tracker.recurrences.get(rule_id) for rule_id in rules],
        refusal=refusal,
        form=Kept(refusal.get("form") if refusal else None),
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
    )


@router.post("/{meeting_id}/recurrences", name="state_recurrence")
def state_recurrence(
    meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """State a recurring commitment made at the meeting: its occurrences are generated, and its page shown."""

    def stated() -> Response:
        return RedirectResponse(state_from_meeting(meeting_id, request, visitor, form, services), status_code=303)

    return attempt(
        stated,
        lambda status, refusal: meeting_page(request, visitor, services, meeting_id, status, refusal | {"form": form}),
    )


@router.post("/{meeting_id}/series-rhythm", name="series_rhythm")
def series_rhythm(
    meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, tracker: TrackerDep
) -> Response:
    """State how often the meeting's series meets (or, with ``stop``, that it states no rhythm any more)."""
    actor = recorder(visitor)
    view = tracker.meetings.get(meeting_id)
    if view.series is None:
        raise InvalidValue("the meeting has no series", "series")
    if value(form, "stop"):
        tracker.series.stop_rhythm(view.series, actor)
    else:
        rhythm = checked(
            RhythmIn, {"organiser_party_id": value(form, "organiser_party_id"), "every": value(form, "every")}
        )
        tracker.series.state_rhythm(view.series, actor, rhythm.organiser_party_id, every=rhythm.every)
    return RedirectResponse(
        f"{request.scope.get('root_path', '')}/meetings/{meeting_id}?done=rhythm#series-title", status_code=303
    )


@router.post("/{meeting_id}/documents", name="add_document")
def add_document(
    meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A document of the meeting, as ``POST /meetings/{id}/documents`` takes it; a file chosen is sent first,
    as ``POST /files`` sends it. Its words, when none are given, are its title."""
    actor = recorder(visitor)

    def added() -> Response:
        upload = form.get("file")
        cited = None
        if isinstance(upload, UploadFile) and upload.filename:
            kept = services.files.keep(actor, upload.filename, upload.file.read())
            cited = {"sha256": kept.sha256, "name": kept.name}
        title = value(form, "title")
        fields = {"title": title, "language": value(form, "language"), "url": value(form, "url"), "file": cited}
        document = checked(DocumentIn, fields | {"text": value(form, "text") or title})
        services.tracker.meetings.add_document(meeting_id, actor, document.input())
        base = request.scope.get("root_path", "")
        return RedirectResponse(f"{base}/meetings/{meeting_id}?done=document#documents", status_code=303)

    return attempt(
        added,
        lambda status, refusal: meeting_page(
            request, visitor, services, meeting_id, status, refusal | {"form": form, "action": "document"}
        ),
    )


@router.get("/{meeting_id}/documents/{number}/file", name="document_file")
def document_file(meeting_id: UUID, number: int, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The file a document of the meeting cites, as ``GET /meetings/{id}/documents/{n}/file`` gives it."""
    return download(*services.tracker.meetings.document_file(meeting_id, visitor.principal, number))


@router.post("/{meeting_id}/held", name="hold")
def hold(meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, tracker: TrackerDep) -> Response:
    """Record the meeting as held on these dates: the follow-up sessions it meets become fulfilled."""
    actor = recorder(visitor)
    period = checked(PeriodIn, {"starts_on": value(form, "starts_on"), "ends_on": value(form, "ends_on")})
    tracker.meetings.hold(meeting_id, actor, period.input(), number(form, "version"))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/meetings/{meeting_id}?done=held", status_code=303)
