"""A record's history (its events, with what the audit chain's watcher found) and timeline."""

from typing import Any

from pydantic import Field

from api.schemas.common import Answer
from application.views import EventView


class History(Answer):
    id: str
    events: list[EventView]
    next_cursor: str | None
    integrity: dict[str, Any] | None = Field(
        default=None,
        description=(
            "null, or what the audit chain's watcher found: an altered or inserted event of this record "
            "(intact: false, first_broken_position, problem, detected_at)"
        ),
    )


class Timeline(Answer):
    id: str
    events: list[EventView]
    total: int
    next_cursor: str | None
