"""Recurring commitments through the API, on both engines: a coordinator states a rule, reads its
occurrences as commitments and lists them, changes its schedule and ends it; odd input is refused
with a problem document and stores nothing."""

from typing import Any

import pytest

from api.bootstrap import Services
from domain.access import Role
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.world import World

REPORT = {
    "texts": {
        "ar": "تقدم منظمة التعاون الإسلامي تقريراً نصف سنوي عن تنفيذ مصفوفة الأنشطة",
        "en": "The OIC reports every six months on the matrix of activities",
    },
    "authentic": "ar",
}


def rule(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "text": REPORT,
        "lead_party_id": world.oic,
        "meeting_id": world.meeting,
        "every": "كل ستة أشهر",
        "until": "2024-12-31",
        "status": "agreed",
        "supporting_party_ids": [world.un],
        **overrides,
    }


def test_a_coordinator_states_a_rule_and_each_occurrence_is_a_commitment_of_its_own(api: Api, world: World) -> None:
    response = api.post("/recurrences", rule(world))
    assert response.status_code == 201, response.text
    stated = response.json()
    assert response.headers["location"].endswith(f"/recurrences/{stated['id']}")
    assert stated["schedule"] == {"every_months": 6, "first_due": "2023-01-20", "until": "2024-12-31"}
    assert (
        [o["due_on"] for o in stated["occurrences"]]
        == stated["dues"]
        == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20"]
    )
    first = api.get(f"/commitments/{stated['occurrences'][0]['commitment_id']}").json()
    assert first["provenance"]["recurrence_id"] == stated["id"] and first["due_at"] == "2023-01-20T23:00:00Z"
    listed = api.get("/commitments", party=world.oic, sort="due").json()["items"]
    assert [c["due"]["value"] for c in listed if c["provenance"]["recurrence_id"] == stated["id"]] == stated["dues"]
    assert api.get(f"/recurrences/{stated['id']}").json() == stated


def test_a_retried_statement_of_a_rule_generates_its_occurrences_once(
    api: Api, world: World, services: Services
) -> None:
    first = api.post("/recurrences", rule(world), headers={"Idempotency-Key": "rule-1"})
    again = api.post("/recurrences", rule(world), headers={"Idempotency-Key": "rule-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert len(api.get("/commitments", party=world.oic).json()["items"]) == 4


def test_changing_the_schedule_regenerates_only_future_occurrences_with_no_report(
    api: Api, world: World, clock: FrozenClock
) -> None:
    stated = api.created("/recurrences", rule(world))
    clock.set(clock.now.replace(year=2023, month=3, day=1))
    reported = stated["occurrences"][1]["commitment_id"]
    assert api.post(f"/commitments/{reported}/progress", {"percent": 30}).status_code == 200
    path = f"/recurrences/{stated['id']}"
    stale = api.client.put(
        f"{path}/schedule", json={"reason": "yearly", "every": "annual"}, headers=api.headers(extra={"If-Match": '"7"'})
    )
    assert_problem(stale, 412, "stale-version")
    changed = api.client.put(
        f"{path}/schedule",
        json={"reason": "yearly from the 16th meeting", "every": "سنوياً"},
        headers=api.headers(extra={"If-Match": '"1"'}),
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert {o["due_on"]: o["status"] for o in changed.json()["occurrences"]} == {
        "2023-01-20": "agreed",
        "2023-07-20": "agreed",
        "2024-01-20": "agreed",
        "2024-07-20": "cancelled",
    }
    ended = api.post(f"{path}/end", {"reason": "the matrix was replaced"})
    assert ended.status_code == 200 and ended.json()["ended"]
    assert ended.json()["occurrences"][2]["status"] == "cancelled"
    events = api.get(f"{path}/history").json()["events"]
    assert [(e["type"], e["reason"]) for e in events] == [
        ("Stated", None),
        ("Rescheduled", "yearly from the 16th meeting"),
        ("Ended", "the matrix was replaced"),
    ]
    assert_problem(api.post(f"{path}/end", {"reason": "again"}), 409, "illegal-transition", "status")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"every": None}, "every_months"),
        ({"every_months": 6}, "every_months"),
        ({"every": "from time to time"}, "every"),
        ({"until": "2022-12-31"}, "until"),
        ({"until": "2099-12-31", "every": None, "every_months": 1}, "until"),
        ({"kind": "follow_up_session"}, "kind"),
        ({"until": None}, "until"),
        ({"lead_party_id": "00000000-0000-0000-0000-000000000000"}, "lead_party_id"),
        ({"row_number": 2}, "agreement_id"),
        ({"reminder_days": [0]}, "reminder_days[0]"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_and_stores_nothing(
    api: Api, world: World, nothing_stored: None, overrides: dict[str, Any], field: str
) -> None:
    refused = api.post("/recurrences", rule(world, **overrides))
    assert refused.status_code in (400, 404, 422), refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"].endswith(field), refused.json()


def test_a_bad_schedule_change_is_refused_and_changes_nothing(api: Api, world: World) -> None:
    stated = api.created("/recurrences", rule(world))
    path = f"/recurrences/{stated['id']}"
    assert_problem(
        api.client.put(f"{path}/schedule", json={"every_months": 12}, headers=api.headers()),
        422,
        "reason-required",
        "reason",
    )
    assert_problem(
        api.client.put(f"{path}/schedule", json={"reason": "x", "until": "1800-01-01"}, headers=api.headers()),
        422,
        "invalid-value",
        "until",
    )
    assert_problem(
        api.client.put(
            "/recurrences/00000000-0000-0000-0000-000000000000/schedule",
            json={"reason": "x", "every_months": 12},
            headers=api.headers(),
        ),
        404,
        "not-found",
    )
    assert api.get(path).json() == stated


def test_readers_read_rules_and_a_key_limited_to_parties_changes_only_theirs(
    api: Api, world: World, services: Services
) -> None:
    assert_problem(api.post("/recurrences", rule(world), role=Role.AUDITOR), 403, "forbidden")
    stated = api.created("/recurrences", rule(world))
    assert api.get(f"/recurrences/{stated['id']}", role=Role.AUDITOR).status_code == 200
    _, iofs_key = services.keys.create(Role.COORDINATOR, "IOFS focal point", [world.iofs])
    iofs = {"Authorization": f"Bearer {iofs_key}"}
    assert_problem(api.client.post("/recurrences", json=rule(world), headers=iofs), 403, "forbidden")
    assert_problem(
        api.client.post(f"/recurrences/{stated['id']}/end", json={"reason": "not ours"}, headers=iofs), 403, "forbidden"
    )
    _, oic_key = services.keys.create(Role.COORDINATOR, "OIC focal point", [world.oic])
    ended = api.client.post(
        f"/recurrences/{stated['id']}/end", json={"reason": "ours"}, headers={"Authorization": f"Bearer {oic_key}"}
    )
    assert ended.status_code == 200, ended.text
