"""Every party confirms, or stays silent: a change that binds the other parties, made by one of them, waits for
their word; an agreement may require it of every change; silence until the agreement's deadline is consent for
the parties that were told; an objection disputes it until withdrawn or overruled; each step is an event."""

from datetime import date, datetime, timedelta
from typing import Any

from api.bootstrap import Services, build
from domain.access import Role
from domain.webhooks import commitment_event_type
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, settings_for_tests
from tests.fakes import FrozenClock
from tests.racing import race
from tests.records import commitment
from tests.world import World

EVIDENCE = [{"title": "Workshop report", "url": "https://sesric.org/report"}]


class Keys:
    """A key limited to each party of the world's commitment: SESRIC leads it, the UN supports it."""

    def __init__(self, services: Services, api: Api, world: World) -> None:
        self.api = api
        self.sesric = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])[1]
        self.un = services.keys.create(Role.COORDINATOR, "UN desk", party_scope=[world.un])[1]

    def post(self, key: str, path: str, body: dict[str, Any]) -> Any:
        return self.api.client.post(path, json=body, headers={"Authorization": f"Bearer {key}"})


def commitment_now(api: Api, commitment_id: str, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = api.get(f"/commitments/{commitment_id}", **params).json()
    return body


def types(api: Api, commitment_id: str) -> list[str]:
    return [e["type"] for e in api.get(f"/commitments/{commitment_id}/history").json()["events"]]


def add_contact(api: Api, party: str) -> None:
    body = {"name": "Desk", "address": f"desk-{party[:8]}@example.org", "language": "en", "frequency": "weekly"}
    assert api.post(f"/parties/{party}/contacts", body).status_code == 200


def test_a_delivery_declared_by_one_party_waits_for_the_others_word_and_then_dates_from_its_declaration(
    services: Services, api: Api, world: World, clock: FrozenClock
) -> None:
    keys = Keys(services, api, world)
    declared_on = clock.now.date()
    declared = keys.post(keys.sesric, f"/commitments/{world.commitment}/deliver", {"evidence": EVIDENCE})
    assert declared.status_code == 200, declared.text
    now = declared.json()
    assert now["status"] == "agreed" and now["pending"]["action"] == "deliver"
    assert now["pending"]["awaiting"] == [world.un] and now["pending"]["disputed"] is False
    assert now["pending"]["silence_until"] is not None  # the UN has a key of its own: it was told
    listed = api.get("/commitments", status="delivered").json()["items"]
    assert listed == []  # everywhere, it keeps its previous state
    clock.advance(days=3)
    confirmed = keys.post(keys.un, f"/commitments/{world.commitment}/confirmation", {})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "delivered" and confirmed.json()["pending"] is None
    recorded_types = types(api, world.commitment)
    start = recorded_types.index("ConfirmationRequested")
    assert recorded_types[start : start + 3] == ["ConfirmationRequested", "ConfirmationGiven", "Confirmed"]
    effective = commitment_now(api, world.commitment, as_of=f"{declared_on}T23:00:00Z", axis="effective")
    assert effective["status"] == "delivered"  # in the world, from the day it was declared
    recorded = commitment_now(api, world.commitment, as_of=f"{declared_on}T23:00:00Z")
    assert recorded["status"] == "agreed" and recorded["pending"]["action"] == "deliver"


def test_a_key_of_every_party_changes_at_once_unless_the_agreement_requires_confirmation(
    services: Services, api: Api, world: World
) -> None:
    assert api.post(f"/commitments/{world.commitment}/start", {}).json()["status"] == "in_progress"
    assert api.post(f"/commitments/{world.commitment}/cancel", {}).json()["status"] == "cancelled"  # at once
    body = {
        "meeting_id": world.meeting,
        "kind": "joint_statement",
        "adopted_by": [world.un, world.oic],
        "title": {"texts": {"en": "Joint statement"}, "authentic": "en"},
        "confirmation": "required",
        "silence_days": 10,
    }
    agreement = api.created("/agreements", body)
    assert (agreement["confirmation"], agreement["silence_days"]) == ("required", 10)
    made = api.created("/commitments", commitment(world.meeting, world.un, agreement_id=agreement["id"]))
    waiting = api.post(f"/commitments/{made['id']}/assess", {"outcome": "fulfilled"}).json()
    assert waiting["status"] == "agreed" and waiting["pending"]["awaiting"] == [world.un]
    assert waiting["pending"]["proposing"] == []


def test_silence_is_consent_once_the_agreements_days_have_passed_recorded_once_by_racing_scanners(
    database_url: str, services: Services, api: Api, world: World, clock: FrozenClock
) -> None:
    keys = Keys(services, api, world)
    keys.post(
        keys.sesric,
        f"/commitments/{world.commitment}/due",
        {"due": {"precision": "year", "value": "2026"}, "reason": "venue"},
    )
    assert commitment_now(api, world.commitment)["pending"]["action"] == "revise_due"
    clock.advance(days=13)
    assert services.scanner.tick().confirmed_by_silence == 0
    clock.advance(days=1, seconds=1)
    others = [build(settings_for_tests(database_url), clock=clock) for _ in range(2)]
    try:
        counted = race([services, *others], lambda s: s.scanner.tick().confirmed_by_silence)
    finally:
        for other in others:
            other.close()
    assert sum(counted) == 1
    now = commitment_now(api, world.commitment)
    assert now["pending"] is None and now["due"]["value"] == "2026"
    assert types(api, world.commitment).count("ConfirmedBySilence") == 1


def test_a_party_nobody_can_reach_leaves_the_change_waiting_for_an_admin(
    services: Services, api: Api, world: World, clock: FrozenClock
) -> None:
    _, sesric = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    declared = api.client.post(
        f"/commitments/{world.commitment}/cancel",
        json={"reason": "merged"},
        headers={"Authorization": f"Bearer {sesric}"},
    ).json()
    assert declared["pending"]["unreachable"] == [world.un] and declared["pending"]["silence_until"] is None
    clock.advance(days=60)
    assert services.scanner.tick().confirmed_by_silence == 0
    assert_problem(api.post(f"/commitments/{world.commitment}/overruling", {"reason": "x"}), 403, "forbidden")
    done = api.post(
        f"/commitments/{world.commitment}/overruling", {"reason": "the UN agreed in writing"}, role=Role.ADMIN
    )
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_an_objection_disputes_the_change_until_it_is_withdrawn_and_silence_counts_only_then(
    services: Services, api: Api, world: World, clock: FrozenClock
) -> None:
    keys = Keys(services, api, world)
    keys.post(keys.sesric, f"/commitments/{world.commitment}/deliver", {"evidence": EVIDENCE})
    objected = keys.post(keys.un, f"/commitments/{world.commitment}/objection", {"reason": "the report is a draft"})
    assert objected.status_code == 200 and objected.json()["pending"]["disputed"] is True
    assert objected.json()["pending"]["objections"][0]["reason"] == "the report is a draft"
    clock.advance(days=20)
    assert services.scanner.tick().confirmed_by_silence == 0
    assert keys.post(keys.un, f"/commitments/{world.commitment}/objection/withdrawal", {}).status_code == 200
    assert services.scanner.tick().confirmed_by_silence == 1
    assert commitment_now(api, world.commitment)["status"] == "delivered"


def test_while_a_change_waits_the_status_cannot_move_and_only_its_parties_answer(
    services: Services, api: Api, world: World
) -> None:
    keys = Keys(services, api, world)
    keys.post(keys.sesric, f"/commitments/{world.commitment}/deliver", {"evidence": EVIDENCE})
    assert_problem(api.post(f"/commitments/{world.commitment}/cancel", {}), 422, "rule-violated")
    assert api.post(f"/commitments/{world.commitment}/progress", {"percent": 90}).status_code == 200
    assert_problem(api.post(f"/commitments/{world.commitment}/confirmation", {}), 403, "forbidden")  # not a party's
    refused = keys.post(keys.sesric, f"/commitments/{world.commitment}/confirmation", {})
    assert_problem(refused, 422, "rule-violated")  # its own change does not wait for its word
    withdrawn = keys.post(keys.sesric, f"/commitments/{world.commitment}/pending/withdrawal", {"reason": "too early"})
    assert withdrawn.status_code == 200 and withdrawn.json()["pending"] is None
    assert withdrawn.json()["status"] == "agreed"


def test_a_partys_own_key_does_not_remove_or_replace_the_other_parties_by_a_correction(
    services: Services, api: Api, world: World
) -> None:
    keys = Keys(services, api, world)
    path = f"/commitments/{world.commitment}/correction"
    removed = keys.post(keys.sesric, path, {"supporting_party_ids": [], "reason": "the UN was never part"})
    assert_problem(removed, 403, "forbidden")
    handed = keys.post(
        keys.sesric, path, {"lead_party_id": world.iofs, "supporting_party_ids": [world.sesric], "reason": "x"}
    )
    assert_problem(handed, 403, "forbidden")
    keys.post(keys.sesric, f"/commitments/{world.commitment}/deliver", {"evidence": EVIDENCE})
    while_waiting = api.post(path, {"supporting_party_ids": [], "reason": "the UN left"})  # a key of every party
    assert_problem(while_waiting, 422, "rule-violated")  # the parties a change waits for stay those it was declared to


def test_a_change_the_lifecycle_refuses_is_refused_before_it_waits(services: Services, api: Api, world: World) -> None:
    keys = Keys(services, api, world)
    before = services.store.recorder.max_notification_id()
    refused = keys.post(keys.sesric, f"/commitments/{world.commitment}/deliver", {"evidence": []})
    assert_problem(refused, 422, "evidence-required")
    assert services.store.recorder.max_notification_id() == before


def test_the_webhook_types_of_confirmation() -> None:
    assert commitment_event_type("ConfirmationRequested") == "commitment.confirmation_requested"
    assert commitment_event_type("Confirmed") == "commitment.confirmed"
    assert commitment_event_type("ConfirmedBySilence") == "commitment.confirmed"
    assert commitment_event_type("Disputed") == "commitment.disputed"


__all__ = ["add_contact", "date", "datetime", "timedelta"]
