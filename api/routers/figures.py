"""Figures: progress and status rolled up over a matrix, an agreement, a meeting, a series or a
party, and the statistics per party and per series, now or as of an instant."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.dependencies import ReaderDep, ServicesDep
from api.routers.common import AsOfQuery, AxisQuery
from api.schemas import RollupAnswer, Statistics
from application.listing.queries import RollupScope, check_axis, instant
from domain.identifiers import series_slug

router = APIRouter(tags=["figures"])
SeriesQuery = Annotated[str | None, Query(max_length=100, description="a meeting series' slug")]


@router.get("/rollup", response_model=RollupAnswer)
def rollup(
    services: ServicesDep,
    _: ReaderDep,
    agreement: UUID | None = None,
    meeting: UUID | None = None,
    series: SeriesQuery = None,
    party: Annotated[UUID | None, Query(description="leads")] = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
) -> JSONResponse:
    """How far the commitments of an agreement (a matrix), a meeting, a series or a lead party have
    come (what is given narrows the set; nothing: every commitment): counts by status, overdue, due
    soon and escalated, progress weighted by each commitment's weight, the completion rate among the
    assessed and the median days to fulfil."""
    scope = RollupScope(agreement, meeting, None if series is None else series_slug(series, "series"), party)
    return JSONResponse(services.figures.rollup(scope, instant(as_of, "as_of"), check_axis(axis)))


@router.get("/statistics", response_model=Statistics)
def statistics(
    services: ServicesDep, _: ReaderDep, as_of: AsOfQuery = None, axis: AxisQuery = "recorded"
) -> JSONResponse:
    """The figures of every commitment, and of each lead party and each meeting series (``null``:
    meetings of no series), the most commitments first."""
    return JSONResponse(services.figures.statistics(instant(as_of, "as_of"), check_axis(axis)))
