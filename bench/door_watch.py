"""What the door watch (``api.doors.PolicyWatch``) costs an authenticated request, in instructions.

``python -m bench.door_watch`` runs, under valgrind's callgrind, the app in-process (TestClient, SQLite)
answering ``GET /parties`` for an admin key, with the watch and with it taken out of the same app's
middleware, each for 20 and for 120 requests: the difference divided by 100 is one request's instructions
(the start-up cancels out). It prints both and their ratio. Not part of ``python -m bench``: valgrind
makes it last a few minutes."""

import re
import subprocess
import sys
import tempfile

from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build
from api.doors import PolicyWatch
from domain.access import Role
from infrastructure.settings import Settings

FEW, MANY = 20, 120


def requests(watched: bool, count: int) -> None:
    """``count`` list requests by an admin key, through the app with or without the watch."""
    with tempfile.TemporaryDirectory() as directory:
        services = build(Settings(database_url=f"sqlite:///{directory}/doors.db", scan_interval=0))
        try:
            _, key = services.keys.create(Role.ADMIN, "bench")
            app = create_app(services=services)
            if not watched:
                watch: object = PolicyWatch  # the middleware's class, to leave out
                app.user_middleware = [m for m in app.user_middleware if m.cls is not watch]
            with TestClient(app) as client:
                for _ in range(count):
                    answer = client.get("/parties", headers={"Authorization": f"Bearer {key}"})
                    assert answer.status_code == 200, answer.text
        finally:
            services.close()


def instructions(watched: bool, count: int) -> int:
    """The instructions callgrind counts for a process that answers ``count`` requests."""
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.door_watch",
            "with" if watched else "without",
            str(count),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    assert found is not None, run.stderr[-2000:]
    return int(found.group(1))


def per_request(watched: bool) -> float:
    return (instructions(watched, MANY) - instructions(watched, FEW)) / (MANY - FEW)


def main() -> None:
    if len(sys.argv) == 3:  # one measured process
        requests(sys.argv[1] == "with", int(sys.argv[2]))
        return
    watched, bare = per_request(True), per_request(False)
    print(f"with the watch {watched / 1e6:.2f} M instructions per request, without {bare / 1e6:.2f} M")
    print(f"ratio {watched / bare:.3f}")


if __name__ == "__main__":
    main()
