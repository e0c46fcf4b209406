"""Overdue and due-soon are facts recorded once when the clock passes them, and cleared by events."""

from datetime import UTC, date, datetime, timedelta

from domain.commitments.commitment import Commitment
from domain.commitments.due import Due
from domain.commitments.promise import Evidence
from tests.commitments.test_lifecycle import in_state

DUE = datetime(2024, 12, 31, 21, 0, tzinfo=UTC)  # "2024" in Riyadh
BEFORE = DUE - timedelta(seconds=1)
AFTER = DUE + timedelta(days=3)


def events(commitment: Commitment) -> list[str]:
    return [type(e).__name__ for e in commitment.collect_events()]


def test_marking_overdue_is_recorded_once_per_due_instant() -> None:
    commitment = in_state("in_progress")
    commitment.collect_events()
    assert commitment.mark_overdue(AFTER, "scheduler", AFTER)
    assert not commitment.mark_overdue(AFTER, "scheduler", AFTER)
    assert not commitment.mark_overdue(AFTER + timedelta(days=30), "scheduler", AFTER)
    assert events(commitment) == ["MarkedOverdue"]
    assert commitment.overdue


def test_marking_overdue_before_the_due_instant_stores_nothing() -> None:
    commitment = in_state("agreed")
    commitment.collect_events()
    assert not commitment.mark_overdue(BEFORE, "scheduler", BEFORE)
    assert commitment.mark_overdue(DUE, "scheduler", DUE)  # the due instant itself is late
    assert events(commitment) == ["MarkedOverdue"]


def test_a_delivered_assessed_cancelled_or_superseded_commitment_is_never_overdue() -> None:
    for status in ("delivered", "fulfilled", "not_fulfilled", "cancelled", "superseded"):
        commitment = in_state(status)
        commitment.collect_events()
        assert not commitment.mark_overdue(AFTER, "scheduler", AFTER), status
        assert events(commitment) == []


def test_delivery_clears_the_overdue_flag_by_an_event() -> None:
    commitment = in_state("in_progress")
    commitment.mark_overdue(AFTER, "scheduler", AFTER)
    commitment.collect_events()
    commitment.deliver((Evidence(title="Report"),), date(2025, 1, 2), None, "key_a", AFTER)
    assert events(commitment) == ["Delivered", "OverdueCleared"]
    assert not commitment.overdue


def test_a_due_revision_clears_the_flag_and_the_new_due_is_watched_afresh() -> None:
    commitment = in_state("in_progress")
    commitment.mark_overdue(AFTER, "scheduler", AFTER)
    commitment.collect_events()
    new_due = Due.of("year", "Asia/Riyadh", "2025")
    commitment.revise_due(new_due, new_due.resolve(), "extended", "key_a", AFTER)
    assert events(commitment) == ["DueRevised", "OverdueCleared"]
    assert not commitment.overdue
    later = new_due.resolve() + timedelta(hours=1)
    assert commitment.mark_overdue(later, "scheduler", later)
    assert commitment.overdue_for == new_due.resolve()


def test_due_soon_is_recorded_once_per_lead_time() -> None:
    commitment = in_state("agreed")  # reminders at 30 and 7 days
    commitment.collect_events()
    assert commitment.next_reminder_at == DUE - timedelta(days=30)
    assert not commitment.mark_due_soon(DUE - timedelta(days=31), "scheduler", DUE)
    assert commitment.mark_due_soon(DUE - timedelta(days=29), "scheduler", DUE)
    assert not commitment.mark_due_soon(DUE - timedelta(days=20), "scheduler", DUE)
    assert commitment.next_reminder_at == DUE - timedelta(days=7)
    assert commitment.mark_due_soon(DUE - timedelta(days=6), "scheduler", DUE)
    assert not commitment.mark_due_soon(DUE - timedelta(days=1), "scheduler", DUE)
    lead_days = [e.lead_days for e in commitment.collect_events()]  # type: ignore[attr-defined]  # fields of @event classes are undeclared
    assert lead_days == [30, 7]
    assert commitment.next_reminder_at is None
    assert commitment.due_soon


def test_lead_times_passed_together_are_told_in_one_event() -> None:
    commitment = in_state("agreed")
    commitment.collect_events()
    assert commitment.mark_due_soon(DUE - timedelta(days=2), "scheduler", DUE)
    lead_days = [e.lead_days for e in commitment.collect_events()]  # type: ignore[attr-defined]  # fields of @event classes are undeclared
    assert lead_days == [7]
    assert not commitment.mark_due_soon(DUE - timedelta(days=1), "scheduler", DUE)


def test_nothing_is_due_soon_once_the_due_has_passed() -> None:
    commitment = in_state("agreed")
    assert not commitment.mark_due_soon(AFTER, "scheduler", AFTER)
