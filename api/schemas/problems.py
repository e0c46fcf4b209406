"""The problem document (RFC 9457) every error answers with."""

from pydantic import Field

from api.schemas.common import Answer


class FieldError(Answer):
    field: str
    message: str


class Problem(Answer):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str = Field(description="/problems/<slug>: what went wrong, e.g. /problems/invalid-value")
    title: str
    status: int
    detail: str = Field(description="what to change, in words")
    instance: str = Field(description="the path of the request")
    field: str | None = Field(default=None, description="the input concerned, e.g. due.value")
    errors: list[FieldError] | None = None
    current_version: int | None = Field(default=None, description="with 412: the version now stored")
