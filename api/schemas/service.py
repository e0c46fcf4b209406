"""The service itself: health, readiness (this process), status (the deployment), the caller."""

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
    """Whether this process can serve: its database answers (``database``: its tables' connections;
    ``event_store``: the event store's own). Nothing another process does is asked."""

    status: Literal["up", "down"]
    parts: dict[str, Literal["up", "down"]]


class DeploymentStatus(Answer):
    """How the deployment is doing, as this process sees it: always answered 200 (a part down is the
    deployment's, not this process's; ``unknown``: the database does not answer)."""

    status: Literal["up", "degraded"] = Field(description="up: every part is up; degraded: some part is not")
    parts: dict[str, Literal["up", "down", "unknown"]] = Field(
        description="database; read_model (at most 1,000 events behind the log); scanner and dispatcher "
        "(ticked within three of their intervals and 30 s, in any process); audit_chain (intact)"
    )
    last_ticks: dict[str, str | None] = Field(description="the last tick of each job, in any process (ISO 8601)")
    read_model_lag: int | None = Field(description="events the read model is behind the log")
