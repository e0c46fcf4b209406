"""Who may do what is a rule of the use cases themselves: a door that calls them (a page, the CLI, a
signed link, a door not written yet) gets the same refusal as the JSON API, and nothing is stored."""

from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import Services
from api.cli import operator
from application.errors import NotAllowed
from application.inputs import DueInput, PeriodInput, RowInput, TextInput
from application.notices.webhooks import Subscribing
from application.tracker import Tracker
from domain.access import Role
from domain.errors import InvalidValue
from domain.meetings.meeting import Venue
from tests.actors import acting

ADMIN = acting("key_admin")
AUDITOR = acting("key_auditor", Role.AUDITOR)


def seeded(tracker: Tracker) -> tuple[UUID, UUID, UUID]:
    """Two parties and a meeting."""
    oic = UUID(tracker.parties.register(ADMIN, TextInput({"en": "OIC"}), "OIC", "international_organisation").id)
    un = UUID(tracker.parties.register(ADMIN, TextInput({"en": "UN"}), "UN", "international_organisation").id)
    meeting = tracker.meetings.record(
        ADMIN,
        TextInput({"en": "General meeting"}),
        "assembly",
        PeriodInput(date(2024, 5, 6), date(2024, 5, 8)),
        Venue("Geneva", "Europe/Zurich"),
    )
    return oic, un, UUID(meeting.id)


def events(tracker: Tracker) -> int:
    return tracker.records.store.recorder.max_notification_id() or 0


def test_an_auditor_records_nothing_through_any_use_case(tracker: Tracker) -> None:
    oic, un, meeting = seeded(tracker)
    before = events(tracker)
    with pytest.raises(NotAllowed, match="can read but not change"):
        tracker.parties.register(AUDITOR, TextInput({"en": "FAO"}), "FAO", "international_organisation")
    with pytest.raises(NotAllowed):
        tracker.commitments.record(AUDITOR, TextInput({"en": "Publish"}), oic, meeting)
    with pytest.raises(NotAllowed):
        tracker.meetings.cancel(meeting, AUDITOR, "no quorum")
    assert events(tracker) == before


def test_a_key_limited_to_a_party_changes_only_what_it_leads_or_supports_through_the_use_cases(
    tracker: Tracker,
) -> None:
    oic, un, meeting = seeded(tracker)
    desk = acting("key_oic_desk", Role.COORDINATOR, frozenset({str(oic)}))
    own = tracker.commitments.record(desk, TextInput({"en": "Publish"}), oic, meeting, due=DueInput("year", "2025"))
    others = tracker.commitments.record(ADMIN, TextInput({"en": "Report"}), un, meeting, status="agreed")
    assert tracker.commitments.act("agree", own.id, desk).status == "agreed"
    before = events(tracker)
    with pytest.raises(NotAllowed, match="its parties lead or support"):
        tracker.commitments.act("start", others.id, desk)
    with pytest.raises(NotAllowed):
        tracker.commitments.record(desk, TextInput({"en": "Someone else's"}), un, meeting)
    with pytest.raises(NotAllowed):  # naming another party as the lead is changing what it leads
        tracker.commitments.correct(UUID(own.id), desk, "the lead was written wrong", lead_party_id=un)
    with pytest.raises(NotAllowed, match="limited to the commitments of some parties"):
        tracker.commitments.reweigh(UUID(own.id), desk, 3, "counts more")
    with pytest.raises(NotAllowed, match="contacts of its own parties"):
        tracker.parties.keep_contact(un, desk, "Desk", "desk@un.example.org", "en", "weekly")
    assert events(tracker) == before
    assert tracker.commitments.get(others.id).status == "agreed"


def test_a_refusal_comes_before_the_version_is_compared(tracker: Tracker) -> None:
    """A key that may not change a record learns nothing of its version: 403, never 412."""
    oic, un, meeting = seeded(tracker)
    others = tracker.commitments.record(ADMIN, TextInput({"en": "Report"}), un, meeting, status="agreed")
    desk = acting("key_oic_desk", Role.COORDINATOR, frozenset({str(oic)}))
    with pytest.raises(NotAllowed):
        tracker.commitments.act("start", others.id, desk, expected_version=99)


def test_the_command_line_acts_as_the_administrator_of_the_machine() -> None:
    caller = operator()
    assert caller.role is Role.ADMIN and caller.party_scope is None
    assert caller.id.startswith("cli:")


def test_only_an_administrator_subscribes_and_only_auditors_and_administrators_read_the_audit_record(
    services: Services,
) -> None:
    coordinator = acting("key_coordinator", Role.COORDINATOR)
    wanted = Subscribing("http://127.0.0.1:9/hooks", ["overdue"])
    with pytest.raises(NotAllowed, match="only an admin key"):
        services.webhooks.subscribe(coordinator, wanted)
    assert services.webhooks.listed(coordinator) == []
    made = services.webhooks.subscribe(ADMIN, wanted)
    assert [s.id for s in services.webhooks.listed(AUDITOR)] == [made.id]
    with pytest.raises(NotAllowed, match="only an admin key"):
        services.webhooks.pause(AUDITOR, made.id)
    with pytest.raises(NotAllowed, match="only admin and auditor keys"):
        services.audit_record.head(coordinator)
    assert services.audit_record.verify(AUDITOR)["intact"]


def test_only_an_administrator_makes_and_revokes_keys_and_never_its_own(services: Services) -> None:
    coordinator = acting("key_coordinator", Role.COORDINATOR)
    with pytest.raises(NotAllowed, match="only an admin key"):
        services.keyring.make(coordinator, "admin", "a key of my own")
    admin, _ = services.keyring.make(ADMIN, "admin", "second admin")
    with pytest.raises(InvalidValue, match="only coordinator keys are limited to parties"):
        services.keyring.make(admin, "auditor", "an auditor of one party", [UUID(int=1)])
    with pytest.raises(NotAllowed, match="cannot revoke itself"):
        services.keyring.revoke(admin, admin.id)
    services.keyring.revoke(ADMIN, admin.id)
    assert [k.revoked_at is not None for k in services.keyring.listed(ADMIN) if k.id == admin.id] == [True]


def test_a_key_limited_to_a_party_never_hands_a_commitment_over_to_other_parties(tracker: Tracker) -> None:
    """Found by trying: in two corrections (ORGB leads with ORGA supporting; then no supporter) a limited key
    pushed its commitment onto another party. A change must leave it to the key's parties, and a limited key
    gives no other party a place in it (found by trying too: it made another party lead)."""
    oic, un, meeting = seeded(tracker)
    desk = acting("key_oic_desk", Role.COORDINATOR, frozenset({str(oic)}))
    own = tracker.commitments.record(desk, TextInput({"en": "Publish"}), oic, meeting)
    with pytest.raises(NotAllowed, match="only the place of its own parties"):  # the UN's place is the UN's to give
        tracker.commitments.correct(UUID(own.id), desk, "UN leads it", lead_party_id=un, supporting_party_ids=[oic])
    shared = tracker.commitments.correct(
        UUID(own.id), ADMIN, "UN leads it", lead_party_id=un, supporting_party_ids=[oic]
    )
    assert (shared.lead_party_id, shared.supporting_party_ids) == (str(un), [str(oic)])  # still the OIC's to change
    before = events(tracker)
    with pytest.raises(NotAllowed, match="hand a commitment over"):
        tracker.commitments.correct(UUID(own.id), desk, "the OIC drops out", supporting_party_ids=[])
    assert events(tracker) == before
    assert tracker.commitments.get(own.id).supporting_party_ids == [str(oic)]


def test_a_key_limited_to_a_party_sets_no_weight_opens_no_series_and_takes_no_other_partys_matrix_row(
    tracker: Tracker,
) -> None:
    """Found by trying: a weight given when recording, a follow-up session (which opens its series) and a
    matrix row another party leads were all accepted from a limited key."""
    oic, un, meeting = seeded(tracker)
    desk = acting("key_oic_desk", Role.COORDINATOR, frozenset({str(oic)}))
    agreement = tracker.agreements.adopt(
        ADMIN,
        meeting,
        TextInput({"en": "Plan of action"}),
        "action_matrix",
        [oic, un],
        rows=[RowInput(TextInput({"en": "Train statisticians"}), un)],
    )
    before = events(tracker)
    with pytest.raises(NotAllowed, match="limited to the commitments of some parties"):
        tracker.commitments.record(desk, TextInput({"en": "Publish"}), oic, meeting, weight=1000)
    with pytest.raises(NotAllowed, match="follow-up session"):
        tracker.commitments.record(
            desk,
            TextInput({"en": "Hold the next session"}),
            oic,
            meeting,
            kind="follow_up_session",
            follow_up_series="new-series",
            follow_up_session_number=2,
        )
    with pytest.raises(NotAllowed, match="its parties lead or support"):
        tracker.commitments.record(
            desk, TextInput({"en": "Train statisticians"}), oic, meeting, agreement_id=UUID(agreement.id), row_number=1
        )
    assert events(tracker) == before


def test_a_key_limited_to_a_party_ending_its_recurring_rule_cancels_no_occurrence_handed_to_another(
    tracker: Tracker,
) -> None:
    """Found by trying: an occurrence handed to another party since was cancelled (or re-dated) by ending (or
    rescheduling) the rule it came from."""
    oic, un, meeting = seeded(tracker)
    desk = acting("key_oic_desk", Role.COORDINATOR, frozenset({str(oic)}))
    rule = tracker.recurrences.state(
        desk, TextInput({"en": "Report every six months"}), oic, meeting, until=date(2027, 12, 31), every_months=6
    )
    handed = rule.occurrences[-1]["commitment_id"]
    tracker.commitments.correct(UUID(handed), ADMIN, "UN reports this one", lead_party_id=un)
    before = events(tracker)
    with pytest.raises(NotAllowed):
        tracker.recurrences.end(rule.id, desk, "no longer needed")
    with pytest.raises(NotAllowed):
        tracker.recurrences.reschedule(rule.id, desk, "later", first_due=date(2025, 3, 15))
    assert events(tracker) == before
    assert tracker.commitments.get(handed).status != "cancelled"
