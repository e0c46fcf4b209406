"""What the pages' tests share: the world recorded through the API; and, for the tests in a real browser, a
real server, started on a database of its own."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.bootstrap import Services
from tests.conftest import Api, api_of
from tests.server import Server
from tests.world import World, build_world


@pytest.fixture
def recorded(services: Services) -> Iterator[tuple[Api, World]]:
    """The world of the 15th UN–OIC general meeting, recorded through the API of the test's services."""
    with api_of(services) as api:
        yield api, build_world(api)


@pytest.fixture
def served(tmp_path: Path, database_url: str) -> Iterator[tuple[Server, str]]:
    """A server started as the README starts it, and the first key it printed."""
    server = Server(database_url, cwd=tmp_path)
    try:
        printed = re.search(r"cmk_[A-Za-z0-9_-]+", server.printed())
        assert printed is not None, "the server printed no first key"
        yield server, printed.group(0)
    finally:
        server.stop()
