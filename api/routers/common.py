"""Query parameters shared by the routers."""

import dataclasses
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from application.views import EventView

CursorQuery = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
LimitQuery = Annotated[int, Query(ge=1, le=200)]
VersionQuery = Annotated[int | None, Query(ge=1, description="read the resource as it was at this version")]


def history(aggregate_id: object, events: list[EventView]) -> JSONResponse:
    return JSONResponse({"id": str(aggregate_id), "events": [dataclasses.asdict(e) for e in events]})
SearchQuery = Annotated[str | None, Query(min_length=1, max_length=200,
                                          description="words to find in every language, with or without diacritics")]
ManyQuery = Annotated[list[str], Query(description="repeat, or separate with commas")]


def many(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
