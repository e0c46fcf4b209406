"""Every record type as of a date, on both axes; and no query parameter is silently ignored."""

from datetime import UTC, datetime

import pytest

from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import meeting, party
from tests.world import World

UTC = UTC


def test_a_meeting_held_later_is_scheduled_as_of_before(api: Api, clock: FrozenClock, world: World) -> None:
    clock.set(datetime(2024, 5, 1, 9, tzinfo=UTC))
    future = api.created(
        "/meetings",
        meeting(
            [world.un],
            series="un-oic-general-meeting",
            session_number=16,
            scheduled={"starts_on": "2024-07-01", "ends_on": "2024-07-03"},
        ),
    )
    clock.set(datetime(2025, 1, 10, 9, tzinfo=UTC))
    api.post(f"/meetings/{future['id']}/held", {"starts_on": "2024-07-01", "ends_on": "2024-07-03"})
    assert api.get(f"/meetings/{future['id']}", as_of="2024-06-01").json()["status"] == "scheduled"
    assert api.get(f"/meetings/{future['id']}", as_of="2024-12-01").json()["status"] == "scheduled"  # as recorded
    assert api.get(f"/meetings/{future['id']}", as_of="2024-12-01", axis="effective").json()["status"] == "held"
    assert api.get(f"/meetings/{future['id']}", as_of="2025-02-01").json()["status"] == "held"
    assert_problem(api.get(f"/meetings/{future['id']}", as_of="2024-04-01"), 404, "not-found")
    listed = api.get("/meetings", as_of="2024-12-01", status="held").json()
    assert future["id"] not in [m["id"] for m in listed["items"]]
    effective = api.get("/meetings", as_of="2024-12-01", axis="effective", status="held").json()
    assert [m["id"] for m in effective["items"]] == [future["id"]]
    assert api.get("/meetings", as_of="2024-06-01", starts_after="2024-06-15").json()["total"] == 1


def test_a_meeting_typed_in_after_it_began_was_scheduled_by_its_first_day(api: Api, world: World) -> None:
    # The 15th general meeting (18-20 July 2022) was recorded on 21 July 2022.
    assert api.get(f"/meetings/{world.meeting}", as_of="2022-07-18", axis="effective").json()["status"] == "scheduled"
    assert_problem(api.get(f"/meetings/{world.meeting}", as_of="2022-07-17", axis="effective"), 404, "not-found")
    assert_problem(api.get(f"/meetings/{world.meeting}", as_of="2022-07-18"), 404, "not-found")


def test_a_party_is_as_of_its_registration_and_always_on_the_effective_axis(api: Api, world: World) -> None:
    assert_problem(api.get(f"/parties/{world.un}", as_of="2022-07-01"), 404, "not-found")
    assert api.get(f"/parties/{world.un}", as_of="2022-07-01", axis="effective").json()["acronym"] == "UN"
    assert api.get(f"/parties/{world.un}", as_of="2022-07-22").json()["acronym"] == "UN"
    assert api.get("/parties", as_of="2022-07-01").json()["total"] == 0
    assert api.get("/parties", as_of="2022-07-01", axis="effective", q="sesric").json()["total"] == 1


def test_an_agreement_shows_the_rows_it_had_then(api: Api, clock: FrozenClock, world: World) -> None:
    matrix = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {"texts": {"ar": "مصفوفة الأنشطة المشتركة"}},
            "rows": [{"activity": {"texts": {"ar": "برنامج بناء القدرات الإحصائية"}}, "lead_party_id": world.sesric}],
        },
    )
    clock.set(datetime(2023, 3, 1, 9, tzinfo=UTC))
    api.post(
        f"/agreements/{matrix['id']}/rows",
        {"activity": {"texts": {"ar": "ورشة عمل حول الأمن الغذائي"}}, "lead_party_id": world.iofs},
    )
    assert len(api.get(f"/agreements/{matrix['id']}", as_of="2022-12-01").json()["rows"]) == 1
    assert len(api.get(f"/agreements/{matrix['id']}").json()["rows"]) == 2
    # Words of the row added later find the agreement today, not as it stood before.
    assert api.get("/agreements", q="الغذائي").json()["total"] == 1
    assert api.get("/agreements", q="الغذائي", as_of="2022-12-01").json()["total"] == 0
    assert api.get("/agreements", q="الإحصائية", as_of="2022-12-01").json()["total"] == 1
    assert api.get("/agreements", as_of="2022-12-01", axis="effective").json()["total"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/{m}",
        "/parties",
        "/agreements",
        "/commitments/{c}",
        "/commitments",
        "/search?q=oic",
        "/audit/head",
        "/health",
        "/commitments/{c}/history",
    ],
)
def test_an_unknown_query_parameter_is_refused_by_name(api: Api, world: World, path: str) -> None:
    url = path.format(m=world.meeting, c=world.commitment)
    response = api.client.get(url, params={"asof": "2023-01-01"}, headers=api.headers())
    body = assert_problem(response, 400, "unknown-parameter", "asof")
    assert "asof" in body["detail"]


def test_a_known_parameter_is_still_taken(api: Api, world: World) -> None:
    assert api.get(f"/meetings/{world.meeting}", as_of="2022-07-22").status_code == 200
    assert api.get("/commitments", status="agreed,draft", limit=5).status_code == 200
    assert api.get("/parties", q=party("X")["acronym"]).status_code == 200
