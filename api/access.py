"""One line in the log for every request, and its count in the metrics: the method, the route's template
(``/commitments/{commitment_id}``: never the path as sent, whose ids and query may hold personal data),
the status, how long it took, the request's id and who asked (the key's or the person's id, never a name).

Every request has an id: the ``X-Request-ID`` it came with when that is a short safe token (1 to 64 of
``A-Z a-z 0-9 . _ -``), else a new one. The answer says it in its own ``X-Request-ID``, and every line the
service logs while serving the request names it (the context variable it is given: the log's
``REQUEST_ID``, which the log's filter reads).

A pure ASGI middleware, the outermost one the app adds: it sees every answer, its guards' refusals
included, and passes the body through as it comes, neither read nor kept."""

import logging
import re
import secrets
import time
from contextvars import ContextVar

from prometheus_client import Counter, Histogram
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("commitments.access")

HEADER = b"x-request-id"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})  # any other: OTHER
UNMATCHED = "unmatched"  # the route of a request no route took (a wrong path, a request refused before routing)
GONE = 499  # the status of a request whose client went away before it was answered


def request_id(scope: Scope) -> str:
    """The id the request came with, if it is a short safe token; else a new one."""
    for name, value in scope.get("headers", ()):
        if name == HEADER:  # ASGI servers give header names in lower case
            given: str = value.decode("latin-1")
            if SAFE_ID.fullmatch(given):
                return given
            break
    return secrets.token_hex(8)


def route_template(scope: Scope, outer_root_path: str = "") -> str:
    """The template of the route that answered, read after the answer from what the routers noted in the
    scope, with the prefix of the app it is mounted in (``/app/commitments/{commitment_id}``); a mounted
    app that found no route of its own gives its prefix and ``/{path}``; ``UNMATCHED`` when no route took it."""
    prefix = scope.get("root_path", "")[len(outer_root_path) :]  # where the route's app is mounted
    route = scope.get("route")  # FastAPI's operations
    if isinstance(route, Route | Mount):
        return _joined(prefix, route)
    endpoint = scope.get("endpoint")  # any other route or mount: find it among its app's routes
    if endpoint is None:
        return UNMATCHED
    for candidate in getattr(scope.get("app"), "routes", ()):
        if (isinstance(candidate, Route) and candidate.endpoint is endpoint) or (
            isinstance(candidate, Mount) and candidate.app is endpoint
        ):
            return _joined(prefix, candidate)
    return prefix + "/{path}" if prefix else UNMATCHED


def _joined(prefix: str, route: Route | Mount) -> str:
    if isinstance(route, Mount):  # its own path is the end of the prefix already
        prefix = prefix.removesuffix(route.path)
    return prefix + route.path_format


def actor(scope: Scope) -> str | None:
    """The id of the key or person the request was made with, once a route has learnt it
    (``request.state.principal``: ``api.dependencies.authenticate``, ``api.web.visitors``)."""
    state = scope.get("state")
    principal = state.get("principal") if isinstance(state, dict) else None
    found = getattr(principal, "id", None)
    return found if isinstance(found, str) else None


class AccessLog:
    """Gives every request its id, then logs and counts it once it is answered (see the module). The app
    factory hands it where the id is kept for the log (``request_ids``) and the metrics it counts in:
    ``requests`` (a counter) and ``seconds`` (a histogram), both by method, route and status."""

    def __init__(
        self, app: ASGIApp, request_ids: ContextVar[str | None], requests: Counter, seconds: Histogram
    ) -> None:
        self.app = app
        self.request_ids = request_ids
        self.requests = requests
        self.seconds = seconds
        # Each set of labels' children, found once (``labels`` takes a lock and builds a key each time): a few
        # hundred at most, methods × routes × statuses.
        self.counted: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = request_id(scope)
        said = (HEADER, given.encode("ascii"))
        outer = scope.get("root_path", "")
        status = GONE

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [header for header in message.get("headers", ()) if header[0].lower() != HEADER]
                message["headers"] = [*headers, said]
            await send(message)

        token = self.request_ids.set(given)
        failed = False
        try:
            await self.app(scope, receive, sending)
        except Exception:
            failed = True
            if status == GONE:  # nothing was sent: the app's last handler, outside this one, answers 500
                status = 500
            raise
        finally:
            self._record(scope, outer, given, status, time.perf_counter() - started)
            # After an error the id stays set, in this request's task only: the handler that answers 500 and
            # the server's line about the error run outside this middleware, and name the request too.
            if not failed:
                self.request_ids.reset(token)

    def _record(self, scope: Scope, outer: str, given: str, status: int, seconds: float) -> None:
        method = scope.get("method", "")
        method = method if method in METHODS else "OTHER"
        route = route_template(scope, outer)
        counted = self.counted.get((method, route, status))
        if counted is None:
            labels = (method, route, str(status))
            counted = self.counted[method, route, status] = (
                self.requests.labels(*labels),
                self.seconds.labels(*labels),
            )
        counted[0].inc()
        counted[1].observe(seconds)
        ms = round(seconds * 1000, 1)
        fields = {
            "request_id": given,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": ms,
            "actor": actor(scope),
        }
        log.info("%s %s %s %.1f ms", method, route, status, ms, extra=fields)
