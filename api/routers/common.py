"""Query parameters shared by the routers."""

import dataclasses
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from application.views import EventView

CursorQuery = Annotated[str | None, Query(max_length=40, description="next_cursor of the previous page")]
LimitQuery = Annotated[int, Query(ge=1, le=200)]
VersionQuery = Annotated[int | None, Query(ge=1, description="read the resource as it was at this version")]


def history(aggregate_id: object, events: list[EventView]) -> JSONResponse:
    return JSONResponse({"id": str(aggregate_id), "events": [dataclasses.asdict(e) for e in events]})
