"""A coordinator records who met, what they agreed and what was promised, and reads it back."""

import unicodedata

from domain.access import Role
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import MATRIX_QUOTE, SESRIC_NAME, SESSION_QUOTE, commitment, meeting
from tests.world import build_world


def test_arabic_text_comes_back_byte_for_byte(api: Api) -> None:
    world = build_world(api)
    body = api.get(f"/parties/{world.sesric}").json()
    assert body["names"]["texts"]["ar"].encode("utf-8") == SESRIC_NAME.encode("utf-8")
    stored = api.get(f"/commitments/{world.commitment}").json()
    assert stored["provenance"]["quote"]["texts"]["ar"] == MATRIX_QUOTE


def test_arabic_text_is_stored_in_nfc(api: Api) -> None:
    world = build_world(api)
    decomposed = unicodedata.normalize("NFD", "إنشاء")  # alef with hamza below, decomposed
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    created = api.created("/commitments", commitment(world.meeting, world.oic, text={"texts": {"ar": decomposed}}))
    assert created["text"]["texts"]["ar"] == unicodedata.normalize("NFC", decomposed)


def test_the_matrix_and_follow_up_of_the_geneva_meeting_are_recorded(api: Api, clock: FrozenClock) -> None:
    world = build_world(api)
    api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})
    matrix = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {
                "texts": {"ar": "مصفوفة الأنشطة المشتركة", "en": "Matrix of joint activities"},
                "authentic": "ar",
            },
            "rows": [
                {
                    "activity": {"texts": {"en": "Statistical capacity building"}},
                    "lead_party_id": world.sesric,
                    "partner_party_ids": [world.un],
                    "timeframe": {"precision": "relative", "amount": 2, "unit": "years"},
                }
            ],
        },
    )
    assert matrix["rows"][0]["number"] == 1
    row_commitment = api.created(
        "/commitments",
        {
            "text": {"texts": {"en": "Statistical capacity building"}},
            "lead_party_id": world.sesric,
            "meeting_id": world.meeting,
            "agreement_id": matrix["id"],
            "row_number": 1,
            "status": "agreed",
        },
    )
    assert row_commitment["due_at"] == "2024-07-20T22:00:00Z"  # two years after 20 July 2022, Geneva time
    follow_up = api.created(
        "/commitments",
        commitment(
            world.meeting,
            world.iofs,
            kind="follow_up_session",
            text={
                "texts": {
                    "ar": "عقد الدورة السادسة عشرة في مقر المنظمة الإسلامية للأمن الغذائي في أستانا",
                    "en": "Hold the 16th session at the IOFS headquarters in Astana",
                },
                "authentic": "ar",
            },
            quote={"texts": {"ar": SESSION_QUOTE}},
            due={"precision": "year", "value": "2024", "time_zone": "Asia/Almaty"},
            follow_up={"session_number": 16},
        ),
    )
    assert follow_up["follow_up"] == {"series": "un-oic-general-meeting", "session_number": 16, "generated": False}

    clock.set(clock.now.replace(year=2024, month=9, day=10))
    sixteenth = api.created(
        "/meetings",
        meeting(
            [world.un, world.oic],
            session_number=16,
            scheduled={"starts_on": "2024-09-02", "ends_on": "2024-09-04"},
            venue={"name": "IOFS headquarters", "city": "Astana", "time_zone": "Asia/Almaty"},
        ),
    )
    held = api.post(f"/meetings/{sixteenth['id']}/held", {"starts_on": "2024-09-02", "ends_on": "2024-09-04"})
    assert held.status_code == 200, held.text
    fulfilled = api.get(f"/commitments/{follow_up['id']}").json()
    assert fulfilled["status"] == "fulfilled"
    assert fulfilled["fulfilled_by_meeting"] == sixteenth["id"]
    assert api.get(f"/commitments/{row_commitment['id']}").json()["status"] == "agreed"


def test_a_follow_up_is_not_fulfilled_by_another_session(api: Api, clock: FrozenClock) -> None:
    world = build_world(api)
    follow_up = api.created(
        "/commitments",
        commitment(
            world.meeting,
            world.iofs,
            kind="follow_up_session",
            due={"precision": "year", "value": "2024"},
            follow_up={"session_number": 16},
        ),
    )
    # the meeting where it was promised is recorded as held afterwards: not the 16th session
    api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})
    other = api.created("/meetings", meeting([world.un], series="un-oic-working-group", session_number=16))
    api.post(f"/meetings/{other['id']}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"})
    assert api.get(f"/commitments/{follow_up['id']}").json()["status"] == "agreed"


def test_the_history_lists_every_event_in_order(api: Api, clock: FrozenClock) -> None:
    world = build_world(api)
    cid = world.commitment
    api.post(f"/commitments/{cid}/start")
    clock.advance(days=10)
    api.post(f"/commitments/{cid}/progress", {"percent": 50, "note": "تقدم جيد"}, role=Role.ADMIN)
    api.post(f"/commitments/{cid}/due", {"due": {"precision": "year", "value": "2025"}, "reason": "extended"})
    history = api.get(f"/commitments/{cid}/history").json()["events"]
    assert [e["type"] for e in history] == ["Recorded", "Started", "ProgressReported", "DueRevised"]
    assert [e["version"] for e in history] == [1, 2, 3, 4]
    assert history[0]["recorded_at"] == "2022-07-21T09:00:00Z"
    assert history[2]["recorded_at"] == "2022-07-31T09:00:00Z"
    assert history[2]["payload"]["note"] == "تقدم جيد"
    assert history[3]["payload"]["reason"] == "extended"
    assert history[3]["payload"]["due_at"] == "2025-12-31T23:00:00Z"
    assert history[2]["actor"] != history[1]["actor"]  # the admin key, then the coordinator key
    assert all(e["actor"].startswith("key_") for e in history)


def test_an_earlier_version_can_be_read(api: Api) -> None:
    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    assert api.get(f"/commitments/{world.commitment}", version=1).json()["status"] == "agreed"
    assert api.get(f"/commitments/{world.commitment}").json()["status"] == "in_progress"
    assert api.get(f"/commitments/{world.commitment}", version=9).status_code == 404


def test_lists_are_paginated_in_a_stable_order(api: Api) -> None:
    world = build_world(api)
    more = [api.created("/commitments", commitment(world.meeting, world.oic))["id"] for _ in range(4)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.get("/commitments", Role.AUDITOR, **params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [world.commitment, *more]
    assert [p["acronym"] for p in api.get("/parties").json()["items"]] == ["UN", "OIC", "SESRIC", "IOFS"]
    assert len(api.get("/meetings").json()["items"]) == 1


def test_the_full_lifecycle_through_the_api(api: Api) -> None:
    world = build_world(api)
    cid = world.commitment
    steps = [
        ("stall", {"reason": "no budget"}, "stalled"),
        ("resume", None, "in_progress"),
        ("suspend", {"decision_reference": "OIC/CFM/49-2023/Res.1"}, "suspended"),
        ("resume", None, "in_progress"),
        ("deliver", {"evidence": [{"title": "Joint report", "url": "https://example.org/r.pdf"}]}, "delivered"),
        ("reject-delivery", {"reason": "the report covers only one country"}, "in_progress"),
        ("deliver", {"evidence": [{"title": "Full joint report"}]}, "delivered"),
        ("assess", {"outcome": "fulfilled"}, "fulfilled"),
        ("reopen", {"reason": "the audit found gaps"}, "in_progress"),
        ("cancel", {"reason": "replaced by the 2024 matrix"}, "cancelled"),
    ]
    for action, body, status in steps:
        response = api.post(f"/commitments/{cid}/{action}", body)
        assert response.status_code == 200, (action, response.text)
        assert response.json()["status"] == status


def test_the_history_is_paged_and_names_each_reason(api: Api) -> None:
    world = build_world(api)
    cid = world.commitment
    for reason in ("no budget", "budget found", "host changed"):
        api.post(f"/commitments/{cid}/stall", {"reason": reason})
        api.post(f"/commitments/{cid}/resume", {"reason": f"after: {reason}"})
    first = api.get(f"/commitments/{cid}/history", limit=3).json()
    assert [e["version"] for e in first["events"]] == [1, 2, 3]
    assert first["events"][1]["reason"] == "no budget"
    assert first["events"][0]["aggregate_type"] == "Commitment"
    rest = api.get(f"/commitments/{cid}/history", limit=10, cursor=first["next_cursor"]).json()
    assert [e["version"] for e in rest["events"]] == [4, 5, 6, 7]
    assert rest["next_cursor"] is None
    assert [e["reason"] for e in rest["events"]] == [
        "budget found",
        "after: budget found",
        "host changed",
        "after: host changed",
    ]


def test_a_party_and_a_meeting_show_the_merged_history_of_what_they_touch(api: Api, clock: FrozenClock) -> None:
    world = build_world(api)
    clock.advance(days=1)
    api.post(f"/commitments/{world.commitment}/start", role=Role.ADMIN)
    other_meeting = api.created("/meetings", meeting([world.iofs], series=None, session_number=None))
    api.created("/commitments", commitment(other_meeting["id"], world.iofs))
    sesric = api.get(f"/parties/{world.sesric}/timeline").json()
    assert [(e["aggregate_type"], e["type"]) for e in sesric["events"]] == [
        ("Party", "Registered"),
        ("Commitment", "Recorded"),
        ("Commitment", "Started"),
    ]
    geneva = api.get(f"/meetings/{world.meeting}/timeline", limit=2).json()
    assert geneva["total"] == 3
    assert [e["type"] for e in geneva["events"]] == ["Scheduled", "Recorded"]
    rest = api.get(f"/meetings/{world.meeting}/timeline", cursor=geneva["next_cursor"]).json()
    assert [e["type"] for e in rest["events"]] == ["Started"] and rest["next_cursor"] is None
    un = api.get(f"/parties/{world.un}/timeline").json()  # co-chaired the meeting, supports the commitment
    assert {e["aggregate_id"] for e in un["events"]} == {world.un, world.meeting, world.commitment}


def test_a_party_with_only_a_name_is_identified_by_it_as_searches_fold_it(api: Api) -> None:
    """A ministry named only in Arabic has no acronym: it is the party of that name, written with or
    without hamza or diacritics, found by that name wherever an acronym would find a party."""
    world = build_world(api)
    ministry = api.created(
        "/parties", {"names": {"texts": {"ar": "وزارة الخارجية المصرية"}}, "kind": "ministry", "parent_id": None}
    )
    assert ministry["acronym"] is None and ministry["label"] == "وزارة الخارجية المصرية"
    again = api.post("/parties", {"names": {"texts": {"ar": "وزاره الخارجيه المصريه"}}, "kind": "ministry"})
    assert again.status_code == 409 and again.json()["field"] == "names"
    made = api.created("/commitments", commitment(world.meeting, ministry["id"]))
    assert made["lead_party_id"] == ministry["id"]
    found = api.get("/parties", q="الخارجية").json()["items"]
    assert [p["id"] for p in found] == [ministry["id"]]
    assert api.post("/parties", {"names": {"texts": {"en": "UN"}}, "acronym": " ", "kind": "other"}).status_code == 201


def test_a_venue_may_be_only_a_city(api: Api) -> None:
    world = build_world(api)
    cairo = api.created(
        "/meetings", meeting([world.un], venue={"city": "القاهرة", "time_zone": "Africa/Cairo"}, session_number=16)
    )
    assert cairo["venue"] == {"name": None, "city": "القاهرة", "country": None, "time_zone": "Africa/Cairo"}
    nowhere = api.post("/meetings", meeting([world.un], venue={"time_zone": "Africa/Cairo"}, session_number=17))
    assert nowhere.status_code == 422 and nowhere.json()["field"] == "venue.name"


def test_the_api_reads_a_due_written_as_the_spreadsheet_import_reads_it(api: Api) -> None:
    world = build_world(api)
    for due, value in (({"precision": "quarter", "value": "Q3 2025"}, "2025-Q3"), ({"value": "يونيو 2025"}, "2025-06")):
        made = api.created("/commitments", commitment(world.meeting, world.oic, due=due))
        assert made["due"]["value"] == value
