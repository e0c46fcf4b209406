"""A promise with no date is recorded as it was made: never due soon or overdue; a review day can remind.

"Both sides resolved to continue consultation to follow up the joint projects" (the Egypt–UNODC talks
of July 2024) has no date; inventing one would raise a false overdue alert years later.
"""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import Services
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.commitments.due import Due
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind, Provenance
from domain.errors import ReasonRequired
from domain.text import MultilingualText
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.receiver import Receiver
from tests.records import commitment
from tests.world import World

UTC = UTC
WHEN = datetime(2024, 7, 11, 9, tzinfo=UTC)
CONSULTATION: dict[str, Any] = {
    "texts": {
        "ar": "مواصلة التشاور والتنسيق لمتابعة تنفيذ المشروعات المشتركة",
        "en": "Continue consultation and coordination to follow up the joint projects",
    },
    "authentic": "ar",
}


def open_ended(review_on: date | None = None) -> Commitment:
    return Commitment(
        kind=CommitmentKind.ACTION,
        text=MultilingualText.of(CONSULTATION["texts"], "ar", "text"),
        lead_party_id=uuid4(),
        supporting_party_ids=(),
        provenance=Provenance(meeting_id=uuid4()),
        due=None,
        due_at=None,
        follow_up=None,
        status=Status.AGREED,
        reminder_days=(30, 7),
        made_on=date(2024, 7, 10),
        review_on=review_on,
        review_at=None if review_on is None else datetime(review_on.year, review_on.month, review_on.day, tzinfo=UTC),
        actor="key_a",
        timestamp=WHEN,
    )


def test_an_open_ended_commitment_is_never_due_soon_or_overdue() -> None:
    promise = open_ended()
    promise.collect_events()
    for years in (0, 1, 50):
        later = WHEN + timedelta(days=365 * years)
        assert not promise.mark_overdue(later, "scheduler", later)
        assert not promise.mark_due_soon(later, "scheduler", later)
    assert promise.collect_events() == []
    assert (promise.overdue, promise.due_soon, promise.next_reminder_at) == (False, False, None)


def test_a_first_due_needs_no_reason_and_then_the_usual_rules_apply() -> None:
    promise = open_ended()
    due = Due.of("year", "Africa/Cairo", "2025")
    promise.revise_due(due, due.resolve(), None, "key_a", WHEN)
    assert promise.due == due
    after = due.resolve() + timedelta(hours=1)
    assert promise.mark_overdue(after, "scheduler", after)
    later = Due.of("year", "Africa/Cairo", "2026")
    with pytest.raises(ReasonRequired):
        promise.revise_due(later, later.resolve(), None, "key_a", after)
    promise.revise_due(None, None, "the plenary left it open", "key_a", after)  # open-ended again
    assert promise.due is None and promise.overdue is False
    assert [type(e).__name__ for e in promise.collect_events()][-2:] == ["DueRevised", "OverdueCleared"]


def test_a_review_day_is_told_once_and_again_after_a_new_one() -> None:
    promise = open_ended(review_on=date(2025, 1, 15))
    promise.collect_events()
    before = datetime(2025, 1, 14, 23, tzinfo=UTC)
    assert not promise.mark_review_due(before, "scheduler", before)
    day = datetime(2025, 1, 15, 1, tzinfo=UTC)
    assert promise.mark_review_due(day, "scheduler", day)
    assert not promise.mark_review_due(day + timedelta(days=3), "scheduler", day)
    assert promise.review_due
    promise.schedule_review(date(2025, 7, 1), datetime(2025, 7, 1, tzinfo=UTC), "looked at it", "key_a", day)
    assert not promise.review_due
    assert promise.mark_review_due(datetime(2025, 7, 2, tzinfo=UTC), "scheduler", day)
    assert [type(e).__name__ for e in promise.collect_events()] == ["ReviewDue", "ReviewScheduled", "ReviewDue"]


def test_a_closed_commitment_is_not_reviewed() -> None:
    promise = open_ended(review_on=date(2025, 1, 15))
    promise.cancel("overtaken by events", "key_a", WHEN)
    assert not promise.mark_review_due(datetime(2025, 2, 1, tzinfo=UTC), "scheduler", WHEN)


# -- through the API, on both engines --------------------------------------------------------------


def record_open_ended(api: Api, world: World, **extra: object) -> dict[str, Any]:
    return api.created("/commitments", commitment(world.meeting, world.oic, text=CONSULTATION, due=None, **extra))


def test_a_commitment_recorded_without_a_due_is_open_ended_and_never_flagged(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    promise = record_open_ended(api, world)
    assert (promise["due"], promise["due_at"], promise["overdue"], promise["due_soon"]) == (None, None, False, False)
    clock.set(datetime(2040, 1, 1, tzinfo=UTC))
    result = services.scanner.tick()
    assert (result.overdue, result.due_soon) == (1, 0)  # the world's dated commitment, not this one
    shown = api.get(f"/commitments/{promise['id']}").json()
    assert (shown["overdue"], shown["due_soon"], shown["version"]) == (False, False, 1)


def test_lists_filter_and_sort_commitments_with_and_without_a_due(api: Api, world: World) -> None:
    promise = record_open_ended(api, world)
    without = api.get("/commitments", has_due="false").json()
    assert [item["id"] for item in without["items"]] == [promise["id"]]
    assert [item["id"] for item in api.get("/commitments", has_due="true").json()["items"]] == [world.commitment]
    assert [item["id"] for item in api.get("/commitments", sort="due").json()["items"]] == [
        world.commitment,
        promise["id"],
    ]
    assert [item["id"] for item in api.get("/commitments", sort="-due").json()["items"]] == [
        promise["id"],
        world.commitment,
    ]
    page = api.get("/commitments", sort="due", limit=1).json()
    rest = api.get("/commitments", sort="due", limit=1, cursor=page["next_cursor"]).json()
    assert [item["id"] for item in rest["items"]] == [promise["id"]]
    assert api.get("/commitments", due_before="2100-01-01").json()["total"] == 1  # a due filter means a due
    assert api.get("/commitments", has_due="false", as_of="2030-01-01").json()["total"] == 1
    assert api.get("/commitments", has_due="false", as_of="2030-01-01", axis="effective").json()["total"] == 1


def test_a_due_added_later_brings_the_usual_alerts(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    promise = record_open_ended(api, world)
    response = api.post(f"/commitments/{promise['id']}/due", {"due": {"precision": "year", "value": "2023"}})
    assert response.status_code == 200, response.text
    assert response.json()["due_at"] == "2023-12-31T23:00:00Z"  # Geneva time, the meeting's venue
    assert_problem(
        api.post(f"/commitments/{promise['id']}/due", {"due": {"precision": "year", "value": "2024"}}),
        422,
        "reason-required",
        "reason",
    )
    clock.set(datetime(2024, 1, 2, tzinfo=UTC))
    services.scanner.tick()
    assert api.get(f"/commitments/{promise['id']}").json()["overdue"] is True
    reopened = api.post(f"/commitments/{promise['id']}/due", {"due": None, "reason": "left open by the plenary"})
    assert (reopened.json()["due"], reopened.json()["overdue"]) == (None, False)


def test_a_review_day_is_a_fact_and_a_webhook_like_due_soon(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    subscription = api.post("/subscriptions", {"url": receiver.url, "kinds": ["review_due"]}, role=Role.ADMIN)
    assert subscription.status_code == 201, subscription.text
    promise = record_open_ended(api, world, review_on="2023-01-15")
    assert promise["review_at"] == "2023-01-14T23:00:00Z"  # the start of the day in Geneva
    clock.set(datetime(2023, 1, 14, 22, tzinfo=UTC))
    assert services.scanner.tick().review_due == 0
    clock.set(datetime(2023, 1, 15, 8, tzinfo=UTC))
    assert services.scanner.tick().review_due == 1
    assert services.scanner.tick().review_due == 0
    assert [item["id"] for item in api.get("/commitments", review_due="true").json()["items"]] == [promise["id"]]
    services.dispatcher.tick()
    assert len(receiver.received) == 1
    payload = json.loads(receiver.received[0].body)
    assert payload["type"] == "commitment.review_due"
    assert payload["data"]["event"]["payload"]["review_on"] == "2023-01-15"
    moved = api.post(f"/commitments/{promise['id']}/review", {"review_on": "2023-07-01", "reason": "reviewed"})
    assert (moved.json()["review_on"], moved.json()["review_due"]) == ("2023-07-01", False)
    history = [e["type"] for e in api.get(f"/commitments/{promise['id']}/history").json()["events"]]
    assert history == ["Recorded", "ReviewDue", "ReviewScheduled"]


def test_the_openapi_document_says_the_due_is_optional(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    required = set(schemas["CommitmentCreate"]["required"])
    assert {"text", "lead_party_id", "meeting_id"} <= required
    assert not {"due", "made_on", "review_on", "kind", "status"} & required
    assert "open-ended" in schemas["CommitmentCreate"]["properties"]["due"]["description"]
