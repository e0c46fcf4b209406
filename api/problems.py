"""RFC 9457 problem documents, from one table mapping errors to HTTP statuses.

Routes never catch errors themselves: a domain or application error travels up
and is answered here. The first row whose class matches wins, so specific
classes come before their bases.
"""

import logging
from typing import Any

from eventsourcing.persistence import ConnectionUnavailableError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import AlreadyExists, ConcurrentUpdate, NotFound, UnknownReference, VersionMismatch
from domain.errors import (
    DecisionReferenceRequired,
    DomainError,
    EvidenceRequired,
    IllegalTransition,
    InvalidValue,
    ReasonRequired,
)
from domain.meeting import MeetingNotOpen

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("commitments.api")


class ApiProblem(Exception):
    """An error of the HTTP layer itself (credentials, headers, idempotency keys)."""

    def __init__(self, detail: str, field: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.headers = headers or {}


class Unauthenticated(ApiProblem):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="commitments"'})


class Forbidden(ApiProblem):
    pass


class MalformedHeader(ApiProblem):
    pass


class IdempotencyKeyReused(ApiProblem):
    pass


class PayloadTooLarge(ApiProblem):
    pass


class UnknownParameter(ApiProblem):
    pass


# error class -> (status, problem type slug, title)
PROBLEMS: list[tuple[type[Exception], int, str, str]] = [
    (Unauthenticated, 401, "unauthenticated", "An API key is required"),
    (Forbidden, 403, "forbidden", "This key may not do that"),
    (MalformedHeader, 400, "malformed-header", "A request header is malformed"),
    (UnknownParameter, 400, "unknown-parameter", "A query parameter is not known"),
    (PayloadTooLarge, 413, "payload-too-large", "The request body is too large"),
    (IdempotencyKeyReused, 422, "idempotency-key-reused", "The Idempotency-Key was used for another request"),
    (NotFound, 404, "not-found", "Not found"),
    (UnknownReference, 422, "unknown-reference", "A field names something that does not exist"),
    (AlreadyExists, 409, "already-exists", "Already exists"),
    (VersionMismatch, 412, "stale-version", "The resource has changed since you read it"),
    (ConcurrentUpdate, 409, "concurrent-update", "Changed by another request at the same time"),
    (IllegalTransition, 409, "illegal-transition", "Not allowed in the current state"),
    (MeetingNotOpen, 409, "illegal-transition", "Not allowed in the current state"),
    (ReasonRequired, 422, "reason-required", "A reason is required"),
    (EvidenceRequired, 422, "evidence-required", "Evidence is required"),
    (DecisionReferenceRequired, 422, "decision-reference-required", "A decision reference is required"),
    (InvalidValue, 422, "invalid-value", "A value is not valid"),
    (DomainError, 422, "rule-violated", "A business rule refused the request"),
    (ConnectionUnavailableError, 503, "busy", "The service is busy"),
]
HANDLED = tuple(row[0] for row in PROBLEMS)


def problem(
    status: int, slug: str, title: str, detail: str, instance: str, headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _log_denial(request: Request, status: int, reason: str) -> None:
    services = getattr(request.app.state, "services", None)
    if services is None:
        return
    principal = getattr(request.state, "principal", None)
    try:
        services.denials.record(None if principal is None else principal.id, request.method, request.url.path, status,
                                reason)
    except Exception:
        log.exception("could not log a denied request")


def _from_error(request: Request, error: Exception) -> JSONResponse:
    for cls, status, slug, title in PROBLEMS:
        if isinstance(error, cls):
            if status in (401, 403):
                _log_denial(request, status, getattr(error, "detail", str(error)))
            extra: dict[str, Any] = {"field": getattr(error, "field", None)}
            if isinstance(error, VersionMismatch):
                extra["current_version"] = error.actual
            headers = getattr(error, "headers", None)
            detail = getattr(error, "detail", str(error))
            if status == 503:
                log.warning("busy on %s %s: %s", request.method, request.url.path, error)
                headers, detail = {"Retry-After": "1"}, "too many requests at once: nothing was stored; retry shortly"
            return problem(status, slug, title, detail, request.url.path, headers, **extra)
    raise error  # pragma: no cover - only registered for HANDLED classes


def _field(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in error.errors()]
    if any(e.get("type") == "json_invalid" for e in error.errors()):
        return problem(400, "malformed-json", "The body is not valid JSON", "the request body is not valid JSON",
                       request.url.path, errors=errors)
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    return problem(422, "invalid-value", "A value is not valid", f"{first['field']}: {first['message']}",
                   request.url.path, field=first["field"], errors=errors)


def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
    titles = {404: "Not found", 405: "Method not allowed"}
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    return problem(error.status_code, slug, titles.get(error.status_code, "HTTP error"), str(error.detail),
                   request.url.path, getattr(error, "headers", None))


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "internal-error", "Internal error", "the service failed; the error is logged",
                   request.url.path)


def install(app: FastAPI) -> None:
    for cls in HANDLED:
        app.add_exception_handler(cls, _from_error)
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
