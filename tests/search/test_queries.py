"""Coordinators ask questions across many commitments: filters, sorting, pages, counts and search."""

from typing import Any

import pytest

from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, Standing
from tests.records import commitment, meeting
from tests.world import World


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def add(api: Api, world: World, lead: str, due: str, **extra: Any) -> str:
    body = commitment(world.meeting, lead, due={"precision": "day", "value": due}, **extra)
    identifier: str = api.created("/commitments", body)["id"]
    return identifier


def test_filters_combine(api: Api, world: World) -> None:
    early = add(api, world, world.sesric, "2024-03-01")
    late = add(api, world, world.sesric, "2024-09-01", supporting_party_ids=[world.iofs])
    other = add(api, world, world.oic, "2024-01-01", supporting_party_ids=[world.sesric])
    api.post(f"/commitments/{late}/start")
    # "everything SESRIC leads that is due before July"
    assert ids(api.get("/commitments", lead_party=world.sesric, due_before="2024-07-01")) == [early]
    assert set(ids(api.get("/commitments", party=world.sesric))) == {world.commitment, early, late, other}
    assert ids(api.get("/commitments", supporting_party=world.sesric)) == [other]
    assert ids(api.get("/commitments", supporting_party=world.iofs)) == [late]
    assert ids(api.get("/commitments", status="in_progress")) == [late]
    assert set(ids(api.get("/commitments", status=["in_progress", "agreed"]))) == {world.commitment, early, late, other}
    assert set(ids(api.get("/commitments", status="in_progress,draft"))) == {late}
    assert ids(api.get("/commitments", due_after="2024-08-31T22:00:00Z", due_before="2025-01-01")) == [late]
    assert ids(api.get("/commitments", kind="follow_up_session")) == []
    assert len(ids(api.get("/commitments", meeting=world.meeting))) == 4
    assert ids(api.get("/commitments", overdue="false", lead_party=world.oic)) == [other]


def test_sorting_by_due_pages_in_a_stable_order(api: Api, world: World) -> None:
    made = [
        add(api, world, world.oic, day)
        for day in ["2024-05-01", "2024-01-01", "2024-05-01", "2023-12-31", "2024-05-01", "2025-01-01"]
    ]
    by_due = ["2023-12-31", "2024-01-01", "2024-05-01", "2024-05-01", "2024-05-01", "2025-01-01"]
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"lead_party": world.oic, "sort": "due", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = api.get("/commitments", **params).json()
        assert body["total"] == 6
        seen += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [item["due"]["value"] for item in seen] == by_due
    assert [item["id"] for item in seen if item["due"]["value"] == "2024-05-01"] == [made[0], made[2], made[4]]
    descending = ids(api.get("/commitments", lead_party=world.oic, sort="-due", limit=200))
    assert descending == [item["id"] for item in reversed(seen)]


def test_counts_ignore_the_page(api: Api, world: World) -> None:
    for _ in range(3):
        add(api, world, world.oic, "2024-01-01")
    body = api.get("/commitments", limit=1).json()
    assert body["total"] == 4
    assert len(body["items"]) == 1
    assert body["next_cursor"]


def test_a_change_is_visible_to_queries_as_soon_as_it_is_answered(api: Api, world: World) -> None:
    api.post(f"/commitments/{world.commitment}/stall", {"reason": "no budget"})
    assert ids(api.get("/commitments", status="stalled")) == [world.commitment]
    assert api.get("/commitments", status="stalled").json()["items"][0]["version"] == 2


@pytest.mark.parametrize("query", ["الأنشطة المشتركة", "الانشطه المشتركه", "الأَنْشِطَةِ", "مصفوف", "MATRIX of Joint"])
def test_a_search_finds_the_commitment_with_or_without_diacritics(api: Api, world: World, query: str) -> None:
    add(api, world, world.oic, "2024-01-01", text={"texts": {"en": "Regional framework on food security"}}, quote=None)
    assert ids(api.get("/commitments", q=query)) == [world.commitment]


def test_a_search_looks_in_every_language_and_in_quotes(api: Api, world: World) -> None:
    regional = add(
        api,
        world,
        world.oic,
        "2024-01-01",
        text={"texts": {"en": "Adopt the regional framework", "fr": "Adopter le cadre régional"}, "authentic": "en"},
        quote={"texts": {"ar": "اعتماد الإطار الإقليمي لمكافحة الفساد"}},
    )
    for query in ("regional framework", "cadre regional", "الاطار الاقليمي", "إطار", "مكافحة الفساد"):
        assert ids(api.get("/commitments", q=query)) == [regional], query
    assert ids(api.get("/commitments", q="framework", lead_party=world.sesric)) == []


def pages(api: Api, path: str, **params: Any) -> tuple[list[str], set[int]]:
    """Every id a list gives, page after page, and the totals its pages gave."""
    seen: list[str] = []
    totals: set[int] = set()
    cursor = None
    while True:
        body = api.get(path, **params, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in body["items"]]
        totals.add(body["total"])
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, totals


def test_a_search_pages_through_all_it_finds_in_recorded_order(api: Api, world: World) -> None:
    found = [
        add(
            api,
            world,
            lead,
            due,
            text={"texts": {"ar": f"تعزيز الأمن الغذائي {n}", "en": f"Food security {n}"}, "authentic": "ar"},
        )
        for n, (lead, due) in enumerate(
            [
                (world.oic, "2024-05-01"),
                (world.sesric, "2024-01-01"),
                (world.oic, "2023-12-31"),
                (world.oic, "2024-03-01"),
                (world.sesric, "2025-01-01"),
            ]
        )
    ]
    add(api, world, world.oic, "2024-02-01", text={"texts": {"en": "Security council briefing"}})
    api.created("/meetings", meeting([world.oic], title={"texts": {"ar": "اجتماع الأمن الغذائي"}}))
    assert pages(api, "/commitments", q="الأمن الغذائي", limit=2) == (found, {5})
    assert pages(api, "/commitments", q="food secur", limit=1) == (found, {5})
    assert pages(api, "/commitments", q="الأمن الغذائي", lead_party=world.oic, limit=2) == (
        [found[0], found[2], found[3]],
        {3},
    )
    by_due = [found[2], found[1], found[3], found[0], found[4]]
    assert pages(api, "/commitments", q="food security", sort="due", limit=2) == (by_due, {5})
    assert pages(api, "/commitments", q="food security", sort="-due", limit=3) == (by_due[::-1], {5})
    assert pages(api, "/commitments", q="food security", as_of="2100-01-01", limit=2) == (found, {5})
    effective = api.get("/commitments", q="food security", as_of="2100-01-01", axis="effective", limit=200).json()
    assert [item["id"] for item in effective["items"]] == found
    assert pages(api, "/commitments", q="food security nowhere", limit=2) == ([], {0})
    hits = api.get("/search", q="الأمن الغذائي", limit=50).json()["items"]
    assert [hit["id"] for hit in hits if hit["kind"] == "commitment"] == found[::-1]  # newest first


def test_meetings_parties_and_agreements_are_searchable_too(api: Api, world: World) -> None:
    assert ids(api.get("/meetings", q="الاجتماع العام الخامس عشر")) == [world.meeting]
    assert ids(api.get("/meetings", q="geneva")) == [world.meeting]
    assert ids(api.get("/parties", q="sesric")) == [world.sesric]
    assert ids(api.get("/parties", q="مركز الابحاث الاحصائيه")) == [world.sesric]
    hits = api.get("/search", q="منظمة التعاون الإسلامي").json()["items"]
    assert {(hit["kind"], hit["id"]) for hit in hits} >= {("party", world.oic), ("meeting", world.meeting)}
    labels = [hit["label"] for hit in hits if hit["id"] == world.oic]
    assert labels[0]["texts"]["ar"] == "منظمة التعاون الإسلامي"


def test_a_row_added_to_a_matrix_later_makes_the_agreement_found_by_its_activity(api: Api, world: World) -> None:
    matrix = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "title": {"texts": {"en": "Matrix of joint activities"}},
            "adopted_by": [world.un],
        },
    )
    assert ids(api.get("/agreements", q="سلاسل الإمداد")) == []
    response = api.post(
        f"/agreements/{matrix['id']}/rows",
        {
            "activity": {
                "texts": {"ar": "تعزيز سلاسل الإمداد الغذائي", "en": "Strengthen food supply chains"},
                "authentic": "ar",
            },
            "lead_party_id": world.sesric,
        },
    )
    assert response.status_code == 200, response.text
    for query in ("سلاسل الإمداد", "supply chains", "matrix"):
        assert ids(api.get("/agreements", q=query)) == [matrix["id"]], query


def test_meetings_agreements_and_parties_filter(api: Api, world: World) -> None:
    other = api.created("/meetings", meeting([world.iofs], kind="working_group", series=None, session_number=None))
    assert ids(api.get("/meetings", party=world.iofs)) == [other["id"]]
    assert ids(api.get("/meetings", kind="general_meeting")) == [world.meeting]
    assert ids(api.get("/meetings", series="un-oic-general-meeting")) == [world.meeting]
    api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})
    assert ids(api.get("/meetings", status="held")) == [world.meeting]
    assert ids(api.get("/meetings", starts_after="2022-07-18", starts_before="2022-07-19")) == [
        world.meeting,
        other["id"],
    ]
    statement = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "joint_statement",
            "title": {"texts": {"en": "Joint statement"}},
            "adopted_by": [world.un],
        },
    )
    assert ids(api.get("/agreements", party=world.un)) == [statement["id"]]
    assert ids(api.get("/agreements", party=world.iofs)) == []
    assert ids(api.get("/agreements", meeting=world.meeting, kind="joint_statement")) == [statement["id"]]
    assert ids(api.get("/parties", parent=world.oic)) == [world.sesric, world.iofs]
    assert ids(api.get("/parties", kind="international_organisation")) == [world.un, world.oic]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "promised"}, "status"),
        ({"kind": "wish"}, "kind"),
        ({"due_before": "next year"}, "due_before"),
        ({"due_after": "2024-07-01T00:00:00"}, "due_after"),
        ({"sort": "priority"}, "sort"),
        ({"q": "!!!"}, "q"),
        ({"party": "SESRIC"}, "party"),
        ({"limit": 500}, "limit"),
        ({"overdue": "perhaps"}, "overdue"),
    ],
)
def test_bad_filters_are_problems_naming_the_field(
    standing: Standing, standing_unchanged: None, params: dict[str, Any], field: str
) -> None:
    assert_problem(standing.api.get("/commitments", **params), 422, "invalid-value", field)


def test_a_cursor_from_another_sort_is_refused(api: Api, world: World) -> None:
    add(api, world, world.oic, "2024-01-01")
    cursor = api.get("/commitments", limit=1).json()["next_cursor"]
    assert_problem(api.get("/commitments", limit=1, sort="due", cursor=cursor), 400, "invalid-cursor", "cursor")


def test_a_list_counts_its_matches_up_to_a_bound_unless_asked_for_the_exact_total(
    api: Api, world: World, services: Any
) -> None:
    from dataclasses import replace

    from application.listing.queries import CommitmentFilter
    from infrastructure.read_model.catalogue import SqlCatalogue

    for n in range(3):
        api.created("/commitments", commitment(world.meeting, world.iofs, text={"texts": {"en": f"Task {n}"}}))
    small = SqlCatalogue(services.engine, counted_up_to=3)  # a bound of 3 stands for the 10,000 of a service
    bounded = small.find_commitments(CommitmentFilter(limit=2))
    exact = small.find_commitments(replace(CommitmentFilter(limit=2), exact_total=True))
    assert (bounded.total, bounded.total_exact, len(bounded.items)) == (3, False, 2)
    assert (exact.total, exact.total_exact) == (4, True)
    listed = api.get("/commitments", total="exact", limit=1).json()
    assert (listed["total"], listed["total_exact"]) == (4, True)
    assert api.get("/commitments", limit=1).json()["total_exact"] is True  # 4 is below the service's bound
    assert api.get("/commitments", total="some").status_code == 422


def test_a_search_counts_its_matches_up_to_the_same_bound(api: Api, world: World, services: Any) -> None:
    """A search alone is answered by the index, which counted every match (all of a million
    commitments with a common word) before this bound applied to it too."""
    from dataclasses import replace

    from application.listing.queries import CommitmentFilter, terms
    from infrastructure.read_model.catalogue import SqlCatalogue

    for n in range(4):
        api.created(
            "/commitments",
            commitment(world.meeting, world.iofs, text={"texts": {"ar": f"تنفيذ مصفوفة الأنشطة رقم {n}"}}),
        )
    small = SqlCatalogue(services.engine, counted_up_to=3)
    search = CommitmentFilter(words=terms("مصفوفة الأنشطة"), limit=2)
    bounded = small.find_commitments(search)
    exact = small.find_commitments(replace(search, exact_total=True))
    assert (bounded.total, bounded.total_exact, len(bounded.items)) == (3, False, 2)
    assert (exact.total, exact.total_exact, len(exact.items)) == (5, True, 2)  # and the world's own
    assert bounded.next_cursor is not None
