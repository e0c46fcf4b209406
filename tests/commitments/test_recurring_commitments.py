"""A recurring commitment ("OIC reports every six months until the end of 2024") is a rule that
generates its occurrences, each a commitment with its own due and lifecycle; changing the rule
regenerates only the occurrences due in the future with nothing reported on them; its history shows
every change of the rule."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from application.errors import ApplicationError, VersionMismatch
from application.inputs import PeriodInput, TextInput
from application.tracker import Tracker
from application.views import RecurrenceView
from domain.commitments.commitment import Commitment
from domain.commitments.promise import Evidence
from domain.commitments.recurrence import NextId, Occurrence, Schedule, Standing, held_days, regeneration
from domain.errors import DomainError
from domain.meetings.meeting import Venue
from tests.actors import acting
from tests.fakes import FrozenClock

REPORT = TextInput(
    {
        "ar": "تقدم منظمة التعاون الإسلامي تقريراً عن تنفيذ خطة العمل",
        "en": "The OIC reports on the implementation of the action plan",
    },
    "ar",
)
UNTIL = date(2024, 12, 31)


@pytest.fixture
def parties(tracker: Tracker) -> dict[str, str]:
    return {
        acronym: tracker.parties.register(
            acting("test"), TextInput({"en": acronym}), acronym, "international_organisation"
        ).id
        for acronym in ("OIC", "UN")
    }


@pytest.fixture
def meeting(tracker: Tracker, clock: FrozenClock) -> str:
    """The 15th UN–OIC general meeting, held in Geneva on 18–20 July 2022 (the clock: the day after)."""
    meeting_id = tracker.meetings.record(
        acting("test"),
        TextInput({"en": "UN–OIC general meeting 15"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
        series="un-oic-general-meeting",
        session_number=15,
    ).id
    tracker.meetings.hold(UUID(meeting_id), acting("test"), PeriodInput(date(2022, 7, 18), date(2022, 7, 20)))
    return meeting_id


def every_six_months(tracker: Tracker, parties: dict[str, str], meeting: str, **options: Any) -> RecurrenceView:
    stated: dict[str, Any] = {"until": UNTIL, "every_months": 6, "status": "agreed", **options}
    return tracker.recurrences.state(acting("coordinator"), REPORT, UUID(parties["OIC"]), UUID(meeting), **stated)


def dues(rule: RecurrenceView, *, withdrawn: bool = False) -> list[str]:
    return [o["due_on"] for o in rule.occurrences if o["withdrawn"] == withdrawn]


def occurrence_due_on(rule: RecurrenceView, day: str) -> str:
    found: str = next(o["commitment_id"] for o in rule.occurrences if o["due_on"] == day and not o["withdrawn"])
    return found


def test_a_rule_generates_one_commitment_per_occurrence_each_due_on_its_day(
    tracker: Tracker, parties: dict[str, str], meeting: str
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    assert rule.dues == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20"]  # a period after the meeting ended
    assert dues(rule) == rule.dues
    for item in rule.occurrences:
        commitment = tracker.commitments.get(item["commitment_id"])
        assert commitment.text["texts"]["ar"] == REPORT.texts["ar"]
        assert commitment.lead_party_id == parties["OIC"] and commitment.status == "agreed"
        assert commitment.provenance["recurrence_id"] == rule.id and commitment.provenance["meeting_id"] == meeting
        assert commitment.due == {
            "precision": "day",
            "time_zone": "Europe/Zurich",
            "value": item["due_on"],
            "amount": None,
            "unit": None,
        }
    first = tracker.commitments.get(rule.occurrences[0]["commitment_id"])
    assert first.due_at == "2023-01-20T23:00:00Z"  # the end of 20 January where the meeting was held


def test_each_occurrence_has_a_lifecycle_of_its_own(tracker: Tracker, parties: dict[str, str], meeting: str) -> None:
    rule = every_six_months(tracker, parties, meeting)
    first, second = (o["commitment_id"] for o in rule.occurrences[:2])
    tracker.commitments.act("start", first, acting("oic"))
    tracker.commitments.deliver(first, acting("oic"), [Evidence("Report to the 16th meeting")])
    assert tracker.commitments.get(first).status == "delivered"
    assert tracker.commitments.get(second).status == "agreed"
    assert [o["status"] for o in tracker.recurrences.get(rule.id).occurrences] == [
        "delivered",
        "agreed",
        "agreed",
        "agreed",
    ]


def test_a_rule_due_at_the_end_of_the_month_stays_due_at_the_end_of_each_month(
    tracker: Tracker, parties: dict[str, str], meeting: str
) -> None:
    rule = every_six_months(
        tracker, parties, meeting, every_months=1, first_due=date(2023, 1, 31), until=date(2023, 4, 30)
    )
    assert rule.dues == ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30"]


@pytest.mark.parametrize(
    "every, months",
    [("every six months", 6), ("كل ستة أشهر", 6), ("annual", 12), ("سنوياً", 12), ("tous les deux ans", 24)],
)
def test_how_often_may_be_written_in_words(
    tracker: Tracker, parties: dict[str, str], meeting: str, every: str, months: int
) -> None:
    rule = tracker.recurrences.state(
        acting("coordinator"), REPORT, UUID(parties["OIC"]), UUID(meeting), date(2030, 12, 31), every=every
    )
    assert rule.schedule["every_months"] == months


def test_a_rule_recorded_late_generates_the_occurrences_already_past_too(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    clock.set(datetime(2023, 9, 1, tzinfo=UTC))
    rule = every_six_months(tracker, parties, meeting)
    assert dues(rule) == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20"]


def test_changing_the_rule_regenerates_only_future_occurrences_with_no_report(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))  # the first occurrence's due has passed
    reported = occurrence_due_on(rule, "2023-07-20")
    tracker.commitments.report_progress(UUID(reported), acting("oic"), 40, "draft circulated")
    before = {o["commitment_id"]: tracker.commitments.get(o["commitment_id"]) for o in rule.occurrences}

    changed = tracker.recurrences.reschedule(
        rule.id, acting("coordinator"), "the 16th meeting asked for yearly reports", every_months=12
    )

    assert changed.dues == ["2023-01-20", "2024-01-20"]
    assert dues(changed) == ["2023-01-20", "2023-07-20", "2024-01-20"]  # past and reported ones stay
    assert dues(changed, withdrawn=True) == ["2024-07-20"]
    withdrawn = occurrence_due_on(rule, "2024-07-20")
    assert tracker.commitments.get(withdrawn).status == "cancelled"
    for commitment_id, was in before.items():
        if commitment_id != withdrawn:
            assert tracker.commitments.get(commitment_id).version == was.version  # untouched


def test_a_new_schedule_moves_open_occurrences_and_generates_the_days_left(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))
    changed = tracker.recurrences.reschedule(
        rule.id,
        acting("coordinator"),
        "reports are due at the end of each quarter",
        every_months=3,
        first_due=date(2023, 3, 31),
        until=date(2024, 6, 30),
    )
    assert dues(changed) == [
        "2023-01-20",
        "2023-03-31",
        "2023-06-30",
        "2023-09-30",
        "2023-12-31",
        "2024-03-31",
        "2024-06-30",
    ]
    moved = occurrence_due_on(rule, "2023-07-20")
    assert occurrence_due_on(changed, "2023-03-31") == moved  # the same commitment, its due revised
    [revision] = [e for e in tracker.histories.events(Commitment, moved) if e.type == "DueRevised"]
    assert revision.reason == "reports are due at the end of each quarter"
    assert len(changed.occurrences) == 7


def test_a_report_given_for_a_period_is_not_asked_for_again_when_the_days_shift(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))
    tracker.commitments.report_progress(UUID(occurrence_due_on(rule, "2023-07-20")), acting("oic"), 40)
    changed = tracker.recurrences.reschedule(
        rule.id, acting("coordinator"), "due at the end of the month", first_due=date(2023, 1, 31)
    )
    assert dues(changed) == ["2023-01-20", "2023-07-20", "2024-01-31", "2024-07-31"]


def test_an_occurrence_cancelled_by_hand_is_not_generated_again(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    skipped = occurrence_due_on(rule, "2024-01-20")
    tracker.commitments.act("cancel", skipped, acting("coordinator"), "no report between the two meetings")
    changed = tracker.recurrences.reschedule(
        rule.id, acting("coordinator"), "until the 17th meeting", until=date(2025, 7, 20)
    )
    assert dues(changed) == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20", "2025-01-20", "2025-07-20"]
    assert tracker.commitments.get(skipped).status == "cancelled"


def test_withdrawn_days_are_generated_afresh_when_the_rule_returns_to_them(
    tracker: Tracker, parties: dict[str, str], meeting: str
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    shorter = tracker.recurrences.reschedule(rule.id, acting("coordinator"), "until mid-2023", until=date(2023, 7, 31))
    assert dues(shorter, withdrawn=True) == ["2024-01-20", "2024-07-20"]
    longer = tracker.recurrences.reschedule(
        rule.id, acting("coordinator"), "until the end of 2024 after all", until=UNTIL
    )
    assert dues(longer) == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20"]
    assert len(longer.occurrences) == 6  # two new commitments; the withdrawn ones stay cancelled


def test_the_rules_history_shows_each_change_with_its_reason(
    tracker: Tracker, parties: dict[str, str], meeting: str
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    tracker.recurrences.reschedule(rule.id, acting("coordinator"), "yearly from now on", every_months=12)
    tracker.recurrences.end(rule.id, acting("coordinator"), "the action plan was replaced")
    events = tracker.recurrences.history(rule.id)
    assert [(e.type, e.actor, e.reason) for e in events] == [
        ("Stated", "coordinator", None),
        ("Rescheduled", "coordinator", "yearly from now on"),
        ("Ended", "coordinator", "the action plan was replaced"),
    ]
    assert events[1].payload["schedule"]["every_months"] == 12 and len(events[1].payload["withdrawn"]) == 2


def test_ending_a_rule_cancels_only_its_future_occurrences_with_no_report(
    tracker: Tracker, parties: dict[str, str], meeting: str, clock: FrozenClock
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))
    tracker.commitments.report_progress(UUID(occurrence_due_on(rule, "2023-07-20")), acting("oic"), 10)
    ended = tracker.recurrences.end(rule.id, acting("coordinator"), "the action plan was replaced")
    assert ended.ended
    assert {o["due_on"]: o["status"] for o in ended.occurrences} == {
        "2023-01-20": "agreed",
        "2023-07-20": "agreed",
        "2024-01-20": "cancelled",
        "2024-07-20": "cancelled",
    }
    with pytest.raises(DomainError, match="the rule has ended"):
        tracker.recurrences.reschedule(rule.id, acting("coordinator"), "again", every_months=12)
    with pytest.raises(DomainError, match="the rule has ended"):
        tracker.recurrences.end(rule.id, acting("coordinator"), "again")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": None, "every_months": 12}, "reason"),
        ({"reason": "same", "every_months": 6}, "every_months"),
        ({"reason": "too often", "every_months": 1, "until": date(2040, 1, 1)}, "until"),
        ({"reason": "backwards", "until": date(2022, 12, 31)}, "until"),
        ({"reason": "both", "every_months": 12, "every": "annual"}, "every_months"),
        ({"reason": "unreadable", "every": "now and then"}, "every"),
    ],
)
def test_a_change_of_the_rule_that_makes_no_sense_is_refused_and_changes_nothing(
    tracker: Tracker, parties: dict[str, str], meeting: str, change: dict[str, Any], field: str
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    with pytest.raises(DomainError) as refused:
        tracker.recurrences.reschedule(rule.id, acting("coordinator"), **change)
    assert refused.value.field == field
    assert tracker.recurrences.get(rule.id) == rule
    assert [tracker.commitments.get(o["commitment_id"]).version for o in rule.occurrences] == [1, 1, 1, 1]


def test_a_rule_is_changed_only_from_the_version_its_reader_saw(
    tracker: Tracker, parties: dict[str, str], meeting: str
) -> None:
    rule = every_six_months(tracker, parties, meeting)
    tracker.recurrences.reschedule(rule.id, acting("coordinator"), "yearly", every_months=12)
    with pytest.raises(VersionMismatch):
        tracker.recurrences.reschedule(rule.id, acting("coordinator"), "quarterly", every_months=3, expected_version=1)


@pytest.mark.parametrize(
    "options, field",
    [
        ({"kind": "follow_up_session"}, "kind"),
        ({"every_months": 0}, "every_months"),
        ({"every_months": None}, "every_months"),
        ({"every_months": 1, "until": date(2040, 1, 1)}, "until"),
        ({"first_due": date(2025, 1, 1)}, "until"),
        ({"supporting_party_ids": ["00000000-0000-0000-0000-000000000000"]}, "supporting_party_ids[0]"),
        ({"row_number": 3}, "agreement_id"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(
    tracker: Tracker, parties: dict[str, str], meeting: str, options: dict[str, Any], field: str
) -> None:
    with pytest.raises((DomainError, ApplicationError)) as refused:
        every_six_months(tracker, parties, meeting, **options)
    assert refused.value.field == field


def test_a_new_schedule_fills_only_the_free_days_of_the_rule() -> None:
    """The rule itself, without storage: fixed occurrences hold the day nearest theirs, open ones
    already on a wanted day stay, the rest move in order, the surplus is withdrawn."""
    schedule = Schedule.of(6, date(2023, 1, 31), date(2024, 7, 31))
    ids = iter(UUID(f"00000000-0000-0000-0000-00000000000{n}") for n in range(1, 10))
    occurrences = [
        Occurrence(next(ids), date(2023, 1, 20), Standing.FIXED),
        Occurrence(next(ids), date(2024, 7, 31), Standing.MOVABLE),
        Occurrence(next(ids), date(2023, 7, 20), Standing.MOVABLE),
        Occurrence(next(ids), date(2023, 10, 1), Standing.WITHDRAWN),
    ]
    assert held_days(schedule, [date(2023, 1, 20)]) == {date(2023, 1, 31)}
    rule_id = UUID("00000000-0000-0000-0000-0000000000ff")
    plan = regeneration(schedule, occurrences, date(2023, 3, 1), NextId(rule_id, 0))
    assert plan.moved == ((UUID("00000000-0000-0000-0000-000000000003"), date(2023, 7, 31)),)
    assert plan.withdrawn == ()
    assert plan.added == ((NextId(rule_id, 0)(), date(2024, 1, 31)),)
