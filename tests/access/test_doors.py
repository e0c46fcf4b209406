"""Every door asks the application who may pass: each route of the API and each page turns credentials
into an actor and reaches use cases that ask ``application.policy``; the doors open by design are listed
once (``api.doors.OPEN_DOORS``), and a door that asks nothing serves nothing."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from api import app as service
from api.dependencies import (
    authenticate,
    require_admin,
    require_auditor,
    require_commitment_writer,
    require_unlimited_writer,
    require_writer,
)
from api.doors import OPEN_DOORS, PolicyWatch
from api.web import app as pages
from api.web.visitors import signed_in
from application import policy
from application.errors import NotAllowed
from domain.access import Principal, Role
from tests.actors import acting
from tests.conftest import Api

CREDENTIALS: tuple[Callable[..., object], ...] = (authenticate, signed_in)


def calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from calls(dependency)


def every_door() -> dict[str, APIRoute | None]:
    """``"METHOD /path"`` of every route of the API and every page (``None``: a mount, the static files)."""
    doors: dict[str, APIRoute | None] = {}
    for route in service.operations():
        for method in sorted(route.methods or ()):
            doors[f"{method} {route.path}"] = route
    for module in pages.PAGES:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            for method in sorted(route.methods or ()):
                doors[f"{method} {service.WEB_PREFIX}{route.path}"] = route
    web = pages.create_web_app()
    for mounted in web.routes:
        if isinstance(mounted, Mount):
            doors[f"GET {service.WEB_PREFIX}{mounted.path}"] = None
    doors["GET /"] = None  # the app factory's own: a redirect to the pages
    doors["GET /docs"] = None
    doors["GET /openapi.json"] = None
    return doors


DOORS = every_door()


def test_there_are_doors_to_check() -> None:
    assert len([name for name in DOORS if name.startswith("POST /app")]) >= 20
    assert len([name for name in DOORS if not name.startswith(("GET /app", "POST /app"))]) >= 60


@pytest.mark.parametrize("name", sorted(DOORS))
def test_every_door_is_open_by_design_or_turns_credentials_into_an_actor(name: str) -> None:
    route = DOORS[name]
    if name in OPEN_DOORS:
        return
    assert route is not None, f"{name} is neither a route nor listed as open by design"
    asked = set(calls(route.dependant))
    assert asked & set(CREDENTIALS), f"{name} never turns credentials into an actor"


# The API's changes whose rule only their use case asks (it needs the feed, or any role may): each is listed.
ASKED_BY_THE_USE_CASE_ONLY = {
    "POST /calendars": "keeps_calendar_feeds: every role but the auditor's, asked by CalendarFeeds.make",
    "DELETE /calendars/{feed_id}": "owns_feed: the feed's own key or an admin, asked by CalendarFeeds.close",
}
EARLY_RULES: tuple[Callable[..., object], ...] = (
    require_writer,
    require_unlimited_writer,
    require_commitment_writer,
    require_auditor,
    require_admin,
)


def test_every_change_through_the_api_asks_its_rule_before_reading_the_body() -> None:
    """A key that may not is refused (403) before its request is read: a new route that changes something
    and asks no rule early fails here, unless it is listed with the rule its use case asks."""
    unasked = {
        name
        for name, route in DOORS.items()
        if route is not None
        and not name.startswith(("GET ", f"POST {service.WEB_PREFIX}"))
        and name not in OPEN_DOORS
        and not set(calls(route.dependant)) & set(EARLY_RULES)
    }
    assert unasked == set(ASKED_BY_THE_USE_CASE_ONLY)


def test_every_open_door_exists() -> None:
    assert set(OPEN_DOORS) <= set(DOORS)


# -- the watch -----------------------------------------------------------------------------------------

CALLER = acting("key_watch", Role.COORDINATOR)
AUDITOR = acting("key_auditor", Role.AUDITOR)


def watched() -> TestClient:
    router = APIRouter()

    def reader() -> Principal:
        return policy.reads(CALLER)

    @router.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "shown to anyone"}

    @router.get("/asked")
    def asked(_: Principal = Depends(reader)) -> dict[str, str]:  # noqa: B008
        return {"shown": "to a key"}

    @router.post("/written-by-any-reader")
    def written_by_any_reader(_: Principal = Depends(reader)) -> dict[str, str]:  # noqa: B008
        return {"changed": "by a key that only reads"}

    @router.post("/written")
    def written(_: Principal = Depends(reader)) -> dict[str, str]:  # noqa: B008
        policy.records(CALLER)
        return {"changed": "by a key that records"}

    @router.post("/refused")
    def refused() -> dict[str, str]:
        try:
            policy.records(AUDITOR)
        except NotAllowed:
            return {"refused": "and said so"}
        raise AssertionError("an auditor records nothing")

    app = FastAPI()
    app.include_router(router)
    app.add_middleware(PolicyWatch)
    return TestClient(app)


def test_a_door_that_asks_no_rule_serves_nothing() -> None:
    client = watched()
    forgotten = client.get("/forgotten")
    assert forgotten.status_code == 500
    assert "shown to anyone" not in forgotten.text
    assert client.get("/asked").json() == {"shown": "to a key"}


def test_a_door_that_changes_something_asks_more_than_whether_the_key_reads() -> None:
    client = watched()
    assert client.post("/written-by-any-reader").status_code == 500
    assert client.post("/written").json() == {"changed": "by a key that records"}
    assert client.post("/refused").status_code == 200  # a rule was asked: it said no


def test_the_pages_offer_what_the_policy_allows_without_asking_it_for_a_use_case() -> None:
    with policy.asking() as asked:
        assert policy.allows(policy.records, CALLER)
        assert not policy.allows(policy.records, AUDITOR)
        assert not policy.allows(policy.records, None)
    assert asked == []


def test_every_door_of_a_running_service_asks(api: Api) -> None:
    """The watch is installed: a key's request is answered (it asked), an auditor's write refused (403)."""
    assert api.get("/parties", role=Role.AUDITOR).status_code == 200
    refused = api.post("/parties", {"names": {"texts": {"en": "Anything"}}, "kind": "ngo"}, role=Role.AUDITOR)
    assert refused.status_code == 403
