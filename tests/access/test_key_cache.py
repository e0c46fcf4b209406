"""Authenticating a request asks nothing of the database, and a revoked key is still refused within
a second on every process (each process remembers the keys it has seen)."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, event

from api.bootstrap import Services, build
from domain.access import Role
from infrastructure.persistence.keys import FRESHNESS
from tests.conftest import Api, settings_for_tests
from tests.fakes import FrozenClock


@pytest.fixture
def other_process(services: Services) -> Iterator[Services]:
    """The services a second process builds on the same database."""
    with build(settings_for_tests(services.settings.database_url), clock=FrozenClock(), catch_up=False) as other:
        yield other


def test_a_key_revoked_in_one_process_is_refused_by_another_within_a_second(
    services: Services, other_process: Services
) -> None:
    principal, key = services.keys.create(Role.COORDINATOR, "a coordinator")
    assert other_process.keys.authenticate(key) == principal  # remembered by the other process now
    assert services.keys.revoke(principal.id)
    assert services.keys.authenticate(key) is None  # at once in the process that revoked it
    deadline = time.monotonic() + 1.0
    while other_process.keys.authenticate(key) is not None:
        assert time.monotonic() < deadline, "the other process still accepts a key revoked a second ago"
        time.sleep(0.01)
    assert other_process.keys.principal(principal.id) is None  # the web sessions' question too


def test_authenticating_asks_the_database_at_most_once_per_freshness_period(services: Services) -> None:
    _, key = services.keys.create(Role.AUDITOR, "an auditor")
    services.keys.authenticate(key)
    asked: list[str] = []

    def count(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
        if "api_keys" in statement:
            asked.append(statement)

    event.listen(services.engine, "before_cursor_execute", count)
    try:
        started = time.monotonic()
        for _ in range(500):
            assert services.keys.authenticate(key) is not None
        elapsed = time.monotonic() - started
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
    assert len(asked) <= 1 + elapsed / FRESHNESS


def test_the_caller_reads_which_key_it_sends(api: Api) -> None:
    answer = api.get("/me", role=Role.COORDINATOR)
    assert answer.status_code == 200 and answer.json()["role"] == "coordinator"
    assert api.client.get("/me").status_code == 401
