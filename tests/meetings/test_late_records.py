"""A report typed in years later still tells the past: every fact states the day it happened.

The scenario, in the style of the shared samples: the 91st session of a general assembly, held in
Vienna from 28 November to 1 December 2023, promised the 93rd session in 2025; the 93rd was held in
Marrakesh from 24 to 27 November 2025. Both reports are typed in on 1 December 2026.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from api.bootstrap import Services
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock

UTC = UTC
TODAY = datetime(2026, 12, 1, 9, tzinfo=UTC)
INTERPOL = {
    "names": {
        "texts": {
            "ar": "المنظمة الدولية للشرطة الجنائية (الإنتربول)",
            "en": "International Criminal Police Organization",
        },
        "authentic": "ar",
    },
    "acronym": "INTERPOL",
    "kind": "international_organisation",
}
SERIES = "interpol-general-assembly"


def session(number: int, ordinal_ar: str, starts: str, ends: str, city: str, zone: str) -> dict[str, Any]:
    return {
        "title": {
            "texts": {
                "ar": f"الدورة {ordinal_ar} للجمعية العامة للإنتربول",
                "en": f"{number}st session of the INTERPOL General Assembly",
            },
            "authentic": "ar",
        },
        "kind": "assembly",
        "series": SERIES,
        "session_number": number,
        "scheduled": {"starts_on": starts, "ends_on": ends},
        "venue": {"name": "Conference centre", "city": city, "time_zone": zone},
    }


def held(api: Api, body: dict[str, Any]) -> str:
    meeting: str = api.created("/meetings", body)["id"]
    response = api.post(f"/meetings/{meeting}/held", body["scheduled"])
    assert response.status_code == 200, response.text
    return meeting


@pytest.fixture
def parties(api: Api, clock: FrozenClock) -> str:
    clock.set(TODAY)
    interpol: str = api.created("/parties", INTERPOL)["id"]
    return interpol


def record_91st_with_its_promise(api: Api, interpol: str) -> tuple[str, str]:
    the_91st = held(api, session(91, "الحادية والتسعين", "2023-11-28", "2023-12-01", "Vienna", "Europe/Vienna"))
    promise = api.created(
        "/commitments",
        {
            "kind": "follow_up_session",
            "meeting_id": the_91st,
            "lead_party_id": interpol,
            "status": "agreed",
            "text": {
                "texts": {
                    "ar": "عقد الدورة الثالثة والتسعين للجمعية العامة في عام 2025",
                    "en": "Hold the 93rd session of the General Assembly in 2025",
                },
                "authentic": "ar",
            },
            "due": {"precision": "year", "value": "2025"},
            "follow_up": {"session_number": 93},
        },
    )
    return the_91st, promise["id"]


def at(api: Api, commitment: str, when: str, axis: str = "effective") -> Any:
    return api.get(f"/commitments/{commitment}", as_of=when, axis=axis)


def test_a_follow_up_recorded_years_later_shows_its_past_on_the_effective_axis(
    api: Api, services: Services, clock: FrozenClock, parties: str
) -> None:
    _, promise = record_91st_with_its_promise(api, parties)
    assert api.get(f"/commitments/{promise}").json()["made_on"] == "2023-12-01"
    services.scanner.tick()  # on 1 December 2026 the due (the end of 2025) has long passed
    marked = clock.now
    assert api.get(f"/commitments/{promise}").json()["overdue"] is True
    clock.advance(hours=2)
    the_93rd = held(api, session(93, "الثالثة والتسعين", "2025-11-24", "2025-11-27", "Marrakesh", "Africa/Casablanca"))
    now = api.get(f"/commitments/{promise}").json()
    assert (now["status"], now["fulfilled_by_meeting"], now["overdue"]) == ("fulfilled", the_93rd, False)

    june = at(api, promise, "2025-06-01").json()
    assert (june["status"], june["overdue"], june["due_soon"]) == ("agreed", False, False)
    december = at(api, promise, "2025-12-01").json()
    assert (december["status"], december["overdue"]) == ("fulfilled", False)
    assert at(api, promise, "2023-11-30").status_code == 404  # not yet promised: the 91st ended on 1 December
    assert at(api, promise, "2023-12-01").json()["status"] == "agreed"

    # The recorded axis says what the record said on each date.
    assert_problem(at(api, promise, "2025-06-01", "recorded"), 404, "not-found")
    assert_problem(at(api, promise, "2025-12-01", "recorded"), 404, "not-found")
    then = at(api, promise, marked.isoformat(), "recorded").json()
    assert (then["status"], then["overdue"]) == ("agreed", True)
    assert at(api, promise, clock.now.isoformat(), "recorded").json()["status"] == "fulfilled"

    history = api.get(f"/commitments/{promise}/history").json()["events"]
    fulfilled = next(e for e in history if e["type"] == "SessionHeld")
    assert (fulfilled["effective_on"], fulfilled["late"]) == ("2025-11-27", True)
    recorded = history[0]
    assert (recorded["effective_on"], recorded["late"]) == ("2023-12-01", True)


def test_the_portfolio_on_the_effective_axis_shows_the_follow_up_agreed_and_on_time(
    api: Api, services: Services, clock: FrozenClock, parties: str
) -> None:
    _, promise = record_91st_with_its_promise(api, parties)
    services.scanner.tick()
    clock.advance(hours=2)
    held(api, session(93, "الثالثة والتسعين", "2025-11-24", "2025-11-27", "Marrakesh", "Africa/Casablanca"))
    june = api.get("/commitments", as_of="2025-06-01", axis="effective", overdue="false").json()
    assert [(c["id"], c["status"]) for c in june["items"]] == [(promise, "agreed")]
    assert api.get("/commitments", as_of="2025-06-01", axis="effective", overdue="true").json()["total"] == 0
    assert api.get("/commitments", as_of="2026-01-15", axis="effective", status="fulfilled").json()["total"] == 1
    assert api.get("/commitments", as_of="2025-06-01").json()["total"] == 0  # recorded: nothing yet


def test_a_follow_up_recorded_after_its_session_was_recorded_is_fulfilled_at_once(
    api: Api, services: Services, clock: FrozenClock, parties: str
) -> None:
    the_93rd = held(api, session(93, "الثالثة والتسعين", "2025-11-24", "2025-11-27", "Marrakesh", "Africa/Casablanca"))
    clock.advance(hours=1)
    _, promise = record_91st_with_its_promise(api, parties)
    shown = api.get(f"/commitments/{promise}").json()
    assert (shown["status"], shown["fulfilled_by_meeting"]) == ("fulfilled", the_93rd)
    assert services.scanner.tick().overdue == 0  # no false alert
    assert at(api, promise, "2025-06-01").json()["status"] == "agreed"
    assert at(api, promise, "2025-12-01").json()["status"] == "fulfilled"


def test_a_session_held_before_the_promise_never_fulfils_it(api: Api, clock: FrozenClock, parties: str) -> None:
    held(api, session(90, "التسعين", "2022-10-18", "2022-10-21", "New Delhi", "Asia/Kolkata"))
    the_91st = held(api, session(91, "الحادية والتسعين", "2023-11-28", "2023-12-01", "Vienna", "Europe/Vienna"))
    promise = api.created(
        "/commitments",
        {
            "kind": "follow_up_session",
            "meeting_id": the_91st,
            "lead_party_id": parties,
            "status": "agreed",
            "text": {"texts": {"en": "Hold the next session"}},
            "due": {"precision": "year", "value": "2024"},
        },
    )
    assert promise["status"] == "agreed"  # the 90th came before: it is not "the next session"


def test_an_agreement_typed_in_later_was_adopted_on_its_meetings_day(api: Api, parties: str) -> None:
    the_91st = held(api, session(91, "الحادية والتسعين", "2023-11-28", "2023-12-01", "Vienna", "Europe/Vienna"))
    resolution = api.created(
        "/agreements",
        {
            "meeting_id": the_91st,
            "kind": "action_matrix",
            "adopted_by": [parties],
            "title": {"texts": {"ar": "مصفوفة الأنشطة المشتركة"}},
            "rows": [{"activity": {"texts": {"ar": "تعزيز تبادل المعلومات"}}, "lead_party_id": parties}],
        },
    )
    assert resolution["adopted_on"] == "2023-12-01"
    then = api.get(f"/agreements/{resolution['id']}", as_of="2024-03-01", axis="effective").json()
    assert (then["adopted_on"], len(then["rows"])) == ("2023-12-01", 1)
    assert_problem(api.get(f"/agreements/{resolution['id']}", as_of="2024-03-01"), 404, "not-found")
    assert_problem(api.get(f"/agreements/{resolution['id']}", as_of="2023-11-30", axis="effective"), 404, "not-found")


def test_a_delivery_cannot_be_dated_before_the_promise_was_made(api: Api, parties: str) -> None:
    _, promise = record_91st_with_its_promise(api, parties)
    assert_problem(
        api.post(f"/commitments/{promise}/deliver", {"evidence": [{"title": "Report"}], "delivered_on": "2023-11-15"}),
        422,
        "invalid-value",
        "delivered_on",
    )
