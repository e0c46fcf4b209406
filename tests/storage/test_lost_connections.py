"""When PostgreSQL closes the service's connections (it restarted, the network dropped them), the
service reconnects: a connection that rested in the pool is tried before use, and one lost while the
pool still trusted it is answered 503 with Retry-After, never 500 (decision 0039)."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

from api.bootstrap import build
from infrastructure.persistence.scratch import LOCAL_SERVER, scratch_database
from tests.conftest import Api, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.world import build_world


@pytest.fixture
def postgres_url(empty_schema: dict[str, str]) -> Iterator[str]:
    with scratch_database("postgresql", "lost", copy_of=empty_schema["postgresql"]) as url:
        yield url


@contextmanager
def service(url: str, ping_after: float) -> Iterator[Api]:
    with (
        build(settings_for_tests(url, pool_ping_after=ping_after), clock=FrozenClock()) as services,
        api_of(services) as api,
    ):
        yield api


def close_every_connection(url: str) -> int:
    """What a restart of the server does to the service: every connection to its database is closed."""
    with psycopg.connect(LOCAL_SERVER, autocommit=True) as connection:
        closed = connection.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (make_url(url).database,),
        ).fetchone()
    return int(closed[0]) if closed else 0


def test_connections_closed_while_resting_in_the_pool_are_replaced_before_a_read_or_a_write_uses_them(
    postgres_url: str,
) -> None:
    with service(postgres_url, ping_after=0) as api:
        world = build_world(api)
        assert api.get(f"/commitments/{world.commitment}").status_code == 200
        assert close_every_connection(postgres_url) > 0
        again = api.get(f"/commitments/{world.commitment}")
        assert again.status_code == 200, again.text
        assert again.json()["id"] == world.commitment
        assert close_every_connection(postgres_url) > 0
        written = api.post("/commitments", commitment(world.meeting, world.sesric))
        assert written.status_code == 201, written.text
        assert api.get(f"/commitments/{written.json()['id']}").json()["version"] == 1


def test_a_connection_lost_while_trusted_is_answered_503_with_retry_after_and_the_next_request_reconnects(
    postgres_url: str,
) -> None:
    with service(postgres_url, ping_after=3600) as api:  # the pool trusts every connection it holds
        world = build_world(api)
        assert api.get(f"/commitments/{world.commitment}").status_code == 200
        assert close_every_connection(postgres_url) > 0
        lost = api.get(f"/commitments/{world.commitment}")
        assert lost.status_code == 503, lost.text
        assert lost.headers["Retry-After"] == "1"
        assert lost.headers["Content-Type"] == "application/problem+json"
        assert lost.json()["type"] == "/problems/connection-lost"
        again = api.get(f"/commitments/{world.commitment}")
        assert again.status_code == 200, again.text
