"""Three rules the README states, each pinned where a user would notice it broken:

- a follow-up session is fulfilled by the next session of its series being held, never by the
  meeting that made the promise (*Concepts*, *Walkthrough*; ``Commitment.is_met_by``);
- an escalation step "N days overdue" is recorded by the scan on the day it falls due, in the
  commitment's time zone, and not a day later (*Escalation*);
- a key given twice in one import file refuses those rows, naming the key and the lines, and stores
  nothing of them, while the other rows are stored (*Importing an action matrix from a spreadsheet*).
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, TextInput
from application.tracker import Tracker
from domain.commitments.commitment import Commitment
from domain.meetings.meeting import Venue
from tests.actors import acting
from tests.conftest import Api, settings_for_tests
from tests.fakes import FrozenClock
from tests.intake.test_imports import agreement, csv_of, upload
from tests.world import World

SERIES = "un-oic-general-meeting"
GENEVA = "Europe/Zurich"
RIYADH = ZoneInfo("Asia/Riyadh")  # UTC+3 all year: no daylight-saving change between the due and its steps


# -- a follow-up session is never fulfilled by the meeting that made it ------------------------------------


def party(tracker: Tracker, acronym: str) -> UUID:
    return UUID(
        tracker.parties.register(acting("test"), TextInput({"en": acronym}), acronym, "international_organisation").id
    )


def session(tracker: Tracker, number: int, starts: date, ends: date) -> UUID:
    return UUID(
        tracker.meetings.record(
            acting("test"),
            TextInput(
                {
                    "ar": f"الاجتماع العام {number} بين الأمم المتحدة ومنظمة التعاون الإسلامي",
                    "en": f"UN–OIC general meeting {number}",
                },
                "ar",
            ),
            "general_meeting",
            PeriodInput(starts, ends),
            Venue("Palais des Nations", GENEVA),
            series=SERIES,
            session_number=number,
        ).id
    )


def hold(tracker: Tracker, clock: FrozenClock, meeting_id: UUID, starts: date, ends: date) -> None:
    """The meeting is recorded as held in the evening of its last day."""
    clock.set(datetime(ends.year, ends.month, ends.day, 18, tzinfo=UTC))
    tracker.meetings.hold(meeting_id, acting("test"), PeriodInput(starts, ends))


def follow_up(tracker: Tracker, lead: UUID, made_at: UUID, number: int | None) -> str:
    """A promise, made at ``made_at``, to hold session ``number`` of the series (None: the next one)."""
    return tracker.commitments.record(
        acting("test"),
        TextInput({"ar": "عقد الدورة القادمة للاجتماع العام", "en": "Hold the next session"}, "ar"),
        lead,
        made_at,
        kind="follow_up_session",
        follow_up_series=SERIES,
        follow_up_session_number=number,
        due=DueInput("year", "2024"),
        status="agreed",
    ).id


def status_of(tracker: Tracker, commitment_id: str) -> tuple[str, str | None]:
    shown = tracker.commitments.get(commitment_id)
    return shown.status, shown.fulfilled_by_meeting


def test_a_follow_up_session_is_never_fulfilled_by_the_meeting_that_made_it(
    tracker: Tracker, clock: FrozenClock
) -> None:
    """The 15th session promises "the next session" on its second day; recording the 15th as held
    the day after leaves the promise open: only the 16th, held later, fulfils it."""
    oic = party(tracker, "OIC")
    clock.set(datetime(2022, 7, 19, 10, tzinfo=UTC))  # the 15th is under way
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    promise = follow_up(tracker, oic, the_15th, None)
    assert tracker.commitments.get(promise).made_on == "2022-07-19"  # its last day, 20 July, is after the promise

    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    assert status_of(tracker, promise) == ("agreed", None)
    assert tracker.series.get(SERIES).awaiting == [promise]

    the_16th = session(tracker, 16, date(2024, 5, 6), date(2024, 5, 8))
    hold(tracker, clock, the_16th, date(2024, 5, 6), date(2024, 5, 8))
    assert status_of(tracker, promise) == ("fulfilled", str(the_16th))
    assert tracker.commitments.get(promise).fulfilled_on == "2024-05-08"


def test_a_follow_up_naming_the_session_that_made_it_is_not_fulfilled_by_that_session_being_held(
    tracker: Tracker, clock: FrozenClock
) -> None:
    """Even a promise that names the number of the very session where it was made (a slip of the
    report, or of the typist) waits: holding the making meeting, before or after the promise was
    recorded, never fulfils it."""
    oic = party(tracker, "OIC")
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    recorded_before = follow_up(tracker, oic, the_15th, 15)
    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    assert status_of(tracker, recorded_before) == ("agreed", None)

    clock.advance(days=30)
    recorded_after = follow_up(tracker, oic, the_15th, 15)  # the 15th is in the series' sessions held already
    assert status_of(tracker, recorded_after) == ("agreed", None)
    assert tracker.series.get(SERIES).awaiting == [recorded_before, recorded_after]


# -- an escalation step is recorded on the day it falls due, not a day later ---------------------------------


def first_instant(day: date) -> datetime:
    """The first instant of ``day`` in Riyadh, in UTC (as the scanner's clock reads it)."""
    return datetime(day.year, day.month, day.day, tzinfo=RIYADH).astimezone(UTC)


def last_instant_before(day: date) -> datetime:
    return first_instant(day) - timedelta(microseconds=1)


@pytest.fixture
def escalating(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    """A deployment whose ladder tells the lead party when the due passes, its parent 30 days later."""
    with build(
        settings_for_tests(database_url, escalation_ladder="0:lead_party,30:parent_organisation"), clock=clock
    ) as built:
        yield built


def levels(services: Services, commitment_id: str) -> list[tuple[int, list[str]]]:
    return [
        (e.payload["level"], e.payload["party_ids"])
        for e in services.tracker.histories.events(Commitment, commitment_id)
        if e.type == "Escalated"
    ]


def organ_of_oic_at_a_meeting(tracker: Tracker) -> tuple[UUID, UUID, UUID]:
    """The OIC, SESRIC (its subsidiary organ, whose ladder tells the OIC) and a meeting in Geneva."""
    oic = UUID(
        tracker.parties.register(acting("test"), TextInput({"en": "OIC"}), "OIC", "international_organisation").id
    )
    sesric = UUID(
        tracker.parties.register(
            acting("test"), TextInput({"en": "SESRIC"}), "SESRIC", "subsidiary_organ", parent_id=oic
        ).id
    )
    meeting = UUID(
        tracker.meetings.record(
            acting("test"),
            TextInput({"en": "15th general meeting"}),
            "general_meeting",
            PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
            Venue("Palais des Nations", GENEVA),
        ).id
    )
    return oic, sesric, meeting


def test_an_escalation_step_is_recorded_on_the_day_it_falls_due_not_a_day_later(
    escalating: Services, clock: FrozenClock
) -> None:
    """Due on 20 July 2024 in Riyadh (the meeting was in Geneva): overdue from 21 July, the first
    step is reached on 21 July and the 30-day step on 20 August, both days in Riyadh. A scan at the
    last instant of the day before records nothing; a scan at the first instant of the day records it."""
    tracker = escalating.tracker
    oic, sesric, meeting = organ_of_oic_at_a_meeting(tracker)
    late = tracker.commitments.record(
        acting("test"),
        TextInput({"ar": "تقرير مرحلي", "en": "A progress report"}, "ar"),
        sesric,
        meeting,
        due=DueInput("day", "2024-07-20", time_zone="Asia/Riyadh"),
        status="agreed",
    ).id
    assert tracker.commitments.get(late).due_at == "2024-07-20T21:00:00Z"  # midnight in Riyadh

    clock.set(last_instant_before(date(2024, 7, 21)))
    assert escalating.scanner.tick().escalated == 0 and levels(escalating, late) == []
    clock.set(first_instant(date(2024, 7, 21)))
    assert escalating.scanner.tick().escalated == 1
    assert levels(escalating, late) == [(1, [str(sesric)])]

    clock.set(last_instant_before(date(2024, 8, 20)))  # a microsecond short of 30 days overdue
    assert escalating.scanner.tick().escalated == 0
    assert levels(escalating, late) == [(1, [str(sesric)])]
    clock.set(first_instant(date(2024, 8, 20)))  # the 30th day after the due
    assert escalating.scanner.tick().escalated == 1
    assert levels(escalating, late) == [(1, [str(sesric)]), (2, [str(oic)])]
    shown = tracker.commitments.get(late).escalation
    assert shown is not None and (shown["level"], shown["to"]) == (2, "parent_organisation")


# -- a key given twice in one import file refuses the repeat ---------------------------------------------------


def test_a_key_given_twice_in_one_import_file_refuses_both_rows_and_stores_the_others(api: Api, world: World) -> None:
    """Lines 3 and 5 carry the key 7: which of them the file means is not for the import to guess,
    so both are refused, naming the key and both lines, and nothing of either is stored, while the
    rows with keys of their own are stored."""
    matrix = agreement(api, world)
    rows = [
        ["1", "برنامج مشترك لبناء القدرات الإحصائية", "Joint statistical programme", "SESRIC", "UN", "2025", "", ""],
        ["7", "منتدى الأمن الغذائي", "Food security forum", "IOFS", "OIC", "2024", "", ""],
        ["2", "تبادل الخبرات", "Exchange of expertise", "OIC", "UN", "2025-Q4", "", ""],
        ["7", "ورشة عمل", "Workshop", "UN", "", "2026", "", ""],  # the key of line 3 again
    ]
    dry = upload(api, matrix, csv_of(rows))
    assert dry.status_code == 200, dry.text
    outcomes = {row["line"]: row for row in dry.json()["rows"]}
    assert [(line, outcomes[line]["key"]) for line in sorted(outcomes)] == [(2, "1"), (3, "7"), (4, "2"), (5, "7")]
    assert (outcomes[2]["outcome"], outcomes[4]["outcome"]) == ("new", "new")
    for line in (3, 5):
        twice = outcomes[line]
        assert twice["outcome"] == "refused" and [r["field"] for r in twice["refused"]] == ["key"]
        assert "lines 3, 5" in twice["refused"][0]["reason"]

    stored = upload(api, matrix, csv_of(rows), dry_run="false", plan=dry.json()["plan"])
    assert stored.status_code == 200, stored.text
    report = stored.json()
    assert report["stopped"] is None
    shown = {row["line"]: row for row in report["rows"]}
    assert [shown[line]["stored"] for line in (2, 3, 4, 5)] == [True, False, True, False]
    made = api.get("/commitments", agreement=matrix).json()["items"]
    assert sorted(c["provenance"]["clause"] for c in made) == ["row 1", "row 2"]
    assert [row["key"] for row in api.get(f"/agreements/{matrix}").json()["rows"]] == ["1", "2"]


@pytest.mark.parametrize(
    "due_day, step_day",
    [
        (date(2024, 10, 20), date(2024, 11, 20)),  # summer time ends between: the 30 days are 30 × 24 h + 1 h
        (date(2024, 3, 20), date(2024, 4, 20)),  # summer time begins between: 30 × 24 h − 1 h
    ],
)
def test_an_escalation_step_falls_on_its_local_day_across_a_daylight_saving_change(
    escalating: Services, clock: FrozenClock, due_day: date, step_day: date
) -> None:
    """In Geneva's time zone, the 30-day step is reached at local midnight of the 30th day after
    the due, whether the clocks went back or forward in between, not an hour early or late."""
    tracker = escalating.tracker
    zurich = ZoneInfo(GENEVA)
    oic, sesric, meeting = organ_of_oic_at_a_meeting(tracker)
    late = tracker.commitments.record(
        acting("test"),
        TextInput({"en": "A progress report"}),
        sesric,
        meeting,
        due=DueInput("day", due_day.isoformat()),
        status="agreed",
    ).id
    clock.set(datetime.combine(due_day + timedelta(days=1), datetime.min.time(), zurich).astimezone(UTC))
    assert escalating.scanner.tick().escalated == 1

    midnight = datetime.combine(step_day, datetime.min.time(), zurich).astimezone(UTC)
    clock.set(midnight - timedelta(microseconds=1))
    assert escalating.scanner.tick().escalated == 0 and len(levels(escalating, late)) == 1
    clock.set(midnight)
    assert escalating.scanner.tick().escalated == 1
    assert levels(escalating, late) == [(1, [str(sesric)]), (2, [str(oic)])]
