"""RFC 9457 problem documents, from one table mapping errors to HTTP statuses.

Routes never catch errors themselves: a domain or application error travels up
and is answered here. The first row whose class matches wins, so specific
classes come before their bases.
"""

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import ConnectionUnavailableError, PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.access.people import AccountHeld
from application.errors import (
    AlreadyExists,
    Busy,
    ConcurrentUpdate,
    MakersBusy,
    NotAllowed,
    NotFound,
    PlanChanged,
    ReadersBusy,
    StillInProgress,
    TooLarge,
    UnknownReference,
    VersionMismatch,
)
from application.listing.cursors import InvalidCursor
from application.participation.focal_points import LinkNoLongerWorks
from domain.errors import (
    DecisionReferenceRequired,
    DomainError,
    EvidenceRequired,
    IllegalTransition,
    InvalidValue,
    ReasonRequired,
    Refusal,
)
from domain.meetings.meeting import MeetingNotOpen

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("commitments.api")


class ApiProblem(Refusal):
    """An error of the HTTP layer itself (credentials, headers, idempotency keys)."""

    def __init__(
        self, template: str, field: str | None = None, headers: dict[str, str] | None = None, **values: object
    ) -> None:
        super().__init__(template, field, **values)
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


class NotAcceptable(ApiProblem):
    pass


class TooManyAttempts(ApiProblem):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            "too many requests with bad keys from this address: retry in {seconds} s",
            headers={"Retry-After": str(wait_seconds)},
            seconds=wait_seconds,
        )


# error class -> (status, problem type slug, title)
PROBLEMS: list[tuple[type[Exception], int, str, str]] = [
    (Unauthenticated, 401, "unauthenticated", "An API key is required"),
    (TooManyAttempts, 429, "too-many-requests", "Too many requests"),
    (AccountHeld, 429, "too-many-requests", "Too many requests"),
    (Forbidden, 403, "forbidden", "This key may not do that"),
    (NotAllowed, 403, "forbidden", "This key may not do that"),
    (MalformedHeader, 400, "malformed-header", "A request header is malformed"),
    (UnknownParameter, 400, "unknown-parameter", "A query parameter is not known"),
    (InvalidCursor, 400, "invalid-cursor", "The cursor was not given by this list"),
    (NotAcceptable, 406, "not-acceptable", "This format is not offered"),
    (PayloadTooLarge, 413, "payload-too-large", "The request body is too large"),
    (TooLarge, 413, "too-large", "Larger than the service reads"),
    (IdempotencyKeyReused, 422, "idempotency-key-reused", "The Idempotency-Key was used for another request"),
    (LinkNoLongerWorks, 410, "link-no-longer-works", "This link no longer works"),
    (NotFound, 404, "not-found", "Not found"),
    (UnknownReference, 422, "unknown-reference", "A field names something that does not exist"),
    (AlreadyExists, 409, "already-exists", "Already exists"),
    (VersionMismatch, 412, "stale-version", "The resource has changed since you read it"),
    (ConcurrentUpdate, 409, "concurrent-update", "Changed by another request at the same time"),
    (PlanChanged, 412, "plan-changed", "The records changed since the dry run"),
    (IllegalTransition, 409, "illegal-transition", "Not allowed in the current state"),
    (MeetingNotOpen, 409, "illegal-transition", "Not allowed in the current state"),
    (ReasonRequired, 422, "reason-required", "A reason is required"),
    (EvidenceRequired, 422, "evidence-required", "Evidence is required"),
    (DecisionReferenceRequired, 422, "decision-reference-required", "A decision reference is required"),
    (InvalidValue, 422, "invalid-value", "A value is not valid"),
    (DomainError, 422, "rule-violated", "A business rule refused the request"),
    (ConnectionUnavailableError, 503, "busy", "The service is busy"),
    (PoolTimeout, 503, "busy", "The service is busy"),  # every pooled connection stayed in use (pool_size)
    (Busy, 503, "busy", "The service is busy"),
    (ReadersBusy, 503, "busy", "The service is busy"),
    (MakersBusy, 503, "busy", "The service is busy"),
    (StillInProgress, 503, "in-progress", "The request with this Idempotency-Key is still being carried out"),
]
HANDLED = tuple(row[0] for row in PROBLEMS)
HEADER_FORMS = {
    "If-Match": 'If-Match must be an ETag such as "3"',
    "Idempotency-Key": "Idempotency-Key is 1 to 255 printable ASCII characters",
}


class ProblemResponse(JSONResponse):
    """A problem document, whatever it quotes of the request: a lone surrogate (which UTF-8 cannot
    hold) in a field name is written as its JSON escape, ``\\ud800``."""

    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
            "utf-8", "backslashreplace"
        )


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance}
    body.update({key: value for key, value in extra.items() if value is not None})
    return ProblemResponse(body, status_code=status, headers=headers)


def log_denial(request: Request, status: int, reason: str) -> None:
    """Keep a refused request in the denial log (the auditors read it)."""
    services = getattr(request.state, "services", None)
    if services is None:
        return
    principal = getattr(request.state, "principal", None)
    try:
        services.denials.record(
            None if principal is None else principal.id,
            request.method,
            request.url.path,
            status,
            reason,
            request.client.host if request.client else None,
        )
    except Exception:
        log.exception("could not log a denied request")


CONNECTION_LOST = (503, "connection-lost", "The database connection was lost")
DATABASE_UNAVAILABLE = (503, "database-unavailable", "The database does not answer")
UNAVAILABLE_RETRY_AFTER = "5"  # seconds a client is asked to wait while the database does not answer
# What a database that does not answer may raise, through either client or the drivers themselves (eventsourcing
# lets some through); ConnectionError: the infrastructure's own (``DatabaseUnreachable``, a SQLite lock file).
# Each is answered 503 only if the rule says the database does not answer (``Readiness.unreachable``).
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    DBAPIError,
    DisconnectionError,
    PersistenceError,
    psycopg.Error,
    sqlite3.Error,
    ConnectionError,
)


def connection_lost(error: Exception) -> bool:
    """The database closed the connection a request was using (it restarted, or the network dropped
    it): the pool replaces its connections, and the request may be sent again (decision 0039)."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _readiness(request: Request) -> Any:
    """This process's readiness (``Services.readiness``): the API reaches the infrastructure's rule for
    errors that say the database does not answer through it, as the composition root handed it over."""
    services = getattr(request.state, "services", None)
    return None if services is None else services.readiness


def database_unavailable(request: Request, error: Exception) -> bool:
    """The database does not answer (decision 0058): down, unreachable, shutting down, its file gone; or
    it closed the connection a request was using. The request is answered 503 with Retry-After."""
    readiness = _readiness(request)
    return connection_lost(error) or (readiness is not None and bool(readiness.unreachable(error)))


def _one_line(request: Request, error: Exception) -> str:
    """The error's cause in one line, without the database's password."""
    readiness = _readiness(request)
    if readiness is not None:
        return str(readiness.cause(error))
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class Outages:
    """So that an outage is one line in the log, not a traceback per request: the first request refused
    because the database does not answer is logged with the cause; the next ones are only counted, while
    they come less than ``quiet`` seconds apart (the same outage). Kept per database (the tests run many)."""

    def __init__(self, quiet: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet = quiet
        self.clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self.refused: dict[str, int] = {}

    def first(self, database: str) -> bool:
        """Count a refused request; whether it is the first of an outage."""
        now = self.clock()
        with self._lock:
            last = self._last.get(database)
            self._last[database] = now
            if last is None or now - last > self.quiet:
                self.refused[database] = 1
                return True
            self.refused[database] += 1
            return False


OUTAGES = Outages()


def note_unavailable(request: Request, error: Exception) -> None:
    """Log (once per outage) that the database does not answer, with the driver's words for why."""
    services = getattr(request.state, "services", None)
    database = services.settings.database_url if services is not None else ""
    if OUTAGES.first(database):
        log.warning(
            "the database does not answer (%s): requests that need it are answered 503 with Retry-After "
            "until it does; the first was %s %s",
            _one_line(request, error),
            request.method,
            request.url.path,
        )


def _start_afresh(request: Request) -> None:
    services = getattr(request.state, "services", None)
    if services is not None:
        services.connections_lost()


def classify(error: Exception) -> tuple[int, str, str] | None:
    """The status, problem type and title of an error the service answers (``None``: not one of them)."""
    if connection_lost(error):
        return CONNECTION_LOST
    for cls, status, slug, title in PROBLEMS:
        if isinstance(error, cls):
            return status, slug, title
    return None


def _from_error(request: Request, error: Exception) -> JSONResponse:
    classified = classify(error)
    if classified is None:  # pragma: no cover - only registered for HANDLED classes
        raise error
    status, slug, title = classified
    if status in (401, 403):
        log_denial(request, status, getattr(error, "detail", str(error)))
    extra: dict[str, Any] = {"field": getattr(error, "field", None)}
    if isinstance(error, VersionMismatch):
        extra["current_version"] = error.actual
    headers = getattr(error, "headers", None)
    detail = getattr(error, "detail", str(error))
    if isinstance(error, StillInProgress):
        headers, detail = {"Retry-After": "5"}, "retry with the same key shortly: you will get its response"
    elif connection_lost(error):
        note_unavailable(request, error)
        _start_afresh(request)
        headers = {"Retry-After": "1"}
        detail = (
            "the connection to the database was lost and is being replaced: retry shortly (a write sent "
            "again with the same Idempotency-Key is not done twice)"
        )
    elif status == 503:
        log.warning("busy on %s %s: %s", request.method, request.url.path, error)
        headers, detail = {"Retry-After": "1"}, "too many requests at once: nothing was stored; retry shortly"
    return problem(status, slug, title, detail, request.url.path, headers, **extra)


def _field(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in error.errors()]
    if any(e.get("type") == "json_invalid" for e in error.errors()):
        return problem(
            400,
            "malformed-json",
            "The body is not valid JSON",
            "the request body is not valid JSON",
            request.url.path,
            errors=errors,
        )
    if error.errors() and all(tuple(e.get("loc", ()))[:1] == ("header",) for e in error.errors()):
        first = errors[0]
        detail = HEADER_FORMS.get(first["field"], f"{first['field']}: {first['message']}")
        return problem(
            400,
            "malformed-header",
            "A request header is malformed",
            detail,
            request.url.path,
            field=first["field"],
            errors=errors,
        )
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    return problem(
        422,
        "invalid-value",
        "A value is not valid",
        f"{first['field']}: {first['message']}",
        request.url.path,
        field=first["field"],
        errors=errors,
    )


def _http(request: Request, error: StarletteHTTPException, allowed_methods: Callable[[str], list[str]]) -> Response:
    if error.status_code == 405:
        allow = {"Allow": ", ".join(allowed_methods(request.url.path))}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=allow)
        return problem(
            405,
            "method-not-allowed",
            "Method not allowed",
            f"{request.method} is not answered here; use {allow['Allow']}",
            request.url.path,
            allow,
        )
    titles = {404: "Not found"}
    slug = {404: "not-found"}.get(error.status_code, "http-error")
    return problem(
        error.status_code,
        slug,
        titles.get(error.status_code, "HTTP error"),
        str(error.detail),
        request.url.path,
        getattr(error, "headers", None),
    )


def _database_error(request: Request, error: Exception) -> JSONResponse:
    """An error of the database or its clients: 503 when the database does not answer, else unexpected."""
    if connection_lost(error):
        return _from_error(request, error)
    if not database_unavailable(request, error):
        return _unexpected(request, error)
    note_unavailable(request, error)
    status, slug, title = DATABASE_UNAVAILABLE
    detail = "the database does not answer: retry later (a write sent again with the same Idempotency-Key is done once)"
    return problem(status, slug, title, detail, request.url.path, {"Retry-After": UNAVAILABLE_RETRY_AFTER})


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error(  # the cause on the line itself, and its traceback (the handler runs after the except block)
        "unexpected error on %s %s: %s: %s",
        request.method,
        request.url.path,
        type(error).__name__,
        _one_line(request, error),
        exc_info=error,
    )
    return problem(500, "internal-error", "Internal error", "the service failed; the error is logged", request.url.path)


def install(app: FastAPI, allowed_methods: Callable[[str], list[str]]) -> None:
    """Answer every error with a problem document; ``allowed_methods(path)`` for 405 and OPTIONS."""
    for cls in HANDLED:
        app.add_exception_handler(cls, _from_error)
    for database_error in DATABASE_ERRORS:
        if database_error not in HANDLED:
            app.add_exception_handler(database_error, _database_error)
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]  # Starlette types a handler for any Exception
    app.add_exception_handler(
        StarletteHTTPException,
        lambda request, error: _http(request, error, allowed_methods),
    )
    app.add_exception_handler(Exception, _unexpected)
