"""The app factory. Nothing connects to a database until the app starts."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from anyio import CapacityLimiter
from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from api import docs, openapi, problems
from api.access import AccessLog
from api.bootstrap import SERVING, Services, build
from api.dependencies import known_query_parameters, methods_of
from api.doors import PolicyWatch, ThroughDoor
from api.guards import MAX_UPLOAD_BYTES, RequestGuard, RetryAfter
from api.public.app import create_public_app
from api.rebuilding import Rebuilding
from api.routers import (
    agreements,
    audit,
    calendars,
    commitments,
    drafts,
    figures,
    files,
    meetings,
    metrics,
    parties,
    people,
    publications,
    recurrences,
    search,
    series,
    service,
    subscriptions,
    themes,
    witnesses,
)
from api.web.app import create_web_app
from domain.evidence_files import DEFAULT_MAX_BYTES
from infrastructure.operations import ticks
from infrastructure.operations.logs import REQUEST_ID
from infrastructure.operations.metrics import REQUEST_SECONDS, REQUESTS
from infrastructure.settings import Settings

MAX_BODY_BYTES = 2 * 1024 * 1024
# Threads of each process that read a record as it is now (``request.state.reads``): one, so that those
# reads wait their turn in order (more threads lengthened the slowest answers: decision 0053).
READING_THREADS = 1
WEB_PREFIX = "/app"  # where the web pages are served
PUBLIC_PREFIX = "/public"  # where anyone reads what is published


ROUTERS = tuple(
    module.router
    for module in (
        service,
        files,
        parties,
        meetings,
        series,
        agreements,
        commitments,
        recurrences,
        drafts,
        search,
        subscriptions,
        audit,
        calendars,
        figures,
        themes,
        publications,
        metrics,
        witnesses,
        people,
    )
)


def operations() -> list[APIRoute]:
    """Every operation of the API."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def allowed_methods(path: str) -> list[str]:
    """Every method some operation answers at this path (Starlette's 405 names only the first route's). A path
    written out (``/deliveries/recover``) is its own, not also a template's that its words would fill
    (``/deliveries/{delivery_id}``), as OpenAPI reads paths."""
    matching = [route for route in operations() if route.path_regex.match(path)]
    written = [route for route in matching if route.path == path]
    methods = {method for route in written or matching for method in methods_of(route)}
    return sorted(methods | {"OPTIONS"})


class CommitmentsApi(FastAPI):
    """The service's FastAPI app; its OpenAPI document says what the service really answers (``api.openapi``)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = openapi.document(self, operations())
        return self.openapi_schema


def create_app(
    settings: Settings | None = None,
    services: Services | Callable[[], Services] | None = None,
    started: Callable[[], Awaitable[None]] | None = None,
) -> FastAPI:
    """An app on the given services (tests), or on services built from settings at start-up;
    ``services`` may also say where to find them each time the app starts (tests start one app many
    times, each time on services of their own: building an app's routes costs more than most tests).
    ``started`` is awaited once they are built, before the app serves (``api.workers``: every
    worker listens once all have started)."""
    given = services if isinstance(services, Services) else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Services | CapacityLimiter]]:
        running = given or (
            services() if callable(services) else build(settings or Settings.from_env(), rebuild_in_background=SERVING)
        )
        jobs = running.background_jobs()
        scheduler = ticks.start(jobs) if jobs else None
        try:
            if started is not None:
                await started()
            # Every request's state, the web pages' included.
            yield {"services": running, "reads": CapacityLimiter(READING_THREADS)}
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            if services is None:
                running.close()

    app = CommitmentsApi(
        title="Commitment tracker",
        summary="What was agreed, by whom, by when, and what became of it.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(known_query_parameters)],
        docs_url=None,
        redoc_url=None,
    )
    if (settings or (given.settings if given else Settings.from_env())).api_docs:
        docs.install(app)
    problems.install(app, allowed_methods)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(WEB_PREFIX, create_web_app())
    app.mount(PUBLIC_PREFIX, create_public_app())

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        """People who open the service's address find the pages."""
        return RedirectResponse(f"{WEB_PREFIX}/", status_code=303)

    app.add_middleware(PolicyWatch)  # innermost: it sees the route that answered
    app.add_middleware(ThroughDoor)  # the door every event of the request records
    known = settings or (given.settings if given else None)
    largest_file = known.evidence_file_max_bytes if known else DEFAULT_MAX_BYTES
    uploads = max(MAX_UPLOAD_BYTES, largest_file + 1024 * 1024)  # an evidence file and the form around it
    app.add_middleware(RequestGuard, max_body_bytes=MAX_BODY_BYTES, forms_under=WEB_PREFIX, max_upload_bytes=uploads)
    app.add_middleware(RetryAfter)
    app.add_middleware(Rebuilding)  # 503 rebuilding while the read model is rebuilt (decision 0059)
    app.add_middleware(AccessLog, request_ids=REQUEST_ID, requests=REQUESTS, seconds=REQUEST_SECONDS)  # outermost
    return app
