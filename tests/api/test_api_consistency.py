"""Retries, stale copies and races: nothing is recorded twice and nothing is overwritten blindly."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

from api.bootstrap import Services
from domain.access import Role
from tests.actors import acting
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import commitment, party
from tests.world import build_world


def count_events(services: Services) -> int:
    return services.store.recorder.max_notification_id() or 0


def test_a_retried_create_returns_the_first_response_and_stores_nothing_new(api: Api, services: Services) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, headers={"Idempotency-Key": "row-7-import"})
    assert first.status_code == 201
    events = count_events(services)
    again = api.post("/commitments", body, headers={"Idempotency-Key": "row-7-import"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"] == f"/commitments/{first.json()['id']}"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_events(services) == events


def test_a_retry_answers_with_the_first_response_even_after_the_resource_changed(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, headers={"Idempotency-Key": "k1"}).json()
    api.post(f"/commitments/{first['id']}/start")
    assert api.post("/commitments", body, headers={"Idempotency-Key": "k1"}).json()["status"] == "agreed"


def test_reusing_a_key_for_another_request_is_refused(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post("/commitments", commitment(world.meeting, world.oic), headers={"Idempotency-Key": "k2"})
    events = count_events(services)
    other = commitment(world.meeting, world.un)
    assert_problem(
        api.post("/commitments", other, headers={"Idempotency-Key": "k2"}),
        422,
        "idempotency-key-reused",
        "Idempotency-Key",
    )
    assert count_events(services) == events


def test_the_same_key_from_two_callers_creates_two_resources(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    mine = api.post("/commitments", body, headers={"Idempotency-Key": "shared"}).json()
    theirs = api.post("/commitments", body, role=Role.ADMIN, headers={"Idempotency-Key": "shared"}).json()
    assert mine["id"] != theirs["id"]


def test_a_retry_after_the_response_was_lost_in_a_crash_creates_nothing(api: Api, services: Services) -> None:
    # The first attempt saved its events, then the process died before remembering the response.
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, headers={"Idempotency-Key": "crash"}).json()
    with services.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM idempotency_records")
    events = count_events(services)
    retry = api.post("/commitments", body, headers={"Idempotency-Key": "crash"})
    assert retry.status_code == 201
    assert retry.json() == first
    assert count_events(services) == events


def test_without_a_key_two_posts_create_two_commitments(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    assert api.created("/commitments", body)["id"] != api.created("/commitments", body)["id"]


def test_a_malformed_idempotency_key_is_a_400(api: Api) -> None:
    world = build_world(api)
    assert_problem(
        api.post("/commitments", commitment(world.meeting, world.oic), headers={"Idempotency-Key": "x" * 300}),
        400,
        "malformed-header",
        "Idempotency-Key",
    )


def test_the_etag_is_the_version_and_changes_with_every_event(api: Api) -> None:
    world = build_world(api)
    read = api.get(f"/commitments/{world.commitment}")
    assert read.headers["ETag"] == '"1"'
    started = api.post(f"/commitments/{world.commitment}/start", headers={"If-Match": read.headers["ETag"]})
    assert started.status_code == 200
    assert started.headers["ETag"] == '"2"'


def test_a_stale_if_match_is_a_412_and_changes_nothing(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    events = count_events(services)
    stale = api.post(f"/commitments/{world.commitment}/stall", {"reason": "x"}, headers={"If-Match": '"1"'})
    body = assert_problem(stale, 412, "stale-version")
    assert body["current_version"] == 2
    assert count_events(services) == events
    assert api.get(f"/commitments/{world.commitment}").json()["status"] == "in_progress"


def test_a_malformed_if_match_is_a_400(api: Api) -> None:
    world = build_world(api)
    assert_problem(
        api.post(f"/commitments/{world.commitment}/start", headers={"If-Match": "yesterday"}),
        400,
        "malformed-header",
        "If-Match",
    )


def test_if_match_star_or_weak_etags_are_understood(api: Api) -> None:
    world = build_world(api)
    assert api.post(f"/commitments/{world.commitment}/start", headers={"If-Match": "*"}).status_code == 200
    assert api.post(f"/commitments/{world.commitment}/stall", headers={"If-Match": 'W/"2"'}).status_code == 200


def test_if_match_applies_to_meetings_and_agreements_too(api: Api) -> None:
    world = build_world(api)
    assert_problem(
        api.post(
            f"/meetings/{world.meeting}/held",
            {"starts_on": "2022-07-18", "ends_on": "2022-07-20"},
            headers={"If-Match": '"7"'},
        ),
        412,
        "stale-version",
    )


def test_a_lost_race_is_a_409_and_the_winner_is_kept(api: Api, services: Services, clock: FrozenClock) -> None:
    world = build_world(api)
    cid = UUID(world.commitment)
    # A change reads the clock once, after it loaded the commitment and before it saves it: a rival
    # request (another process) starts the commitment in between.
    clock.before_next_reading(lambda: services.tracker.commitments.act("start", cid, acting("key_rival")))
    lost = api.post(f"/commitments/{cid}/stall", {"reason": "no budget"})
    assert_problem(lost, 409, "concurrent-update")
    kept = api.get(f"/commitments/{cid}").json()
    assert kept["status"] == "in_progress"
    assert kept["version"] == 2


def racing(count: int, send: Callable[[int], Any]) -> list[Any]:
    """``send(n)`` from ``count`` threads released together."""
    start = threading.Barrier(count)

    def go(n: int) -> Any:
        start.wait(30)
        return send(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(go, range(count)))


def test_a_lost_race_with_if_match_is_always_a_412_naming_the_current_version(
    api: Api, services: Services, clock: FrozenClock
) -> None:
    """The bug: the same stale If-Match was answered 412 or 409 depending on timing (RFC 9110: 412)."""
    world = build_world(api)
    cid = UUID(world.commitment)
    clock.before_next_reading(lambda: services.tracker.commitments.act("start", cid, acting("key_rival")))
    lost = api.post(f"/commitments/{cid}/stall", {"reason": "no budget"}, headers={"If-Match": '"1"'})
    assert_problem(lost, 412, "stale-version")
    assert lost.json()["current_version"] == 2
    assert api.get(f"/commitments/{cid}").json()["status"] == "in_progress"


def test_two_racing_requests_with_one_key_and_different_bodies_carry_out_one(api: Api, services: Services) -> None:
    """The bug: both got 201, and the loser was handed the winner's commitment."""
    world = build_world(api)
    events = count_events(services)
    bodies = [commitment(world.meeting, world.oic, text={"texts": {"en": f"Version {n}"}}) for n in range(2)]
    answers = racing(2, lambda n: api.post("/commitments", bodies[n], headers={"Idempotency-Key": "race"}))
    assert sorted(a.status_code for a in answers) == [201, 422]
    refused = next(a for a in answers if a.status_code == 422)
    assert_problem(refused, 422, "idempotency-key-reused", "Idempotency-Key")
    assert count_events(services) == events + 1


def test_racing_identical_retries_get_the_replay_never_a_409(api: Api, services: Services) -> None:
    world = build_world(api)
    events = count_events(services)
    body = commitment(world.meeting, world.oic)
    answers = racing(6, lambda _: api.post("/commitments", body, headers={"Idempotency-Key": "retry"}))
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 5
    assert count_events(services) == events + 1


def test_a_key_on_parties_is_honoured_too(api: Api, services: Services) -> None:
    """The bug: the party's id comes from its acronym, so the key was ignored (36 parties for 20 keys)."""
    answers = racing(8, lambda n: api.post("/parties", party(f"P{n}"), headers={"Idempotency-Key": f"key-{n // 2}"}))
    assert sorted(a.status_code for a in answers) == [201] * 4 + [422] * 4
    assert api.get("/parties").json()["total"] == 4


def test_a_subscription_is_created_once_per_key_with_one_secret(api: Api) -> None:
    body = {"url": "https://93.184.215.14/hooks", "kinds": ["overdue"]}
    first = api.post("/subscriptions", body, role=Role.ADMIN, headers={"Idempotency-Key": "subscribe"})
    again = api.post("/subscriptions", body, role=Role.ADMIN, headers={"Idempotency-Key": "subscribe"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["secret"] == first.json()["secret"]
    assert len(api.get("/subscriptions").json()["items"]) == 1


def test_a_subscription_has_an_etag_and_a_stale_if_match_changes_nothing(api: Api) -> None:
    made = api.post("/subscriptions", {"url": "https://93.184.215.14/hooks", "kinds": ["overdue"]}, role=Role.ADMIN)
    url = f"/subscriptions/{made.json()['id']}"
    assert api.client.get(url, headers=api.headers()).headers["etag"] == '"1"'
    headers = api.headers(Role.ADMIN, {"If-Match": '"1"'})
    changed = api.client.patch(url, json={"description": "ticketing"}, headers=headers)
    assert (changed.status_code, changed.headers["etag"]) == (200, '"2"')
    stale = api.client.patch(url, json={"description": "overwritten"}, headers=headers)
    assert_problem(stale, 412, "stale-version")
    assert api.client.get(url, headers=api.headers()).json()["description"] == "ticketing"
