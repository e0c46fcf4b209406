"""Search: the records found."""

from typing import Any, Literal

from pydantic import Field

from api.schemas.common import Answer


class Hit(Answer):
    kind: Literal["party", "meeting", "agreement", "commitment"]
    id: str
    label: dict[str, Any] = Field(description="the record's name or title, in every language")


class Hits(Answer):
    items: list[Hit]
