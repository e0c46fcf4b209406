"""Query parameters shared by the routers."""

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse

from application.listing import cursors
from application.views import EventView

CursorQuery = Annotated[str | None, Query(description="next_cursor of the previous page of the same list and order")]
LimitQuery = Annotated[int, Query(ge=1, le=200)]
VersionQuery = Annotated[int | None, Query(ge=1, description="read the resource as it was at this version")]
# An instant with its zone, or a date meaning 00:00 UTC (application.listing.queries.instant).
INSTANT_FORM = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$"
)
InstantQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        json_schema_extra={"pattern": INSTANT_FORM},
        description="an instant with its zone, or a date (00:00 UTC)",
    ),
]
AsOfQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        json_schema_extra={"pattern": INSTANT_FORM},
        description="an instant (or a date, 00:00 UTC): the record as it stood then",
    ),
]
AxisQuery = Annotated[
    str,
    Query(
        description="with as_of: recorded (default), as the record stood then; or "
        "effective, the facts that had happened by then, including those "
        "recorded later"
    ),
]


HistoryLimit = Annotated[int, Query(ge=1, le=1000)]


def history(
    aggregate_id: object,
    read: Callable[[int, int], list[EventView]],
    cursor: str | None,
    limit: int,
    integrity: dict[str, Any] | None = None,
) -> JSONResponse:
    """A page of an aggregate's events: ``read(after_version, limit)``; ``integrity``: what the audit
    chain's watcher found about the record (None: no open break touches it)."""
    after = cursors.decode(cursor, "history", cursors.VERSION)
    events = read(after[0] if after else 0, limit + 1)
    more = len(events) > limit
    return JSONResponse(
        {
            "id": str(aggregate_id),
            "events": [dataclasses.asdict(e) for e in events[:limit]],
            "next_cursor": cursors.encode("history", events[limit - 1].version) if more else None,
            "integrity": integrity,
        }
    )


def timeline(
    aggregate_id: object, read: Callable[[int, int], tuple[list[EventView], int]], cursor: str | None, limit: int
) -> JSONResponse:
    """A page of the merged events of everything an aggregate touches: ``read(offset, limit)``."""
    after = cursors.decode(cursor, "timeline", cursors.OFFSET)
    offset = after[0] if after else 0
    events, total = read(offset, limit)
    following = offset + len(events)
    next_cursor = cursors.encode("timeline", following) if following < total else None
    return JSONResponse(
        {
            "id": str(aggregate_id),
            "events": [dataclasses.asdict(e) for e in events],
            "total": total,
            "next_cursor": next_cursor,
        }
    )


SearchQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="words to find in every language, with or without diacritics"),
]
ManyQuery = Annotated[list[str], Query(description="repeat, or separate with commas")]


def many(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
