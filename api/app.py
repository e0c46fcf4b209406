"""The app factory. Nothing connects to a database until the app starts."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response

from api import problems
from api.dependencies import ReaderDep, known_query_parameters
from infrastructure import ticks
from api.routers import agreements, audit, commitments, meetings, parties, search, subscriptions
from infrastructure.bootstrap import Services, build
from infrastructure.settings import Settings

MAX_BODY_BYTES = 2 * 1024 * 1024


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """An app on the given services (tests), or on services built from settings at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running = services or build(settings or Settings.from_env())
        app.state.services = running
        jobs = running.background_jobs()
        scheduler = ticks.start(jobs) if jobs else None
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            if services is None:
                running.close()

    app = FastAPI(
        title="Commitment tracker",
        summary="What was agreed, by whom, by when, and what became of it.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(known_query_parameters)],
    )
    problems.install(app)
    for module in (parties, meetings, agreements, commitments, search, subscriptions, audit):
        app.include_router(module.router)

    @app.get("/health", tags=["service"])
    def health(_: ReaderDep) -> dict[str, str]:
        """A trivial answer (any key): the service is up. Also the benchmarks' baseline."""
        return {"status": "ok"}

    @app.middleware("http")
    async def limit_body_size(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return problems.problem(
                413, "payload-too-large", "The request body is too large",
                f"send at most {MAX_BODY_BYTES} bytes", request.url.path,
            )
        response: Response = await call_next(request)
        return response

    return app
