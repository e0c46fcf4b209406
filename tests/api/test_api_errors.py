"""Bad input gets a clear problem document that names the field, and stores nothing."""

from typing import Any

import pytest
from eventsourcing.postgres import PostgresApplicationRecorder

from api.bootstrap import build
from domain.access import Role
from tests.conftest import Api, Standing, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.records import commitment, meeting
from tests.world import World, build_world

MISSING = "00000000-0000-4000-8000-000000000000"


def assert_problem(response: Any, status: int, slug: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    if field is not None:
        assert body["field"] == field, body
    return body


CASES = [
    # (description, path template, body maker, status, slug, field)
    (
        "impossible date",
        "/meetings",
        lambda w: meeting([w.un], scheduled={"starts_on": "2022-02-30"}),
        422,
        "invalid-value",
        "scheduled.starts_on",
    ),
    (
        "malformed date",
        "/meetings",
        lambda w: meeting([w.un], scheduled={"starts_on": "18 July 2022"}),
        422,
        "invalid-value",
        "scheduled.starts_on",
    ),
    (
        "end before start",
        "/meetings",
        lambda w: meeting([w.un], scheduled={"starts_on": "2022-07-20", "ends_on": "2022-07-18"}),
        422,
        "invalid-value",
        "scheduled.ends_on",
    ),
    (
        "malformed time zone",
        "/meetings",
        lambda w: meeting([w.un], venue={"name": "Palais", "time_zone": "GMT+2"}),
        422,
        "invalid-value",
        "venue.time_zone",
    ),
    (
        "unknown party in participants",
        "/meetings",
        lambda w: meeting([w.un, MISSING]),
        422,
        "unknown-reference",
        "participants[1].party_id",
    ),
    (
        "unknown language",
        "/meetings",
        lambda w: meeting([w.un], title={"texts": {"arabic": "اجتماع"}}),
        422,
        "invalid-value",
        "title.texts.arabic",
    ),
    (
        "authentic language without text",
        "/meetings",
        lambda w: meeting([w.un], title={"texts": {"en": "Meeting"}, "authentic": "ar"}),
        422,
        "invalid-value",
        "title.authentic",
    ),
    (
        "empty text",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, text={"texts": {"ar": "   "}}),
        422,
        "invalid-value",
        "text.texts.ar",
    ),
    (
        "no language at all",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, text={"texts": {}}),
        422,
        "invalid-value",
        "text.texts",
    ),
    (
        "oversized text",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, text={"texts": {"en": "x" * 20_001}}),
        422,
        "invalid-value",
        "text.texts.en",
    ),
    ("unknown meeting", "/commitments", lambda w: commitment(MISSING, w.oic), 422, "unknown-reference", "meeting_id"),
    (
        "unknown lead party",
        "/commitments",
        lambda w: commitment(w.meeting, MISSING),
        422,
        "unknown-reference",
        "lead_party_id",
    ),
    (
        "a meeting id given as party",
        "/commitments",
        lambda w: commitment(w.meeting, w.meeting),
        422,
        "unknown-reference",
        "lead_party_id",
    ),
    ("malformed id", "/commitments", lambda w: commitment(w.meeting, "SESRIC"), 422, "invalid-value", "lead_party_id"),
    (
        "impossible due",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, due={"precision": "day", "value": "2024-02-30"}),
        422,
        "invalid-value",
        "due.value",
    ),
    (
        "due time zone",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, due={"precision": "year", "value": "2024", "time_zone": "Riyadh"}),
        422,
        "invalid-value",
        "due.time_zone",
    ),
    (
        "made before its meeting began",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, made_on="2022-07-17"),
        422,
        "invalid-value",
        "made_on",
    ),
    (
        "made in the future",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, made_on="2031-01-01"),
        422,
        "invalid-value",
        "made_on",
    ),
    (
        "review in year 9999",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, review_on="9999-01-01"),
        422,
        "invalid-value",
        "review_on",
    ),
    (
        "lead also supporting",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, supporting_party_ids=[w.oic]),
        422,
        "invalid-value",
        "supporting_party_ids[0]",
    ),
    (
        "unknown status",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, status="promised"),
        422,
        "invalid-value",
        "status",
    ),
    (
        "recorded as delivered",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, status="delivered"),
        422,
        "invalid-value",
        "status",
    ),
    (
        "misspelt field",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, lead_party=w.oic),
        422,
        "invalid-value",
        "lead_party",
    ),
    (
        "wrong type",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, supporting_party_ids="UN"),
        422,
        "invalid-value",
        "supporting_party_ids",
    ),
    (
        "row without agreement",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, row_number=1),
        422,
        "invalid-value",
        "agreement_id",
    ),
    (
        "follow-up without series",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, kind="follow_up_session", follow_up={"series": "Geneva Meeting"}),
        422,
        "invalid-value",
        "follow_up.series",
    ),
    (
        "unknown party kind",
        "/parties",
        lambda w: {"names": {"texts": {"en": "X"}}, "acronym": "X", "kind": "club"},
        422,
        "invalid-value",
        "kind",
    ),
    (
        "acronym taken",
        "/parties",
        lambda w: {"names": {"texts": {"en": "Other"}}, "acronym": "oic", "kind": "ngo"},
        409,
        "already-exists",
        "acronym",
    ),
    (
        "framework without validity",
        "/agreements",
        lambda w: {
            "meeting_id": w.meeting,
            "title": {"texts": {"en": "Framework"}},
            "kind": "framework",
            "adopted_by": [w.un],
        },
        422,
        "invalid-value",
        "validity",
    ),
    (
        "agreement adopted by nobody",
        "/agreements",
        lambda w: {
            "meeting_id": w.meeting,
            "title": {"texts": {"en": "Joint statement"}},
            "kind": "joint_statement",
            "adopted_by": [],
        },
        422,
        "invalid-value",
        "adopted_by",
    ),
    (
        "rows on a joint statement",
        "/agreements",
        lambda w: {
            "meeting_id": w.meeting,
            "title": {"texts": {"en": "Statement"}},
            "kind": "joint_statement",
            "adopted_by": [w.un],
            "rows": [{"activity": {"texts": {"en": "x"}}, "lead_party_id": w.un}],
        },
        422,
        "rule-violated",
        "kind",
    ),
    (
        "missing reason",
        "/commitments/{c}/due",
        lambda w: {"due": {"precision": "year", "value": "2030"}},
        422,
        "reason-required",
        "reason",
    ),
    ("missing evidence", "/commitments/{c}/deliver", lambda w: {"evidence": []}, 422, "evidence-required", "evidence"),
    (
        "evidence link not a web address",
        "/commitments/{c}/deliver",
        lambda w: {"evidence": [{"title": "Report", "url": "file:///etc/passwd"}]},
        422,
        "invalid-value",
        "evidence[0].url",
    ),
    (
        "missing decision reference",
        "/commitments/{c}/suspend",
        lambda w: {"reason": "frozen"},
        422,
        "decision-reference-required",
        "decision_reference",
    ),
    (
        "illegal transition",
        "/commitments/{c}/reopen",
        lambda w: {"reason": "why not"},
        409,
        "illegal-transition",
        "status",
    ),
    ("unknown assessment", "/commitments/{c}/assess", lambda w: {"outcome": "great"}, 422, "invalid-value", "outcome"),
    ("progress over 100", "/commitments/{c}/progress", lambda w: {"percent": 150}, 422, "invalid-value", "percent"),
    (
        "progress not a number",
        "/commitments/{c}/progress",
        lambda w: {"percent": "half"},
        422,
        "invalid-value",
        "percent",
    ),
    (
        "supersede by an unknown commitment",
        "/commitments/{c}/supersede",
        lambda w: {"new_commitment_id": MISSING, "meeting_id": w.meeting},
        422,
        "unknown-reference",
        "new_commitment_id",
    ),
    (
        "supersede by itself at the same meeting",
        "/commitments/{c}/supersede",
        lambda w: {"new_commitment_id": w.commitment, "meeting_id": w.meeting},
        422,
        "invalid-value",
        "meeting_id",
    ),
    (
        "hold a meeting in the future",
        "/meetings/{m}/held",
        lambda w: {"starts_on": "2030-01-01"},
        422,
        "invalid-value",
        "ends_on",
    ),
    # JSON types are taken as they are: a number is not a day, true is not 1, 1.5 and "2" are not counts
    (
        "a day given as a number",
        "/commitments/{c}/review",
        lambda w: {"review_on": 0},
        422,
        "invalid-value",
        "review_on",
    ),
    (
        "a meeting's days given as numbers",
        "/meetings",
        lambda w: meeting([w.un], scheduled={"starts_on": 0, "ends_on": 86400}),
        422,
        "invalid-value",
        "scheduled.starts_on",
    ),
    (
        "a percent given as true",
        "/commitments/{c}/progress",
        lambda w: {"percent": True},
        422,
        "invalid-value",
        "percent",
    ),
    (
        "a percent given as a text",
        "/commitments/{c}/progress",
        lambda w: {"percent": "40"},
        422,
        "invalid-value",
        "percent",
    ),
    (
        "a percent with a fraction",
        "/commitments/{c}/progress",
        lambda w: {"percent": 40.5},
        422,
        "invalid-value",
        "percent",
    ),
    (
        "a relative due's amount given as true",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, due={"precision": "relative", "amount": True, "unit": "years"}),
        422,
        "invalid-value",
        "due.amount",
    ),
    (
        "a text given as a number",
        "/commitments",
        lambda w: commitment(w.meeting, w.oic, text={"texts": {"en": 5}}),
        422,
        "invalid-value",
        "text.texts.en",
    ),
    (
        "a name on two lines",
        "/parties",
        lambda w: {"names": {"texts": {"en": "Ministry\r\nof Health"}}, "acronym": "MOH", "kind": "ministry"},
        422,
        "invalid-value",
        "names.texts.en",
    ),
    (
        "a title on two lines",
        "/meetings",
        lambda w: meeting([w.un], title={"texts": {"en": "Meeting\nBcc: x"}}),
        422,
        "invalid-value",
        "title.texts.en",
    ),
    # a day outside the form the document states, even where no rule of the domain reads it
    (
        "a report published in the year 1000",
        "/drafts",
        lambda w: {"text": "x", "published_on": "1000-01-01"},
        422,
        "invalid-value",
        "published_on",
    ),
]


@pytest.mark.parametrize(
    ("description", "path", "make", "status", "slug", "field"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_a_problem_naming_the_field_and_stores_nothing(
    standing: Standing,
    standing_unchanged: None,
    description: str,
    path: str,
    make: Any,
    status: int,
    slug: str,
    field: str,
) -> None:
    api, world = standing.api, standing.world
    url = path.format(c=world.commitment, m=world.meeting)
    assert_problem(api.post(url, make(world)), status, slug, field)


def test_malformed_json_is_a_400(standing: Standing, standing_unchanged: None) -> None:
    api = standing.api
    response = api.client.post(
        "/commitments", content=b'{"text": ', headers=api.headers(extra={"content-type": "application/json"})
    )
    assert_problem(response, 400, "malformed-json")


def test_a_body_that_is_not_an_object_is_a_422(standing: Standing, standing_unchanged: None) -> None:
    api = standing.api
    assert_problem(api.post("/commitments", ["not", "an", "object"]), 422, "invalid-value")


def test_an_unknown_commitment_is_a_404(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    assert_problem(api.get(f"/commitments/{MISSING}"), 404, "not-found")
    assert_problem(api.post(f"/commitments/{MISSING}/start"), 404, "not-found")
    assert_problem(api.get(f"/commitments/{world.meeting}"), 404, "not-found")  # a meeting's id
    assert_problem(api.get("/commitments/not-a-uuid"), 422, "invalid-value", "commitment_id")


def test_unknown_routes_and_methods_are_problems_too(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    assert_problem(api.get("/nowhere"), 404, "not-found")
    assert_problem(
        api.client.delete(f"/commitments/{world.commitment}", headers=api.headers()), 405, "method-not-allowed"
    )
    refused = api.client.patch("/deliveries/recover", headers=api.headers())  # a path of its own, not a delivery's
    assert_problem(refused, 405, "method-not-allowed")
    assert refused.headers["Allow"] == "OPTIONS, POST"


def test_an_oversized_body_is_a_413(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    huge = commitment(world.meeting, world.oic, text={"texts": {"en": "x" * 3_000_000}})
    assert_problem(api.post("/commitments", huge), 413, "payload-too-large")


def test_a_bad_cursor_is_a_400_and_a_bad_limit_a_422(standing: Standing, standing_unchanged: None) -> None:
    api = standing.api
    assert_problem(api.get("/commitments", cursor="abc"), 400, "invalid-cursor", "cursor")
    assert_problem(api.get("/commitments", limit=0), 422, "invalid-value", "limit")


def test_odd_strings_never_cause_a_500(api: Api, world: World) -> None:
    odd = ["\x00", "\u202e", "' OR 1=1 --", "../../etc/passwd", "🙂" * 10, "ـــــ", "\n"]
    for text in odd:
        for body in (
            commitment(world.meeting, world.oic, text={"texts": {"ar": text}}),
            commitment(world.meeting, world.oic, due={"precision": "year", "value": text}),
            commitment(world.meeting, world.oic, due={"precision": "day", "value": "2024-01-01", "time_zone": text}),
            {"names": {"texts": {text: "x"}}, "acronym": text, "kind": "ngo"},
        ):
            path = "/parties" if "acronym" in body else "/commitments"
            response = api.post(path, body)
            assert response.status_code < 500, (text, response.text)


def test_a_control_character_in_a_text_is_refused(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    body = commitment(world.meeting, world.oic, text={"texts": {"en": "null\x00byte"}})
    assert_problem(api.post("/commitments", body), 422, "invalid-value", "text.texts.en")


def test_auditors_read_but_a_write_is_a_403(standing: Standing, standing_unchanged: None) -> None:
    api, world = standing.api, standing.world
    assert api.get(f"/commitments/{world.commitment}", role=Role.AUDITOR).status_code == 200
    assert_problem(api.post(f"/commitments/{world.commitment}/start", role=Role.AUDITOR), 403, "forbidden")


def test_a_database_another_process_keeps_locked_for_writes_is_a_503_to_retry_not_a_500(database_url: str) -> None:
    """Another process holding the write lock longer than the service waits (``write_wait``): the
    client is told to retry, nothing was stored, and once the lock is free the same request is stored."""
    with (
        build(settings_for_tests(database_url, write_wait=0.2), clock=FrozenClock()) as services,
        api_of(services) as api,
    ):
        world = build_world(api)
        before = services.store.recorder.max_notification_id()
        with services.engine.connect() as other_process:
            if other_process.dialect.name == "sqlite":
                other_process.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                recorder = services.store.recorder
                assert isinstance(recorder, PostgresApplicationRecorder)
                other_process.exec_driver_sql(f"LOCK TABLE {recorder.events_table_name} IN EXCLUSIVE MODE")
            response = api.post("/commitments", json=commitment(world.meeting, world.oic))
            other_process.rollback()
        body = assert_problem(response, 503, "busy")
        assert response.headers["retry-after"] == "1"
        assert "retry" in body["detail"]
        assert services.store.recorder.max_notification_id() == before
        assert api.post("/commitments", json=commitment(world.meeting, world.oic)).status_code == 201


def test_a_follow_up_at_a_meeting_with_no_series_says_so(api: Api, world: World) -> None:
    lone = api.created("/meetings", meeting([world.un], series=None, session_number=None))
    body = assert_problem(
        api.post("/commitments", commitment(lone["id"], world.oic, kind="follow_up_session")),
        422,
        "invalid-value",
        "follow_up.series",
    )
    assert "the meeting has no series" in body["detail"]
    assert "slug" not in body["detail"]


def test_an_unknown_assessment_outcome_lists_the_three_outcomes(api: Api, world: World) -> None:
    body = assert_problem(
        api.post(f"/commitments/{world.commitment}/assess", {"outcome": "cancelled"}), 422, "invalid-value", "outcome"
    )
    assert all(outcome in body["detail"] for outcome in ("fulfilled", "partially_fulfilled", "not_fulfilled"))
    assert "draft" not in body["detail"] and "superseded" not in body["detail"]
