from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response  # what the test client answers (starlette annotates it with httpx2, not installed)

from api.app import create_app
from api.bootstrap import Services, build
from application.tracker import Tracker
from domain.access import Role
from infrastructure.settings import Settings
from tests.copies import Copies
from tests.fakes import FrozenClock
from tests.memory import tracker_in_memory
from tests.receiver import Receiver

if TYPE_CHECKING:
    from tests.world import World  # tests.world builds on this module's Api

ENGINES = ["sqlite", "postgresql"]


def settings_for_tests(database_url: str, **overrides: object) -> Settings:
    """What the tests' services run with: nothing in the background (a test ticks what it needs),
    quick webhook retries, webhooks to the receivers on loopback."""
    fields: dict[str, Any] = {
        "database_url": database_url,
        "scan_interval": 0,
        "dispatch_interval": 0,
        "digest_interval": 0,
        "audit_check_interval": 0,
        "witness_interval": 0,
        "webhook_retry_schedule": (0.01, 0.02),
        "webhook_allow_http": True,
        "webhook_allow_loopback": True,
        "key_sign_in": "on",  # the pages' tests sign in with keys; tests/people try the default
        **overrides,
    }
    return Settings(**fields)


@pytest.fixture(scope="session")
def copies() -> Iterator[Copies]:
    """The templates of the run and the copies of them the tests take (``tests.copies``)."""
    made = Copies()
    yield made
    made.close()


@pytest.fixture(scope="session")
def empty_schema(copies: Copies) -> dict[str, str]:
    """On each engine, a database with every table and nothing in them: each test starts from a
    copy, which is faster than creating the tables again (on PostgreSQL, about 0.4 s a test)."""
    return {
        engine: copies.template(engine, "empty", lambda url: build(settings_for_tests(url)).close())
        for engine in ENGINES
    }


@pytest.fixture(scope="session")
def world_schema(copies: Copies) -> dict[str, tuple[str, "World"]]:
    """On each engine, a database with the world of ``tests.world`` recorded through the API, and that
    world: the tests that use the world start from a copy instead of recording it again."""
    from tests.world import build_world  # tests.world builds on this module's Api

    worlds: dict[str, World] = {}

    def record(engine: str, url: str) -> None:
        with build(settings_for_tests(url), clock=FrozenClock()) as services, api_of(services) as client:
            worlds[engine] = build_world(client)

    templates = {engine: copies.template(engine, "world", partial(record, engine)) for engine in ENGINES}
    return {engine: (templates[engine], worlds[engine]) for engine in ENGINES}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, copies: Copies) -> Iterator[str]:
    """Every test that stores anything runs on a SQLite file and on a PostgreSQL database of its own: a copy
    of the world's template when it uses the world, else of the empty schema's."""
    if "world" in request.fixturenames:
        template = request.getfixturevalue("world_schema")[request.param][0]
    else:
        template = request.getfixturevalue("empty_schema")[request.param]
    with copies.copy(template) as url:
        yield url


@pytest.fixture
def services(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    with build(settings_for_tests(database_url), clock=clock) as built:
        yield built


@pytest.fixture
def tracker(clock: FrozenClock) -> Tracker:
    """The use cases on the library's in-memory event store, nothing following the log: for rule tests."""
    return tracker_in_memory(clock)


@dataclass
class Api:
    """An HTTP client of the app, with one key of each role."""

    client: TestClient
    keys: dict[Role, str]

    def headers(self, role: Role = Role.COORDINATOR, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The key of ``role``, and the ``extra`` headers (e.g. ``{"If-Match": '"3"'}``)."""
        return {"Authorization": f"Bearer {self.keys[role]}", **(extra or {})}

    def post(
        self, path: str, json: object = None, role: Role = Role.COORDINATOR, headers: Mapping[str, str] | None = None
    ) -> Response:
        response: Response = self.client.post(path, json=json, headers=self.headers(role, headers))
        return response

    def get(self, path: str, role: Role = Role.AUDITOR, **params: Any) -> Response:
        response: Response = self.client.get(path, params=params, headers=self.headers(role))
        return response

    def created(self, path: str, json: object) -> dict[str, Any]:
        response = self.post(path, json)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


class _Starting:
    """The services the shared app starts on next (each test client starts it once)."""

    services: Services | None = None

    @classmethod
    def next(cls) -> Services:
        assert cls.services is not None, "set the services before starting the app"
        return cls.services


_SHARED: list[FastAPI] = []


def app_on(services: Services) -> FastAPI:
    """One app for the whole run, started by each test client on that test's services: building an
    app's routes and their validators costs more than most tests (about 0.15 s an app)."""
    if not _SHARED:
        _SHARED.append(create_app(services=_Starting.next))
    _Starting.services = services
    return _SHARED[0]


@contextmanager
def api_of(services: Services) -> Iterator[Api]:
    keys = {role: services.keys.create(role, f"{role.value} key")[1] for role in Role}
    with TestClient(app_on(services)) as client:
        yield Api(client, keys)


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_of(services) as client:
        yield client


@pytest.fixture
def world(database_url: str, world_schema: dict[str, tuple[str, "World"]], api: Api) -> "World":
    """The 15th UN–OIC general meeting, its parties and one commitment, recorded through the API (in the
    template the test's database is a copy of)."""
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    return world_schema[engine][1]


@dataclass
class Standing:
    """A service with the world recorded, kept for a whole test module, on one engine."""

    services: Services
    api: Api
    world: "World"


@pytest.fixture(scope="module", params=ENGINES)
def standing(
    request: pytest.FixtureRequest, copies: Copies, world_schema: dict[str, tuple[str, "World"]]
) -> Iterator[Standing]:
    """For the tests whose requests are all refused, or only read (each says so with
    ``standing_unchanged``): they share one world per module and engine instead of recording it
    again for each."""
    template, world = world_schema[request.param]
    with (
        copies.copy(template) as url,
        build(settings_for_tests(url, denial_limit=1_000_000), clock=FrozenClock()) as services,
        api_of(services) as client,
    ):
        yield Standing(services, client, world)


@pytest.fixture
def standing_unchanged(standing: Standing) -> Iterator[None]:
    """The test stored nothing in the standing world (its requests were refused, or only read)."""
    before = standing.services.store.recorder.max_notification_id()
    yield
    assert standing.services.store.recorder.max_notification_id() == before


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook receiver on loopback that answers 200."""
    with Receiver() as running:
        yield running


@pytest.fixture
def nothing_stored(services: Services) -> Iterator[None]:
    """The test's requests are refused: no event is stored by them."""
    before = services.store.recorder.max_notification_id()
    yield
    assert services.store.recorder.max_notification_id() == before
