"""What the pages' tests in a real browser share: a real server, started on a database of its own."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import Server


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
