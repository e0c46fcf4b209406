"""What each answer of a webhook endpoint means for the delivery."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidValue
from domain.webhooks import (
    DeliveryStatus,
    Outcome,
    commitment_event_type,
    concerns,
    decide,
    kinds,
    wants,
)

NOW = datetime(2025, 1, 2, tzinfo=UTC)
SCHEDULE = (1.0, 10.0, 100.0)


def test_event_types_are_named_for_subscribers() -> None:
    assert commitment_event_type("MarkedOverdue") == "commitment.overdue"
    assert commitment_event_type("DueSoon") == "commitment.due_soon"
    assert commitment_event_type("DeliveryRejected") == "commitment.delivery_rejected"


@pytest.mark.parametrize(
    ("subscribed", "event_type", "wanted"),
    [
        (["overdue"], "commitment.overdue", True),
        (["overdue"], "commitment.due_soon", False),
        (["due_soon"], "commitment.due_soon", True),
        (["lifecycle"], "commitment.delivered", True),
        (["lifecycle"], "commitment.overdue", False),
        (["lifecycle"], "subscription.disabled", False),
        (["operations"], "delivery.exhausted", True),
        (["all"], "subscription.disabled", True),
        (["all"], "commitment.started", True),
    ],
)
def test_a_subscription_hears_the_kinds_it_asked_for(subscribed: list[str], event_type: str, wanted: bool) -> None:
    assert wants(subscribed, event_type) is wanted


def test_a_party_filter_keeps_commitments_the_parties_lead_or_support() -> None:
    assert concerns([], ["a"])
    assert concerns(["a"], ["b", "a"])
    assert not concerns(["a"], ["b"])


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        kinds(["overdue", "everything"])
    assert refused.value.field == "kinds[1]"
    with pytest.raises(InvalidValue):
        kinds([])


@pytest.mark.parametrize("status", [200, 201, 204, 299])
def test_only_2xx_is_success(status: int) -> None:
    assert decide(status, None, 1, SCHEDULE, NOW).outcome is Outcome.SUCCEEDED


@pytest.mark.parametrize("status", [None, 301, 302, 400, 404, 500, 502])
def test_anything_else_is_retried_on_the_schedule_with_jitter(status: int | None) -> None:
    decision = decide(status, None, 2, SCHEDULE, NOW, jitter=random.Random(7))
    assert decision.outcome is Outcome.RETRY
    assert decision.next_attempt_at is not None
    assert NOW + timedelta(seconds=10) <= decision.next_attempt_at <= NOW + timedelta(seconds=12)


def test_jitter_spreads_retries() -> None:
    spread = {decide(500, None, 1, SCHEDULE, NOW, jitter=random.Random(seed)).next_attempt_at for seed in range(20)}
    assert len(spread) > 10


def test_after_the_last_attempt_the_delivery_has_failed() -> None:
    assert decide(500, None, 3, SCHEDULE, NOW).outcome is Outcome.RETRY
    assert decide(500, None, 4, SCHEDULE, NOW).outcome is Outcome.FAILED


def test_410_gone_disables_the_subscription() -> None:
    gone = decide(410, None, 1, SCHEDULE, NOW)
    assert gone.outcome is Outcome.GONE and gone.status is DeliveryStatus.FAILED
    assert gone.disable_because == "the endpoint answered 410 Gone"


def test_a_subscription_failing_for_the_whole_window_is_disabled() -> None:
    window = timedelta(days=3)
    lately = decide(500, None, 1, SCHEDULE, NOW, failing_since=NOW - timedelta(days=2), failure_window=window)
    assert lately.outcome is Outcome.RETRY and lately.disable_because is None
    for_long = decide(500, None, 1, SCHEDULE, NOW, failing_since=NOW - window, failure_window=window)
    assert for_long.outcome is Outcome.RETRY  # this delivery still retries until the subscription is resumed
    assert for_long.disable_because is not None and (NOW - window).isoformat() in for_long.disable_because
    exhausted = decide(None, None, 4, SCHEDULE, NOW, failing_since=NOW - timedelta(days=5), failure_window=window)
    assert exhausted.outcome is Outcome.FAILED and exhausted.disable_because is not None


def test_no_failure_window_never_disables_and_success_never_does() -> None:
    assert decide(500, None, 4, SCHEDULE, NOW, failing_since=NOW - timedelta(days=365)).disable_because is None
    assert (
        decide(
            200, None, 1, SCHEDULE, NOW, failing_since=NOW - timedelta(days=365), failure_window=timedelta(days=1)
        ).disable_because
        is None
    )


@pytest.mark.parametrize(
    ("outcome_of", "status"),
    [(200, DeliveryStatus.SUCCEEDED), (500, DeliveryStatus.PENDING), (410, DeliveryStatus.FAILED)],
)
def test_what_becomes_of_the_delivery(outcome_of: int, status: DeliveryStatus) -> None:
    assert decide(outcome_of, None, 1, SCHEDULE, NOW).status is status
    assert decide(500, None, 4, SCHEDULE, NOW).status is DeliveryStatus.FAILED


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 599])
def test_retry_after_is_honoured_on_429_and_5xx(status: int) -> None:
    decision = decide(status, timedelta(minutes=5), 1, SCHEDULE, NOW)
    assert decision.next_attempt_at == NOW + timedelta(minutes=5)


def test_retry_after_is_not_honoured_for_other_failures_nor_beyond_a_day() -> None:
    not_honoured = decide(404, timedelta(minutes=5), 1, SCHEDULE, NOW, jitter=random.Random(1)).next_attempt_at
    assert not_honoured is not None and not_honoured < NOW + timedelta(seconds=2)
    assert decide(503, timedelta(days=30), 1, SCHEDULE, NOW).next_attempt_at == NOW + timedelta(days=1)
