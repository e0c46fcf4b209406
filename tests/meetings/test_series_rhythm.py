"""A series that states its rhythm expects its next session: when one is held and no follow-up
awaits the next, a follow-up session is generated, due by the end of the window, led by the
organiser; holding or cancelling it works as for any follow-up."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from application.inputs import PeriodInput, TextInput
from application.tracker import Tracker
from domain.access import Role
from domain.errors import InvalidValue
from domain.meetings.meeting import Venue
from domain.meetings.series import rhythm_months
from tests.actors import acting
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.meetings.test_late_records import INTERPOL, TODAY, held
from tests.meetings.test_late_records import session as assembly

SERIES = "un-oic-general-meeting"
API_SERIES = "interpol-general-assembly"  # the series of tests.meetings.test_late_records' sessions


def party(tracker: Tracker, acronym: str) -> str:
    return tracker.parties.register(
        acting("test"), TextInput({"en": acronym}), acronym, "international_organisation"
    ).id


def session(tracker: Tracker, number: int, starts: date, ends: date) -> str:
    return tracker.meetings.record(
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
        Venue("Palais des Nations", "Europe/Zurich"),
        series=SERIES,
        session_number=number,
    ).id


def hold(tracker: Tracker, clock: FrozenClock, meeting_id: str, starts: date, ends: date) -> None:
    clock.set(datetime(ends.year, ends.month, ends.day, 18, tzinfo=UTC))
    tracker.meetings.hold(UUID(meeting_id), acting("test"), PeriodInput(starts, ends))


def generated(tracker: Tracker) -> list[dict[str, Any]]:
    series = tracker.series.get(SERIES)
    views = [tracker.commitments.get(commitment_id) for commitment_id in series.awaiting]
    return [
        {
            "follow_up": v.follow_up,
            "lead": v.lead_party_id,
            "due_at": v.due_at,
            "status": v.status,
            "text": v.text["texts"],
            "meeting": v.provenance["meeting_id"],
        }
        for v in views
    ]


def the_16th_expected(tracker: Tracker, clock: FrozenClock, oic: str) -> str:
    """The series meets every two years and its 15th session is held: the follow-up generated for the 16th."""
    tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every_months=24)
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    [first] = tracker.series.get(SERIES).awaiting
    return first


@pytest.fixture
def oic(tracker: Tracker) -> str:
    return party(tracker, "OIC")


def test_holding_a_session_of_a_series_that_meets_every_two_years_expects_the_next_one(
    tracker: Tracker, clock: FrozenClock, oic: str
) -> None:
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every="مرة كل سنتين")
    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    [expected] = generated(tracker)
    assert expected["follow_up"] == {"series": SERIES, "session_number": 16, "generated": True}
    assert expected["lead"] == oic and expected["status"] == "agreed" and expected["meeting"] == the_15th
    assert expected["due_at"] == "2024-07-20T22:00:00Z"  # the end of 20 July 2024 in Geneva
    assert expected["text"]["ar"].startswith("عقد الدورة 16 من السلسلة")
    assert expected["text"]["en"].startswith("Hold session 16 of the series")


def test_holding_the_expected_session_fulfils_it_and_expects_the_one_after(
    tracker: Tracker, clock: FrozenClock, oic: str
) -> None:
    first = the_16th_expected(tracker, clock, oic)
    the_16th = session(tracker, 16, date(2024, 5, 6), date(2024, 5, 8))
    hold(tracker, clock, the_16th, date(2024, 5, 6), date(2024, 5, 8))
    fulfilled = tracker.commitments.get(first)
    assert (fulfilled.status, fulfilled.fulfilled_by_meeting) == ("fulfilled", the_16th)
    [after] = generated(tracker)
    assert after["follow_up"]["session_number"] == 17 and after["due_at"] == "2026-05-08T22:00:00Z"


def test_no_session_is_generated_when_a_follow_up_for_the_next_one_awaits_already(
    tracker: Tracker, clock: FrozenClock, oic: str
) -> None:
    tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every_months=12)
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    promised = tracker.commitments.record(
        acting("test"),
        TextInput({"en": "Hold the 16th session in Jeddah"}),
        UUID(oic),
        UUID(the_15th),
        kind="follow_up_session",
        follow_up_series=SERIES,
        follow_up_session_number=16,
        status="agreed",
    ).id
    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    assert tracker.series.get(SERIES).awaiting == [promised]


def test_without_a_rhythm_or_after_it_stops_nothing_is_expected(tracker: Tracker, clock: FrozenClock, oic: str) -> None:
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    hold(tracker, clock, the_15th, date(2022, 7, 18), date(2022, 7, 20))
    assert tracker.series.get(SERIES).awaiting == []
    tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every="annual")
    stopped = tracker.series.stop_rhythm(SERIES, acting("test"))
    assert stopped.rhythm is None
    the_16th = session(tracker, 16, date(2023, 7, 18), date(2023, 7, 20))
    hold(tracker, clock, the_16th, date(2023, 7, 18), date(2023, 7, 20))
    assert tracker.series.get(SERIES).awaiting == []


def test_a_generated_follow_up_can_be_cancelled_and_the_next_session_expects_again(
    tracker: Tracker, clock: FrozenClock, oic: str
) -> None:
    first = the_16th_expected(tracker, clock, oic)
    assert (
        tracker.commitments.act("cancel", first, acting("test"), reason="the series was merged").status == "cancelled"
    )
    the_16th = session(tracker, 16, date(2025, 1, 6), date(2025, 1, 8))
    hold(tracker, clock, the_16th, date(2025, 1, 6), date(2025, 1, 8))
    assert tracker.commitments.get(first).status == "cancelled"
    [after] = generated(tracker)
    assert after["follow_up"]["session_number"] == 17


def test_a_session_recorded_as_held_late_expects_nothing_when_a_later_one_was_held(
    tracker: Tracker, clock: FrozenClock, oic: str
) -> None:
    the_15th = session(tracker, 15, date(2022, 7, 18), date(2022, 7, 20))
    the_16th = session(tracker, 16, date(2024, 5, 6), date(2024, 5, 8))
    hold(tracker, clock, the_16th, date(2024, 5, 6), date(2024, 5, 8))
    tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every_months=24)
    tracker.meetings.hold(UUID(the_15th), acting("test"), PeriodInput(date(2022, 7, 18), date(2022, 7, 20)))
    assert tracker.series.get(SERIES).awaiting == []


def test_the_rhythm_and_its_changes_are_in_the_series_history(tracker: Tracker, oic: str) -> None:
    first = tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every="every two years")
    assert first.rhythm == {"every_months": 24, "organiser_party_id": oic}
    again = tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every_months=24)
    assert again.version == first.version  # the same rhythm stated again changes nothing
    assert (
        tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every="every 6 months").version
        == first.version + 1
    )


@pytest.mark.parametrize(
    ("written", "months"),
    [
        ("مرة كل سنتين", 24),
        ("يعقد مرة كل سنتين", 24),
        ("سنوياً", 12),
        ("كل سنة", 12),
        ("كل ستة أشهر", 6),
        ("كل 18 شهرا", 18),
        ("كل ثلاث سنوات", 36),
        ("every two years", 24),
        ("biennial", 24),
        ("annual", 12),
        ("every 6 months", 6),
        ("every year", 12),
        ("every 3 years", 36),
        ("tous les deux ans", 24),
        ("chaque année", 12),
        ("every other year", 24),
    ],
)
def test_a_rhythm_is_read_as_people_write_it(written: str, months: int) -> None:
    assert rhythm_months(written) == months


@pytest.mark.parametrize("written", ["soon", "كثيراً", ""])
def test_a_rhythm_that_says_no_interval_is_refused(written: str) -> None:
    with pytest.raises(InvalidValue):
        rhythm_months(written)


@pytest.mark.parametrize("months", [0, 121, 103, -1])
def test_a_rhythm_outside_one_month_to_ten_years_is_refused(tracker: Tracker, oic: str, months: int) -> None:
    with pytest.raises(InvalidValue):
        tracker.series.state_rhythm(SERIES, acting("test"), UUID(oic), every_months=months)


def test_through_the_api_a_coordinator_states_a_rhythm_and_the_held_session_expects_the_next(
    api: Api, clock: FrozenClock
) -> None:
    clock.set(TODAY)
    interpol = api.created("/parties", INTERPOL)["id"]
    assert_problem(api.get(f"/series/{API_SERIES}"), 404, "not-found")
    assert_problem(api.client.delete(f"/series/{API_SERIES}/rhythm", headers=api.headers()), 404, "not-found")
    body = {"organiser_party_id": interpol, "every": "سنوياً"}
    assert (
        api.client.put(f"/series/{API_SERIES}/rhythm", json=body, headers=api.headers(Role.AUDITOR)).status_code == 403
    )
    stated = api.client.put(f"/series/{API_SERIES}/rhythm", json=body, headers=api.headers())
    assert stated.status_code == 200, stated.text
    assert stated.json()["rhythm"] == {"every_months": 12, "organiser_party_id": interpol}
    the_93rd = held(api, assembly(93, "الثالثة والتسعين", "2025-11-24", "2025-11-27", "Marrakesh", "Africa/Casablanca"))
    series = api.get(f"/series/{API_SERIES}").json()
    assert [s["meeting_id"] for s in series["sessions_held"]] == [the_93rd]
    [expected] = series["awaiting"]
    shown = api.get(f"/commitments/{expected}").json()
    assert shown["follow_up"] == {"series": API_SERIES, "session_number": 94, "generated": True}
    assert shown["due_at"] == "2026-11-27T23:00:00Z"  # the end of 27 November 2026 in Marrakesh
    listed = api.get("/commitments", kind="follow_up_session").json()["items"]
    assert [(c["id"], c["follow_up"]["generated"]) for c in listed] == [(expected, True)]
    stopped = api.client.delete(f"/series/{API_SERIES}/rhythm", headers=api.headers())
    assert stopped.status_code == 200 and stopped.json()["rhythm"] is None
    events = api.get(f"/series/{API_SERIES}/history").json()["events"]
    assert [e["type"] for e in events] == [
        "Opened",
        "RhythmStated",
        "SessionRecorded",
        "SessionAwaited",
        "RhythmStated",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"every_months": 0}, "every_months"),
        ({"every_months": 12, "every": "annual"}, "every_months"),
        ({}, "every_months"),
        ({"every": "soon"}, "every"),
        ({"every_months": "often"}, "every_months"),
    ],
)
def test_a_rhythm_that_cannot_be_read_is_refused_with_a_problem_and_stores_nothing(
    api: Api, clock: FrozenClock, body: dict[str, Any], field: str
) -> None:
    clock.set(TODAY)
    interpol = api.created("/parties", INTERPOL)["id"]
    refused = api.client.put(
        f"/series/{API_SERIES}/rhythm", json={"organiser_party_id": interpol, **body}, headers=api.headers()
    )
    assert_problem(refused, 422, "invalid-value", field)
    assert_problem(api.get(f"/series/{API_SERIES}"), 404, "not-found")


def test_an_unknown_organiser_or_a_bad_series_name_is_refused(api: Api) -> None:
    unknown = api.client.put(
        f"/series/{API_SERIES}/rhythm",
        headers=api.headers(),
        json={"organiser_party_id": "0190f2c4-0000-7000-8000-000000000000", "every_months": 12},
    )
    assert_problem(unknown, 422, "unknown-reference", "organiser_party_id")
    assert_problem(api.get("/series/Not a Slug"), 422, "invalid-value", "slug")
