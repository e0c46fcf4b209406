"""Auditors see the record exactly as it stood at any past instant, checked against a plain replay."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from api.bootstrap import Services, build
from domain.access import Role
from domain.commitments.commitment import Commitment
from tests.api.test_api_errors import assert_problem
from tests.conftest import ENGINES, Api, api_of, settings_for_tests
from tests.copies import Copies
from tests.fakes import FrozenClock
from tests.recorded_history import record_history


def replayed(services: Services, commitment_id: str, at: datetime) -> Commitment | None:
    """The commitment rebuilt from its events recorded up to ``at``, by hand."""
    aggregate: Commitment | None = None
    for event in services.store.events.get(UUID(commitment_id)):
        assert isinstance(event, Aggregate.Event)
        if event.timestamp <= at:
            aggregate = event.mutate(aggregate)
    return aggregate


def listed(api: Api, **params: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        body = api.get("/commitments", limit=200, **params, **({"cursor": cursor} if cursor else {})).json()
        found.update({item["id"]: item for item in body["items"]})
        cursor = body["next_cursor"]
        if cursor is None:
            return found


@dataclass
class Past:
    """A long history recorded once per module and engine, for the tests that only read it."""

    services: Services
    api: Api
    history: dict[str, Any]


@pytest.fixture(scope="module", params=ENGINES)
def past(request: pytest.FixtureRequest, copies: Copies, empty_schema: dict[str, str]) -> Iterator[Past]:
    clock = FrozenClock()
    with (
        copies.copy(empty_schema[request.param]) as url,
        build(settings_for_tests(url), clock=clock) as services,
        api_of(services) as api,
    ):
        start = clock.now
        recorded = record_history(services.tracker, clock, commitments=45)
        recorded["start"], recorded["end"] = start, clock.now
        stored = services.store.recorder.max_notification_id()
        yield Past(services, api, recorded)
        assert services.store.recorder.max_notification_id() == stored, "a test of the past changed it"


def test_the_portfolio_as_of_any_instant_matches_a_replay(past: Past) -> None:
    api, services, history = past.api, past.services, past.history
    span = history["end"] - history["start"]
    for fraction in (0.0, 0.1, 0.35, 0.6, 0.99, 1.0):
        at = history["start"] + span * fraction
        expected = {}
        for commitment_id in history["commitments"]:
            aggregate = replayed(services, commitment_id, at)
            if aggregate is not None:
                expected[commitment_id] = (aggregate.status.value, aggregate.version, aggregate.overdue)
        found = listed(api, as_of=at.isoformat())
        assert {i: (c["status"], c["version"], c["overdue"]) for i, c in found.items()} == expected, at
        in_progress = listed(api, as_of=at.isoformat(), status="in_progress")
        assert set(in_progress) == {i for i, state in expected.items() if state[0] == "in_progress"}


def test_one_commitment_as_of_an_instant_is_exactly_as_it_stood(past: Past) -> None:
    api, services, history = past.api, past.services, past.history
    for commitment_id in history["commitments"][::7]:
        events = list(services.store.events.get(UUID(commitment_id)))
        for event in events:
            assert isinstance(event, Aggregate.Event)
            at = event.timestamp + timedelta(microseconds=1)
            shown = api.get(f"/commitments/{commitment_id}", as_of=at.isoformat()).json()
            expected = replayed(services, commitment_id, at)
            assert expected is not None and expected.due_at is not None
            assert (shown["status"], shown["version"], shown["due_at"]) == (
                expected.status.value,
                expected.version,
                expected.due_at.isoformat().replace("+00:00", "Z"),
            )


def test_before_a_commitment_was_recorded_it_did_not_exist(past: Past) -> None:
    api, history = past.api, past.history
    first = history["commitments"][0]
    before = (history["start"] - timedelta(days=1)).isoformat()
    assert_problem(api.get(f"/commitments/{first}", as_of=before), 404, "not-found")
    assert listed(api, as_of=before) == {}


def test_as_of_is_an_instant_and_excludes_version(past: Past) -> None:
    api, history = past.api, past.history
    first = history["commitments"][0]
    assert_problem(api.get(f"/commitments/{first}", as_of="last spring"), 422, "invalid-value", "as_of")
    assert_problem(api.get(f"/commitments/{first}", as_of="2023-01-01", version=1), 422, "invalid-value", "as_of")
    assert_problem(api.get("/commitments", as_of="2023-01-01T00:00:00"), 422, "invalid-value", "as_of")
    assert api.get(f"/commitments/{first}", as_of="2030-01-01", role=Role.AUDITOR).status_code == 200


def test_a_late_entry_shows_both_times_and_counts_on_the_effective_axis(api: Api, clock: Any) -> None:
    from tests.world import build_world

    world = build_world(api)
    clock.set(datetime(2024, 6, 1, 9, tzinfo=clock.now.tzinfo))
    api.post(f"/commitments/{world.commitment}/start")
    clock.set(datetime(2024, 7, 1, 9, tzinfo=clock.now.tzinfo))  # recorded on 1 July ...
    api.post(
        f"/commitments/{world.commitment}/deliver",
        {"evidence": [{"title": "Workshop report"}], "delivered_on": "2024-06-10"},
    )  # ... done on 10 June
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    delivered = [e for e in events if e["type"] == "Delivered"][0]
    assert (delivered["recorded_at"], delivered["effective_on"], delivered["late"]) == (
        "2024-07-01T09:00:00Z",
        "2024-06-10",
        True,
    )
    assert not [e for e in events if e["type"] == "Started"][0]["late"]
    june_15 = "2024-06-15T12:00:00Z"
    assert api.get(f"/commitments/{world.commitment}", as_of=june_15).json()["status"] == "in_progress"
    assert api.get(f"/commitments/{world.commitment}", as_of=june_15, axis="effective").json()["status"] == "delivered"
    assert (
        api.get(f"/commitments/{world.commitment}", as_of="2024-06-05", axis="effective").json()["status"]
        == "in_progress"
    )
    assert_problem(
        api.get(f"/commitments/{world.commitment}", as_of=june_15, axis="sideways"), 422, "invalid-value", "axis"
    )


def test_a_meeting_recorded_as_held_late_is_visible_as_late(api: Api, clock: Any) -> None:
    from tests.world import build_world

    world = build_world(api)
    clock.set(datetime(2022, 8, 1, 9, tzinfo=clock.now.tzinfo))
    api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})
    held = api.get(f"/meetings/{world.meeting}/history").json()["events"][-1]
    assert (held["type"], held["effective_on"], held["late"]) == ("Held", "2022-07-20", True)


def test_the_portfolio_on_the_effective_axis_counts_facts_recorded_late(api: Api, clock: Any) -> None:
    from tests.world import build_world

    world = build_world(api)
    clock.set(datetime(2024, 7, 1, 9, tzinfo=clock.now.tzinfo))
    api.post(
        f"/commitments/{world.commitment}/deliver",
        {"evidence": [{"title": "Workshop report"}], "delivered_on": "2024-06-10"},
    )
    june_15 = "2024-06-15T12:00:00Z"
    assert listed(api, as_of=june_15, status="delivered") == {}
    assert set(listed(api, as_of=june_15, status="delivered", axis="effective")) == {world.commitment}
    assert listed(api, as_of="2024-06-01", status="delivered", axis="effective") == {}
    assert_problem(api.get("/commitments", as_of=june_15, axis="both"), 422, "invalid-value", "axis")


def test_without_late_facts_both_axes_agree(past: Past) -> None:
    api, services, history = past.api, past.services, past.history
    at = (history["start"] + (history["end"] - history["start"]) * 0.5).isoformat()
    on_time = {
        i for i in history["commitments"] if not any(e.late for e in services.tracker.histories.events(Commitment, i))
    }
    assert len(on_time) > 10  # and some were recorded late: the follow-up fulfilled months after its session
    assert on_time != set(history["commitments"])
    recorded = {i: (c["status"], c["version"]) for i, c in listed(api, as_of=at).items() if i in on_time}
    effective = {
        i: (c["status"], c["version"]) for i, c in listed(api, as_of=at, axis="effective").items() if i in on_time
    }
    assert effective == recorded


@pytest.mark.parametrize("axis", ["recorded", "effective"])
def test_a_commitment_whose_parties_were_corrected_is_found_by_the_parties_it_had_then(
    api: Api, services: Services, clock: FrozenClock, world: Any, axis: str
) -> None:
    """Corrected from one lead to another, a commitment is found, as of before the correction, by the party
    that led it then (as lead, and as any party) and not by the one that leads it now; as of after, the
    other way round. A supporting party removed by the correction is found as it was too."""
    made = api.created(
        "/commitments",
        {
            "text": {"texts": {"en": "Publish the yearbook"}},
            "meeting_id": world.meeting,
            "lead_party_id": world.oic,
            "supporting_party_ids": [world.sesric],
            "due": {"precision": "year", "value": "2030"},
        },
    )
    clock.advance(days=2)
    before = clock.now
    clock.advance(days=2)
    corrected = api.post(
        f"/commitments/{made['id']}/correction",
        {"reason": "the report named the wrong lead", "lead_party_id": world.un, "supporting_party_ids": []},
    )
    assert corrected.status_code == 200, corrected.text
    clock.advance(days=2)
    after = clock.now
    for at, then, now in ((before, world.oic, world.un), (after, world.un, world.oic)):
        when = {"as_of": at.isoformat(), "axis": axis}
        assert made["id"] in listed(api, lead_party=then, **when), (at, "lead")
        assert made["id"] in listed(api, party=then, **when), (at, "party")
        assert made["id"] not in listed(api, lead_party=now, **when), (at, "not lead")
        assert made["id"] not in listed(api, party=now, **when), (at, "not party")
    assert made["id"] in listed(api, supporting_party=world.sesric, as_of=before.isoformat(), axis=axis)
    assert made["id"] not in listed(api, supporting_party=world.sesric, as_of=after.isoformat(), axis=axis)
