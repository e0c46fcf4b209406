"""Retries, stale copies and races: nothing is recorded twice and nothing is overwritten blindly."""

from uuid import UUID

from domain.access import Role
from infrastructure.bootstrap import Services
from tests.conftest import Api
from tests.records import commitment
from tests.test_api_errors import assert_problem
from tests.world import build_world


def count_events(services: Services) -> int:
    return services.tracker.recorder.max_notification_id() or 0


def test_a_retried_create_returns_the_first_response_and_stores_nothing_new(api: Api, services: Services) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, **{"Idempotency-Key": "row-7-import"})
    assert first.status_code == 201
    events = count_events(services)
    again = api.post("/commitments", body, **{"Idempotency-Key": "row-7-import"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"] == f"/commitments/{first.json()['id']}"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_events(services) == events


def test_a_retry_answers_with_the_first_response_even_after_the_resource_changed(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, **{"Idempotency-Key": "k1"}).json()
    api.post(f"/commitments/{first['id']}/start")
    assert api.post("/commitments", body, **{"Idempotency-Key": "k1"}).json()["status"] == "agreed"


def test_reusing_a_key_for_another_request_is_refused(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post("/commitments", commitment(world.meeting, world.oic), **{"Idempotency-Key": "k2"})
    events = count_events(services)
    other = commitment(world.meeting, world.un)
    assert_problem(api.post("/commitments", other, **{"Idempotency-Key": "k2"}), 422, "idempotency-key-reused",
                   "Idempotency-Key")
    assert count_events(services) == events


def test_the_same_key_from_two_callers_creates_two_resources(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    mine = api.post("/commitments", body, **{"Idempotency-Key": "shared"}).json()
    theirs = api.post("/commitments", body, role=Role.ADMIN, **{"Idempotency-Key": "shared"}).json()
    assert mine["id"] != theirs["id"]


def test_a_retry_after_the_response_was_lost_in_a_crash_creates_nothing(api: Api, services: Services) -> None:
    # The first attempt saved its events, then the process died before remembering the response.
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    first = api.post("/commitments", body, **{"Idempotency-Key": "crash"}).json()
    with services.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM idempotency_records")
    events = count_events(services)
    retry = api.post("/commitments", body, **{"Idempotency-Key": "crash"})
    assert retry.status_code == 201
    assert retry.json() == first
    assert count_events(services) == events


def test_without_a_key_two_posts_create_two_commitments(api: Api) -> None:
    world = build_world(api)
    body = commitment(world.meeting, world.oic)
    assert api.created("/commitments", body)["id"] != api.created("/commitments", body)["id"]


def test_a_malformed_idempotency_key_is_a_400(api: Api) -> None:
    world = build_world(api)
    assert_problem(api.post("/commitments", commitment(world.meeting, world.oic), **{"Idempotency-Key": "x" * 300}),
                   400, "malformed-header", "Idempotency-Key")


def test_the_etag_is_the_version_and_changes_with_every_event(api: Api) -> None:
    world = build_world(api)
    read = api.get(f"/commitments/{world.commitment}")
    assert read.headers["ETag"] == '"1"'
    started = api.post(f"/commitments/{world.commitment}/start", **{"If-Match": read.headers["ETag"]})
    assert started.status_code == 200
    assert started.headers["ETag"] == '"2"'


def test_a_stale_if_match_is_a_412_and_changes_nothing(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    events = count_events(services)
    stale = api.post(f"/commitments/{world.commitment}/stall", {"reason": "x"}, **{"If-Match": '"1"'})
    body = assert_problem(stale, 412, "stale-version")
    assert body["current_version"] == 2
    assert count_events(services) == events
    assert api.get(f"/commitments/{world.commitment}").json()["status"] == "in_progress"


def test_a_malformed_if_match_is_a_400(api: Api) -> None:
    world = build_world(api)
    assert_problem(api.post(f"/commitments/{world.commitment}/start", **{"If-Match": "yesterday"}), 400,
                   "malformed-header", "If-Match")


def test_if_match_star_or_weak_etags_are_understood(api: Api) -> None:
    world = build_world(api)
    assert api.post(f"/commitments/{world.commitment}/start", **{"If-Match": "*"}).status_code == 200
    assert api.post(f"/commitments/{world.commitment}/stall", **{"If-Match": 'W/"2"'}).status_code == 200


def test_if_match_applies_to_meetings_and_agreements_too(api: Api) -> None:
    world = build_world(api)
    assert_problem(api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"},
                            **{"If-Match": '"7"'}), 412, "stale-version")


def test_a_lost_race_is_a_409_and_the_winner_is_kept(api: Api, services: Services) -> None:
    world = build_world(api)
    cid = UUID(world.commitment)
    tracker = services.tracker
    original_clock = tracker.clock

    def clock_that_lets_a_rival_write_first():  # type: ignore[no-untyped-def]
        # Called after this request loaded the commitment and before it saves:
        # a rival request (another process) starts the commitment in between.
        tracker.clock = original_clock
        tracker.start_commitment(cid, "key_rival")
        return original_clock()

    tracker.clock = clock_that_lets_a_rival_write_first
    lost = api.post(f"/commitments/{cid}/stall", {"reason": "no budget"})
    assert_problem(lost, 409, "concurrent-update")
    kept = api.get(f"/commitments/{cid}").json()
    assert kept["status"] == "in_progress"
    assert kept["version"] == 2
