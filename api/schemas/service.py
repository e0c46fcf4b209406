"""The service itself: health, readiness, the caller."""

from typing import Literal

from pydantic import Field

from api.schemas.common import Answer


class Health(Answer):
    status: Literal["ok"]


class Caller(Answer):
    id: str = Field(description="the key's id, the actor named on every event it causes")
    name: str
    role: Literal["admin", "coordinator", "auditor"]
    party_scope: list[str] | None = Field(description="the parties whose commitments it may change; null: all")


class Readiness(Answer):
    status: Literal["up", "down"]
    parts: dict[str, Literal["up", "down"]]
