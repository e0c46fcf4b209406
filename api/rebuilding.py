"""While the read model is rebuilt beside the service (decision 0059), requests are answered 503 with a
problem document of type ``/problems/rebuilding``, a ``Retry-After`` and how far the rebuild has come.

Reads and writes alike: a list or a search would be incomplete, and a command's read-model rows are
written in its own transaction (promise 15: a reader sees its own writes), which a read model still far
behind the log cannot give. The service's own answers stay open: whether it is alive and ready, its
status (which shows the rebuild's progress), its metrics, the API's documents and the pages' static
files. Once the rebuild is done, everything answers as before, without a restart.
"""

import math

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem

OPEN_PATHS = frozenset({"/health", "/ready", "/status", "/metrics", "/openapi.json"})
OPEN_PREFIXES = ("/docs", "/app/static/")
LONGEST_WAIT = 60  # seconds: Retry-After says at most this, however long the rebuild has left
FIRST_WAIT = 5  # seconds, before the rebuild has a pace to tell from


def open_while_rebuilding(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def retry_after(seconds_left: float | None) -> int:
    """What ``Retry-After`` says: the time the rebuild has left at its pace so far, within 1 s to a minute."""
    if seconds_left is None:
        return FIRST_WAIT
    return max(1, min(LONGEST_WAIT, math.ceil(seconds_left)))


class Rebuilding:
    """A pure ASGI middleware: it reads the running services' ``rebuilding`` (the lifespan's state) on
    every HTTP request and answers in their place while a rebuild runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = scope.get("state", {}).get("services") if scope["type"] == "http" else None
        progress = getattr(services, "rebuilding", None)
        if progress is None or not progress.running or open_while_rebuilding(scope["path"]):
            await self.app(scope, receive, send)
            return
        reached, latest = progress.reached, progress.latest
        answer = problem(
            503,
            "rebuilding",
            "The read model is being rebuilt",
            f"the lists and records are being rebuilt from the event log ({reached} of {latest} events): "
            "nothing was read or stored; retry after the time Retry-After says",
            scope["path"],
            {"Retry-After": str(retry_after(progress.seconds_left())), "Cache-Control": "no-store"},
            reached=reached,
            latest=latest,
        )
        await answer(scope, receive, send)
