"""The longer a commitment stays overdue, the higher it is told: each step of the escalation ladder
is recorded once, tells the parties it names, reaches webhook subscribers and shows on the page."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, TextInput
from application.tracker import Tracker
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.commitments.escalation import Audience, Ladder
from domain.commitments.promise import Evidence
from domain.errors import InvalidValue
from domain.meetings.meeting import Venue
from infrastructure.settings import BadSetting, read
from tests.actors import acting
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.notices.test_webhooks import subscribe
from tests.pages.test_web_pages import visitor_of
from tests.racing import race
from tests.receiver import Receiver
from tests.web import Visitor
from tests.world import World

UTC = UTC
DUE = datetime(2024, 7, 20, 22, 0, tzinfo=UTC)  # the world's commitment: due by the end of 20 July 2024 in Geneva
LADDER = "0:lead_party,30:parent_organisation,90:meeting_chairs"


def days_overdue(days: int) -> datetime:
    return DUE + timedelta(days=days, hours=1)


# -- the ladder's rules, on the library's in-memory store ----------------------------------------------


@pytest.mark.parametrize(
    "text, field",
    [
        ("30:lead_party,10:meeting_chairs", "escalation_ladder[1].days"),
        ("0:lead_party,0:parent_organisation", "escalation_ladder[1].days"),
        ("0:the_minister", "escalation_ladder[0].to"),
        ("soon:lead_party", "escalation_ladder"),
        ("4000:lead_party", "escalation_ladder[0].days"),
    ],
)
def test_a_ladder_climbs_known_audiences_later_at_each_step(text: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Ladder.parse(text)
    assert refused.value.field == field
    assert Ladder.parse(" 0:lead_party , 30:parent_organisation ").text() == "0:lead_party,30:parent_organisation"
    assert Ladder.parse("").steps == ()


def test_a_deployment_ladder_that_cannot_be_climbed_is_refused_naming_the_setting() -> None:
    with pytest.raises(BadSetting, match="COMMITMENTS_ESCALATION_LADDER: .*more days overdue"):
        read(escalation_ladder="30:lead_party,10:meeting_chairs")


def party_and_meeting(tracker: Tracker) -> tuple[UUID, UUID]:
    party = tracker.parties.register(
        acting("key_a"),
        TextInput({"ar": "منظمة التعاون الإسلامي", "en": "OIC"}, "ar"),
        "OIC",
        "international_organisation",
    )
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "15th general meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
    )
    return UUID(party.id), UUID(meeting.id)


def recorded_at(tracker: Tracker, party_id: UUID, meeting_id: UUID) -> str:
    """A commitment due by the end of 20 July 2024 in Geneva."""
    return tracker.commitments.record(
        acting("key_a"),
        TextInput({"ar": "تقرير مرحلي", "en": "A progress report"}, "ar"),
        party_id,
        meeting_id,
        due=DueInput("day", "2024-07-20"),
        status="agreed",
    ).id


def recorded(tracker: Tracker) -> Commitment:
    return tracker.records.get(Commitment, recorded_at(tracker, *party_and_meeting(tracker)))


def everyone(to: Audience) -> tuple[UUID, ...]:
    return {
        Audience.LEAD_PARTY: (UUID(int=1),),
        Audience.PARENT_ORGANISATION: (UUID(int=2),),
        Audience.MEETING_CHAIRS: (UUID(int=3), UUID(int=4)),
    }[to]


def test_each_step_reached_is_recorded_once_lowest_first_with_the_parties_told(tracker: Tracker) -> None:
    commitment = recorded(tracker)
    ladder = Ladder.parse(LADDER)
    commitment.mark_overdue(days_overdue(0), "scheduler", days_overdue(0))
    assert commitment.escalate(ladder, days_overdue(0), everyone, "scheduler", days_overdue(0))
    assert not commitment.escalate(ladder, days_overdue(29), everyone, "scheduler", days_overdue(29))
    assert commitment.escalate(ladder, days_overdue(120), everyone, "scheduler", days_overdue(120))
    assert [(e.level, e.days, e.to, e.party_ids) for e in commitment.escalations] == [
        (1, 0, Audience.LEAD_PARTY, (UUID(int=1),)),
        (2, 30, Audience.PARENT_ORGANISATION, (UUID(int=2),)),
        (3, 90, Audience.MEETING_CHAIRS, (UUID(int=3), UUID(int=4))),
    ]
    assert commitment.escalation_level == 3
    assert not commitment.escalate(ladder, days_overdue(400), everyone, "scheduler", days_overdue(400))


def test_only_a_commitment_recorded_overdue_is_escalated(tracker: Tracker) -> None:
    commitment = recorded(tracker)
    assert not commitment.escalate(Ladder.parse(LADDER), days_overdue(40), everyone, "scheduler", days_overdue(40))
    assert commitment.escalations == ()


def escalated_and_saved(tracker: Tracker, days: int) -> Commitment:
    commitment = recorded(tracker)
    commitment.mark_overdue(days_overdue(days), "scheduler", days_overdue(days))
    commitment.escalate(Ladder.parse(LADDER), days_overdue(days), everyone, "scheduler", days_overdue(days))
    tracker.records.save(commitment)
    return commitment


def test_a_revised_due_clears_the_escalation_and_the_new_due_climbs_afresh(tracker: Tracker) -> None:
    commitment = escalated_and_saved(tracker, 31)
    revised = tracker.commitments.revise_due(
        commitment.id, acting("key_a"), DueInput("day", "2024-12-31"), "extended by the plenary"
    )
    assert (revised.escalation, revised.escalations) == (None, [])
    commitment = tracker.records.get(Commitment, commitment.id)
    assert commitment.due_at is not None
    late = commitment.due_at + timedelta(hours=1)
    commitment.mark_overdue(late, "scheduler", late)
    commitment.escalate(Ladder.parse(LADDER), late, everyone, "scheduler", late)
    assert commitment.escalation_level == 1


def test_a_delivery_ends_the_escalation(tracker: Tracker) -> None:
    commitment = escalated_and_saved(tracker, 1)
    delivered = tracker.commitments.deliver(commitment.id, acting("key_a"), [Evidence("Report")])
    assert delivered.escalation is None
    events = [e.type for e in tracker.histories.events(Commitment, commitment.id)]
    assert events[-2:] == ["OverdueCleared", "EscalationCleared"]


def test_a_cancelled_commitment_is_no_longer_escalated(tracker: Tracker) -> None:
    commitment = escalated_and_saved(tracker, 1)
    cancelled = tracker.commitments.act("cancel", commitment.id, acting("key_a"), "replaced by the new matrix")
    assert (cancelled.escalation, cancelled.escalations) == (None, [])


# -- the scanner, on both engines ---------------------------------------------------------------------------


@pytest.fixture
def escalating(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    with build(settings_for_tests(database_url, escalation_ladder=LADDER), clock=clock) as built:
        yield built


@pytest.fixture
def api(escalating: Services) -> Iterator[Api]:
    with api_of(escalating) as client:
        yield client


def escalation_events(services: Services, commitment_id: str) -> list[dict[str, Any]]:
    return [e.payload for e in services.tracker.histories.events(Commitment, commitment_id) if e.type == "Escalated"]


def test_the_scanner_climbs_the_deployment_ladder_telling_each_audience_once(
    escalating: Services, api: Api, clock: FrozenClock, world: World
) -> None:
    for days, level in [(0, 1), (29, None), (31, 2), (91, 3), (200, None)]:
        clock.set(days_overdue(days))
        result = escalating.scanner.tick()
        assert result.escalated == (0 if level is None else 1), days
    told = [(e["level"], e["to"], e["party_ids"]) for e in escalation_events(escalating, world.commitment)]
    assert told == [
        (1, "lead_party", [world.sesric]),
        (2, "parent_organisation", [world.oic]),
        (3, "meeting_chairs", [world.un, world.oic]),
    ]  # the meeting's co-chairs
    shown = api.get(f"/commitments/{world.commitment}").json()
    assert shown["escalation"]["level"] == 3 and shown["escalation"]["party_ids"] == [world.un, world.oic]
    assert [step["level"] for step in shown["escalations"]] == [1, 2, 3]


def test_lists_find_what_is_escalated_and_whom_it_told_now_and_as_of_a_date(
    escalating: Services, api: Api, clock: FrozenClock, world: World
) -> None:
    clock.set(days_overdue(1))
    escalating.scanner.tick()
    clock.set(days_overdue(31))
    escalating.scanner.tick()

    def ids(**params: object) -> list[str]:
        return [item["id"] for item in api.get("/commitments", Role.AUDITOR, **params).json()["items"]]

    assert ids(escalated="true") == [world.commitment] and ids(escalated="false") == []
    assert ids(escalated_to=world.oic) == [world.commitment] and ids(escalated_to=world.un) == []
    before_the_parent_was_told = (days_overdue(10)).isoformat().replace("+00:00", "Z")
    assert ids(escalated_to=world.oic, as_of=before_the_parent_was_told) == []
    assert ids(escalated_to=world.sesric, as_of=before_the_parent_was_told) == [world.commitment]
    assert ids(escalated="true", as_of=before_the_parent_was_told) == [world.commitment]


def test_a_scanner_away_for_months_records_every_step_passed_at_once(
    escalating: Services, api: Api, clock: FrozenClock, world: World
) -> None:
    clock.set(days_overdue(100))
    result = escalating.scanner.tick()
    assert (result.overdue, result.escalated) == (1, 1)
    assert [e["level"] for e in escalation_events(escalating, world.commitment)] == [1, 2, 3]


def test_racing_scanners_record_each_step_once(database_url: str, clock: FrozenClock) -> None:
    scanners = [build(settings_for_tests(database_url, escalation_ladder=LADDER), clock=clock) for _ in range(3)]
    try:
        tracker = scanners[0].tracker
        party_id, meeting_id = party_and_meeting(tracker)
        ids = [recorded_at(tracker, party_id, meeting_id) for _ in range(12)]
        clock.set(days_overdue(100))
        assert sum(race(scanners, lambda services: services.scanner.tick().escalated)) == len(ids)
        for commitment_id in ids:
            assert [e["level"] for e in escalation_events(scanners[0], commitment_id)] == [1, 2, 3]
    finally:
        for services in scanners:
            services.close()


def test_a_party_keeps_its_own_ladder_for_what_it_leads(
    escalating: Services, api: Api, clock: FrozenClock, world: World
) -> None:
    assert api.get(f"/parties/{world.sesric}/escalation-ladder").json() == {
        "own": False,
        "steps": [
            {"days": 0, "to": "lead_party"},
            {"days": 30, "to": "parent_organisation"},
            {"days": 90, "to": "meeting_chairs"},
        ],
    }
    response = api.client.put(
        f"/parties/{world.sesric}/escalation-ladder",
        headers=api.headers(),
        json={
            "steps": [{"days": 14, "to": "parent_organisation"}],
            "reason": "طلب المجلس إبلاغ المنظمة الأم بعد أسبوعين",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["escalation_ladder"] == [{"days": 14, "to": "parent_organisation"}]
    clock.set(days_overdue(1))
    assert escalating.scanner.tick().escalated == 0  # its own ladder has no step at the due
    clock.set(days_overdue(15))
    assert escalating.scanner.tick().escalated == 1
    assert [(e["level"], e["to"]) for e in escalation_events(escalating, world.commitment)] == [
        (1, "parent_organisation")
    ]
    back = api.client.put(
        f"/parties/{world.sesric}/escalation-ladder",
        headers=api.headers(),
        json={"steps": None, "reason": "back to the common ladder"},
    )
    assert back.status_code == 200 and back.json()["escalation_ladder"] is None
    assert api.get(f"/parties/{world.sesric}/escalation-ladder").json()["own"] is False
    history = api.get(f"/parties/{world.sesric}/history").json()["events"]
    assert [item["type"] for item in history] == ["Registered", "LadderKept", "LadderKept"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"steps": [{"days": 30, "to": "lead_party"}, {"days": 10, "to": "meeting_chairs"}]}, "steps[1].days"),
        ({"steps": [{"days": -1, "to": "lead_party"}]}, "steps[0].days"),
        ({"steps": [{"days": 5, "to": "the_minister"}]}, "steps[0].to"),
    ],
)
def test_a_ladder_that_cannot_be_climbed_is_refused_and_stores_nothing(
    escalating: Services,
    api: Api,
    world: World,
    body: dict[str, Any],
    field: str,
) -> None:
    before = escalating.store.recorder.max_notification_id()
    response = api.client.put(f"/parties/{world.sesric}/escalation-ladder", headers=api.headers(), json=body)
    assert_problem(response, 422, "invalid-value")
    assert response.json()["field"] == field
    assert escalating.store.recorder.max_notification_id() == before


def test_a_key_limited_to_some_parties_does_not_choose_who_is_told_of_their_delays(
    escalating: Services, api: Api, world: World
) -> None:
    _, scoped = escalating.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    response = api.client.put(
        f"/parties/{world.sesric}/escalation-ladder", headers={"Authorization": f"Bearer {scoped}"}, json={"steps": []}
    )
    assert_problem(response, 403, "forbidden")
    assert api.get(f"/parties/{world.sesric}/escalation-ladder").json()["own"] is False


def test_an_escalation_reaches_the_subscribers_of_the_parties_it_tells(
    escalating: Services, api: Api, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    subscribe(api, receiver.url, ["escalated"], party_ids=[world.oic])  # the lead party's parent organisation
    clock.set(days_overdue(1))
    escalating.scanner.tick()
    escalating.dispatcher.tick()
    assert receiver.received == []  # the first step tells the lead party only
    clock.set(days_overdue(31))
    escalating.scanner.tick()
    escalating.dispatcher.tick()
    [request] = receiver.received
    payload = json.loads(request.body)
    assert payload["type"] == "commitment.escalated"
    assert payload["data"]["event"]["payload"]["level"] == 2
    assert payload["data"]["event"]["payload"]["party_ids"] == [world.oic]
    assert payload["data"]["commitment"]["escalation"]["to"] == "parent_organisation"


# -- the pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def visitor(escalating: Services) -> Iterator[Visitor]:
    yield from visitor_of(escalating)


def test_a_coordinator_keeps_a_party_ladder_on_its_page_and_the_commitment_page_shows_each_step(
    escalating: Services, api: Api, clock: FrozenClock, world: World, visitor: Visitor
) -> None:
    visitor.sign_in(api.keys[Role.COORDINATOR])
    page = visitor.open(f"/parties/{world.sesric}", **{"Accept-Language": "ar"})
    assert "سلم التصعيد" in page.words() and "متأخر منذ 30 يومًا: المنظمة الأم" in page.words()
    refused = visitor.post(
        f"/parties/{world.sesric}/escalation-ladder",
        {"days_1": "30", "to_1": "lead_party", "days_2": "10", "to_2": "meeting_chairs", "version": "1"},
    )
    assert refused.status == 422 and 'value="10"' in refused.text  # the form comes back as it was filled in
    kept = visitor.post(
        f"/parties/{world.sesric}/escalation-ladder",
        {
            "days_1": "0",
            "to_1": "lead_party",
            "days_2": "7",
            "to_2": "meeting_chairs",
            "reason": "قرار المكتب التنفيذي",
            "version": "1",
        },
    )
    assert kept.status == 200 and "7 days overdue: the chairs of its meeting" in kept.words()
    assert api.get(f"/parties/{world.sesric}/escalation-ladder").json()["steps"] == [
        {"days": 0, "to": "lead_party"},
        {"days": 7, "to": "meeting_chairs"},
    ]
    clock.set(days_overdue(8))
    escalating.scanner.tick()
    visitor.sign_in(api.keys[Role.AUDITOR])  # two years on: the session has ended
    shown = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
    assert "صُعِّد" in shown.words() and "المستوى 2" in shown.words() and "رؤساء الاجتماع" in shown.words()


def test_a_coordinator_limited_to_parties_sees_the_ladder_but_cannot_change_it(
    escalating: Services, api: Api, world: World, visitor: Visitor
) -> None:
    _, scoped = escalating.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    visitor.sign_in(scoped)
    page = visitor.open(f"/parties/{world.sesric}")
    assert "Escalation ladder" in page.words() and "Change the ladder" not in page.words()
    refused = visitor.post(f"/parties/{world.sesric}/escalation-ladder", {"common": "1", "version": "1"})
    assert refused.status == 403
    assert api.get(f"/parties/{world.sesric}/escalation-ladder").json()["own"] is False
