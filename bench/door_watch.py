"""What the door watch (``api.doors.PolicyWatch``) costs an authenticated request, in instructions.

``python -m bench.door_watch`` counts with ``bench.instructions`` (valgrind's callgrind, the start-up
cancelled out) the instructions of one ``GET /parties`` for an admin key through the app in-process
(TestClient, SQLite), with the watch and with it taken out of the same app's middleware: 100 requests
after the first 20. It prints both and their ratio. Not part of ``python -m bench``: valgrind makes it
last minutes."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build
from api.doors import PolicyWatch
from bench.instructions import instructions
from domain.access import Role
from infrastructure.settings import Settings

FEW, MANY = 20, 120


@contextmanager
def requests(watched: str) -> Iterator[Callable[[], object]]:
    """One list request by an admin key, through the app with the watch (``watched`` is "with") or without."""
    with tempfile.TemporaryDirectory() as directory:
        services = build(Settings(database_url=f"sqlite:///{directory}/doors.db", scan_interval=0))
        # Revocations looked for once an hour: under callgrind a request lasts a hundred times longer, and the
        # look every quarter of a second that full speed spreads over hundreds of requests would come at each.
        services.keys.freshness = 3600.0
        try:
            _, key = services.keys.create(Role.ADMIN, "bench")
            app = create_app(services=services)
            if watched != "with":
                watch: object = PolicyWatch  # the middleware's class, to leave out
                app.user_middleware = [m for m in app.user_middleware if m.cls is not watch]
            with TestClient(app) as client:

                def request() -> None:
                    answer = client.get("/parties", headers={"Authorization": f"Bearer {key}"})
                    assert answer.status_code == 200, answer.text

                yield request
        finally:
            services.close()


def main() -> None:
    watched, bare = (instructions(["bench.door_watch:requests", side], FEW, MANY) for side in ("with", "without"))
    print(f"with the watch {watched / 1e6:.2f} M instructions per request, without {bare / 1e6:.2f} M")
    print(f"ratio {watched / bare:.3f}")


if __name__ == "__main__":
    main()
