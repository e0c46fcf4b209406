from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.access import Role
from infrastructure.bootstrap import Services, build
from infrastructure.settings import Settings
from tests.fakes import FrozenClock
from tests.postgres import postgres_database
from tests.receiver import Receiver

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test that stores anything runs on a SQLite file and on a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'commitments.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def services(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    built = build(Settings(database_url=database_url, scan_interval=0, dispatch_interval=0, audit_check_interval=0,
                           webhook_retry_schedule=(0.01, 0.02), webhook_allow_http=True, webhook_allow_loopback=True),
                  clock=clock)
    yield built
    built.close()


@pytest.fixture
def tracker(services: Services):  # type: ignore[no-untyped-def]
    return services.tracker


@dataclass
class Api:
    """An HTTP client of the app, with one key of each role."""

    client: TestClient
    keys: dict[Role, str]

    def headers(self, role: Role = Role.COORDINATOR, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}

    def post(self, path: str, json: object = None, role: Role = Role.COORDINATOR, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post(path, json=json, headers=self.headers(role, **headers))

    def get(self, path: str, role: Role = Role.AUDITOR, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(path, params=params, headers=self.headers(role))

    def created(self, path: str, json: object) -> dict:  # type: ignore[type-arg]
        response = self.post(path, json)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    keys = {role: services.keys.create(role, f"{role.value} key")[1] for role in Role}
    with TestClient(create_app(services=services)) as client:
        yield Api(client, keys)


@pytest.fixture
def world(api: Api):  # type: ignore[no-untyped-def]
    """The 15th UN–OIC general meeting, its parties and one commitment, recorded through the API."""
    from tests.world import build_world  # tests.world builds on this module's Api

    return build_world(api)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook receiver on loopback that answers 200."""
    with Receiver() as running:
        yield running


@pytest.fixture
def nothing_stored(services: Services) -> Iterator[None]:
    """The test's requests are refused: no event is stored by them."""
    before = services.tracker.recorder.max_notification_id()
    yield
    assert services.tracker.recorder.max_notification_id() == before
