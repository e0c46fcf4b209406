"""Progress and status roll up the same way over a matrix, an agreement, a meeting, a series and a
party, each commitment by its weight, now or as of an instant; the statistics give each party's and
each series' completion rate, overdue count and days to fulfil."""

from datetime import UTC, date, datetime

import pytest

from api.bootstrap import Services
from domain.access import Role
from domain.commitments.lifecycle import Status
from domain.commitments.rollup import Counted, roll_up, weight
from domain.errors import InvalidValue
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.world import World

UTC = UTC


def one(
    status: Status,
    progress: int | None = None,
    weighs: int | None = None,
    made_on: date | None = None,
    fulfilled_on: date | None = None,
    overdue: bool = False,
) -> Counted:
    return Counted(status, progress, weighs, overdue, False, False, made_on, fulfilled_on)


# -- the rules -------------------------------------------------------------------------------------------


def test_progress_weighs_each_commitment_and_leaves_out_what_is_no_longer_a_promise() -> None:
    figures = roll_up(
        [
            one(Status.FULFILLED, weighs=3),
            one(Status.IN_PROGRESS, 50),
            one(Status.AGREED),
            one(Status.CANCELLED),
            one(Status.NOTED),
            one(Status.PARTIALLY_FULFILLED),
        ]
    )
    assert (figures.commitments, figures.counted, figures.weight) == (6, 4, 6)
    assert figures.progress == round((3 * 100 + 50 + 0 + 50) / 6, 1)
    assert figures.by_status == {
        "agreed": 1,
        "cancelled": 1,
        "fulfilled": 1,
        "in_progress": 1,
        "noted": 1,
        "partially_fulfilled": 1,
    }


def test_the_completion_rate_counts_the_assessed_and_the_median_counts_days_from_made_to_fulfilled() -> None:
    made = date(2022, 7, 20)
    figures = roll_up(
        [
            one(Status.FULFILLED, made_on=made, fulfilled_on=date(2022, 8, 19)),
            one(Status.FULFILLED, made_on=made, fulfilled_on=date(2023, 7, 20)),
            one(Status.FULFILLED, made_on=None, fulfilled_on=date(2023, 1, 1)),  # made on an unknown day
            one(Status.NOT_FULFILLED),
            one(Status.IN_PROGRESS, overdue=True),
        ]
    )
    assert (figures.assessed, figures.fulfilled, figures.completion_rate) == (4, 3, 75.0)
    assert (figures.median_days_to_fulfil, figures.timed, figures.overdue) == (197.5, 2, 1)


def test_nothing_to_count_gives_no_progress_rather_than_a_made_up_zero() -> None:
    figures = roll_up([one(Status.DRAFT)])
    assert (figures.progress, figures.completion_rate, figures.median_days_to_fulfil) == (None, None, None)


@pytest.mark.parametrize("value", [0, 1001, True, 2.5])
def test_a_weight_is_a_whole_number_from_1_to_1000(value: object) -> None:
    with pytest.raises(InvalidValue):
        weight(value)  # type: ignore[arg-type]  # wrong types on purpose


# -- over the API, on both engines -----------------------------------------------------------------------


def recorded(api: Api, world: World, clock: FrozenClock) -> dict[str, str]:
    """Three more commitments of the 15th meeting: one weighing 3 and fulfilled (delivered on
    15 January 2023, assessed later), one in progress at 40 %, and a cancelled one."""
    clock.set(datetime(2023, 1, 10, tzinfo=UTC))
    made = {
        name: api.created("/commitments", commitment(world.meeting, lead, text={"texts": {"en": name}}, **extra))["id"]
        for name, lead, extra in [
            ("weighty", world.sesric, {"weight": 3}),
            ("halfway", world.oic, {}),
            ("dropped", world.oic, {}),
        ]
    }
    clock.set(datetime(2023, 2, 1, tzinfo=UTC))
    assert (
        api.post(
            f"/commitments/{made['weighty']}/deliver",
            {"evidence": [{"title": "Final report"}], "delivered_on": "2023-01-15"},
        ).status_code
        == 200
    )
    assert api.post(f"/commitments/{made['halfway']}/progress", {"percent": 40}).status_code == 200
    assert api.post(f"/commitments/{made['dropped']}/cancel", {"reason": "merged into another row"}).status_code == 200
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))
    assert api.post(f"/commitments/{made['weighty']}/assess", {"outcome": "fulfilled"}).status_code == 200
    return made


def test_a_meeting_rolls_up_its_commitments_by_weight_now_and_as_it_stood(
    api: Api, world: World, clock: FrozenClock
) -> None:
    recorded(api, world, clock)
    now = api.get("/rollup", meeting=world.meeting).json()
    assert (now["commitments"], now["counted"], now["weight"]) == (4, 3, 5)
    assert now["progress"] == round((3 * 100 + 40 + 0) / 5, 1)
    assert now["by_status"] == {"agreed": 2, "cancelled": 1, "fulfilled": 1}  # progress reported keeps it agreed
    assert (now["completion_rate"], now["median_days_to_fulfil"]) == (100.0, 179.0)  # 20 July 2022 → 15 Jan 2023
    before = api.get("/rollup", meeting=world.meeting, as_of="2023-01-20").json()
    assert before["progress"] == 0.0 and before["by_status"] == {"agreed": 4}
    delivered_by_then = api.get("/rollup", meeting=world.meeting, as_of="2023-01-20", axis="effective").json()
    assert delivered_by_then["by_status"]["delivered"] == 1  # delivered on the 15th, recorded on 1 February
    assert api.get("/rollup", party=world.oic).json()["commitments"] == 2
    assert api.get("/rollup", series="un-oic-general-meeting").json()["commitments"] == 4
    assert api.get("/rollup", agreement=world.commitment).json()["commitments"] == 0  # no such agreement: none


def test_the_statistics_give_each_party_and_series_its_figures(api: Api, world: World, clock: FrozenClock) -> None:
    recorded(api, world, clock)
    stats = api.get("/statistics").json()
    assert stats["overall"]["commitments"] == 4
    by_party = {row["party_id"]: row for row in stats["parties"]}
    assert (by_party[world.sesric]["fulfilled"], by_party[world.sesric]["completion_rate"]) == (1, 100.0)
    assert by_party[world.oic]["by_status"] == {"agreed": 1, "cancelled": 1}
    [series] = stats["series"]
    assert (series["series"], series["commitments"]) == ("un-oic-general-meeting", 4)


def test_a_weight_is_changed_with_a_reason_by_a_key_for_every_party(api: Api, services: Services, world: World) -> None:
    path = f"/commitments/{world.commitment}/weight"
    changed = api.client.put(path, json={"weight": 5, "reason": "the core of the matrix"}, headers=api.headers())
    assert changed.status_code == 200 and changed.json()["weight"] == 5
    assert api.get("/rollup", meeting=world.meeting).json()["weight"] == 5
    assert_problem(api.client.put(path, json={"weight": 2}, headers=api.headers()), 422, "reason-required")
    assert_problem(
        api.client.put(path, json={"weight": 0, "reason": "none"}, headers=api.headers()), 422, "invalid-value"
    )
    _, scoped = services.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    refused = api.client.put(
        path, json={"weight": 9, "reason": "ours matters most"}, headers={"Authorization": f"Bearer {scoped}"}
    )
    assert_problem(refused, 403, "forbidden")
    assert api.get(f"/commitments/{world.commitment}").json()["weight"] == 5


def test_the_overview_and_the_meeting_page_show_progress_and_completion_in_the_reader_language(
    api: Api, services: Services, world: World, clock: FrozenClock
) -> None:
    from tests.pages.test_web_pages import visitor_of

    recorded(api, world, clock)
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.AUDITOR])
        overview = visitor.open("/", **{"Accept-Language": "ar"})
        row = overview.all("//tr[th/a/abbr[text()='SESRIC']]")[0]
        assert "نسبة الإنجاز" in overview.words()
        assert [" ".join(td.text_content().split()) for td in row.xpath("td")][-3:] == ["75%", "100%", "179"]
        meeting = visitor.open(f"/meetings/{world.meeting}")
        assert "68%" in meeting.words() and "4 commitments" in meeting.words()
