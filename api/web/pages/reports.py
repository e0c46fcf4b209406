"""Printable status reports: each matrix row or follow-up of an agreement or of a meeting series,
its lead party, due, status, progress and latest evidence, in the reader's language, as of a date:
what a secretariat hands the working groups of the next session."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.dependencies import ServicesDep
from api.web.forms import value
from api.web.page import page
from api.web.pages.agreements import by_row
from api.web.visitors import SignedInDep
from application.listing.queries import CommitmentFilter, MeetingFilter, check_axis, instant

router = APIRouter(prefix="/reports")


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse, name="agreement_report")
def agreement_report(agreement_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    tracker, params = services.tracker, request.query_params
    as_of, axis = value(params, "as_of"), check_axis(value(params, "axis") or "effective")
    at = instant(as_of, "as_of")
    view = tracker.agreements.get(agreement_id)
    made = services.lists.commitments(
        visitor.principal, CommitmentFilter(agreement=agreement_id, as_of=at, axis=axis, limit=200)
    )
    return page(
        request,
        visitor,
        "report.html",
        title=view.title,
        agreement=view,
        meeting=tracker.meetings.get(view.meeting_id),
        rows=by_row(made.items),
        sections=None,
        as_of=as_of,
        axis=axis,
        total=made.total,
        today=tracker.records.now().date(),
    )


@router.get("/series/{series}", response_class=HTMLResponse, name="series_report")
def series_report(series: str, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    tracker, params = services.tracker, request.query_params
    as_of, axis = value(params, "as_of"), check_axis(value(params, "axis") or "effective")
    at = instant(as_of, "as_of")
    meetings = services.lists.meetings(visitor.principal, MeetingFilter.of(series=series[:100], limit=200)).items
    sections = [
        (
            m,
            services.lists.commitments(
                visitor.principal, CommitmentFilter(meeting=UUID(m["id"]), as_of=at, axis=axis, limit=200)
            ).items,
        )
        for m in meetings
    ]
    return page(
        request,
        visitor,
        "report.html",
        title=None,
        series=series,
        agreement=None,
        meeting=None,
        rows=None,
        sections=sections,
        as_of=as_of,
        axis=axis,
        total=sum(len(items) for _, items in sections),
        today=tracker.records.now().date(),
    )
