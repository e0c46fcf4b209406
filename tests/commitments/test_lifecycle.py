"""Every action from every state: allowed where the design guide says so, refused elsewhere.

The design guide is ``../shared/ARCHITECTURE.md`` (beside this checkout), section *Commitment
lifecycle*; its table is written out again below, independently of ``domain/commitments/lifecycle.py``.
"""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.commitments.commitment import Commitment
from domain.commitments.due import Due
from domain.commitments.lifecycle import ALLOWED_FROM, LEADS_TO, Action, Status, describe
from domain.commitments.promise import CommitmentKind, Evidence, Provenance
from domain.errors import (
    DecisionReferenceRequired,
    EvidenceRequired,
    IllegalTransition,
    InvalidValue,
    ReasonRequired,
)
from domain.text import MultilingualText

WHEN = datetime(2023, 1, 10, 8, 0, tzinfo=UTC)
OPEN = {"draft", "noted", "agreed", "in_progress", "stalled", "suspended", "delivered"}
ASSESSED = {"fulfilled", "partially_fulfilled", "not_fulfilled"}
ALL = OPEN | ASSESSED | {"cancelled", "superseded"}

# The lifecycle of ../shared/ARCHITECTURE.md, written out independently of domain/commitments/lifecycle.py.
EXPECTED_FROM = {
    "agree": {"draft", "noted"},
    "note": {"draft", "agreed"},
    "start": {"agreed"},
    "stall": {"agreed", "in_progress"},
    "suspend": {"agreed", "in_progress"},
    "resume": {"stalled", "suspended"},
    "deliver": {"agreed", "in_progress"},
    "reject_delivery": {"delivered"},
    "assess": OPEN,
    "reopen": ASSESSED,
    "cancel": OPEN,
    "supersede": OPEN,
    "report_progress": OPEN,
    "revise_due": OPEN,
    "schedule_review": OPEN,
}
EXPECTED_TO = {
    "agree": "agreed",
    "note": "noted",
    "start": "in_progress",
    "stall": "stalled",
    "suspend": "suspended",
    "resume": "in_progress",
    "deliver": "delivered",
    "reject_delivery": "in_progress",
    "assess": "fulfilled",
    "reopen": "in_progress",
    "cancel": "cancelled",
    "supersede": "superseded",
}
PATHS: dict[str, list[str | tuple[str, Status]]] = {
    "draft": [],
    "noted": ["note"],
    "agreed": ["agree"],
    "in_progress": ["agree", "start"],
    "stalled": ["agree", "stall"],
    "suspended": ["agree", "suspend"],
    "delivered": ["agree", "deliver"],
    "fulfilled": ["agree", "assess"],
    "partially_fulfilled": ["agree", ("assess", Status.PARTIALLY_FULFILLED)],
    "not_fulfilled": ["agree", ("assess", Status.NOT_FULFILLED)],
    "cancelled": ["cancel"],
    "superseded": ["supersede"],
}
EVIDENCE = (Evidence(title="Report of the joint workshop", url="https://example.org/report.pdf"),)


def new_commitment() -> Commitment:
    due = Due.of("year", "Asia/Riyadh", "2024")
    return Commitment(
        kind=CommitmentKind.ACTION,
        text=MultilingualText.of({"en": "Hold a joint workshop"}, None, "text"),
        lead_party_id=uuid4(),
        supporting_party_ids=(),
        provenance=Provenance(meeting_id=uuid4()),
        due=due,
        due_at=due.resolve(),
        follow_up=None,
        status=Status.DRAFT,
        reminder_days=(30, 7),
        made_on=date(2023, 1, 5),
        review_on=None,
        review_at=None,
        actor="key_test",
        timestamp=WHEN,
    )


def perform(commitment: Commitment, step: object) -> None:
    action, outcome = step if isinstance(step, tuple) else (step, Status.FULFILLED)
    reason = "explained"
    if action == "agree":
        commitment.agree(reason, "key_test", WHEN)
    elif action == "note":
        commitment.note(reason, "key_test", WHEN)
    elif action == "start":
        commitment.start(None, "key_test", WHEN)
    elif action == "stall":
        commitment.stall(None, "key_test", WHEN)
    elif action == "suspend":
        commitment.suspend("Decision 12/2023", None, "key_test", WHEN)
    elif action == "resume":
        commitment.resume(None, "key_test", WHEN)
    elif action == "deliver":
        commitment.deliver(EVIDENCE, date(2023, 1, 9), None, "key_test", WHEN)
    elif action == "reject_delivery":
        commitment.reject_delivery(reason, "key_test", WHEN)
    elif action == "assess":
        commitment.assess(outcome, None, "key_test", WHEN)
    elif action == "reopen":
        commitment.reopen(reason, "key_test", WHEN)
    elif action == "cancel":
        commitment.cancel(None, "key_test", WHEN)
    elif action == "supersede":
        commitment.supersede(uuid4(), uuid4(), None, "key_test", WHEN)
    elif action == "report_progress":
        commitment.report_progress(40, "halfway", (), "key_test", WHEN)
    elif action == "revise_due":
        due = Due.of("year", "Asia/Riyadh", "2025")
        commitment.revise_due(due, due.resolve(), reason, "key_test", WHEN)
    elif action == "schedule_review":
        review_on = date(2023, 6, 1) if commitment.review_on is None else None
        review_at = None if review_on is None else datetime(2023, 5, 31, 21, tzinfo=UTC)
        commitment.schedule_review(review_on, review_at, None, "key_test", WHEN)
    else:  # pragma: no cover
        raise AssertionError(action)


def in_state(status: str) -> Commitment:
    commitment = new_commitment()
    for step in PATHS[status]:
        perform(commitment, step)
    assert commitment.status.value == status
    return commitment


ALLOWED = [(s, a) for a, sources in EXPECTED_FROM.items() for s in sorted(sources)]
REFUSED = [(s, a) for a, sources in EXPECTED_FROM.items() for s in sorted(ALL - sources)]


@pytest.mark.parametrize(("status", "action"), ALLOWED)
def test_an_allowed_action_moves_the_commitment(status: str, action: str) -> None:
    commitment = in_state(status)
    version = commitment.version
    perform(commitment, action)
    assert commitment.version == version + 1
    assert commitment.status.value == EXPECTED_TO.get(action, status)


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_a_refused_action_records_nothing(status: str, action: str) -> None:
    commitment = in_state(status)
    version = commitment.version
    with pytest.raises(IllegalTransition):
        perform(commitment, action)
    assert commitment.version == version
    assert commitment.status.value == status


def test_cannot_deliver_without_evidence() -> None:
    commitment = in_state("in_progress")
    with pytest.raises(EvidenceRequired):
        commitment.deliver((), None, None, "key_test", WHEN)
    assert commitment.status is Status.IN_PROGRESS


def test_cannot_date_a_delivery_in_the_future() -> None:
    commitment = in_state("in_progress")
    with pytest.raises(InvalidValue) as refused:
        commitment.deliver(EVIDENCE, date(2023, 2, 1), None, "key_test", WHEN)
    assert refused.value.field == "delivered_on"


def test_suspension_needs_a_decision_reference() -> None:
    commitment = in_state("in_progress")
    with pytest.raises(DecisionReferenceRequired):
        commitment.suspend(None, "budget frozen", "key_test", WHEN)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("noted", "agree"),
        ("agreed", "note"),
        ("delivered", "reject_delivery"),
        ("fulfilled", "reopen"),
        ("not_fulfilled", "reopen"),
        ("in_progress", "revise_due"),
    ],
)
def test_these_changes_need_a_reason(status: str, action: str) -> None:
    commitment = in_state(status)
    method = {
        "agree": commitment.agree,
        "note": commitment.note,
        "reject_delivery": commitment.reject_delivery,
        "reopen": commitment.reopen,
    }.get(action)
    with pytest.raises(ReasonRequired):
        if method is not None:
            method(None, "key_test", WHEN)
        else:
            due = Due.of("year", "Asia/Riyadh", "2025")
            commitment.revise_due(due, due.resolve(), None, "key_test", WHEN)
    assert commitment.status.value == status


def test_a_draft_is_agreed_or_noted_without_a_reason() -> None:
    in_state("draft").agree(None, "key_test", WHEN)
    in_state("draft").note(None, "key_test", WHEN)


def test_progress_is_a_whole_percentage() -> None:
    commitment = in_state("in_progress")
    for bad in (-1, 101, True):
        with pytest.raises(InvalidValue):
            commitment.report_progress(bad, None, (), "key_test", WHEN)
    commitment.report_progress(100, None, EVIDENCE, "key_test", WHEN)
    assert commitment.progress is not None and commitment.progress.percent == 100
    assert commitment.evidence == EVIDENCE


def test_an_assessment_is_one_of_the_assessed_states() -> None:
    with pytest.raises(InvalidValue):
        in_state("delivered").assess(Status.CANCELLED, None, "key_test", WHEN)


def test_every_event_carries_the_actor_and_the_time_passed_in() -> None:
    commitment = in_state("delivered")
    events = commitment.collect_events()
    assert [type(e).__name__ for e in events] == ["Recorded", "Agreed", "Delivered"]
    assert {e.actor for e in events} == {"key_test"}  # type: ignore[attr-defined]  # fields of @event classes are undeclared
    assert {e.timestamp for e in events} == {WHEN}


def test_the_domain_tables_say_what_the_design_guide_says() -> None:
    """The routes describe each action from these tables (``describe``): they must be the guide's."""
    assert {
        action.value: {status.value for status in sources} for action, sources in ALLOWED_FROM.items()
    } == EXPECTED_FROM
    assert {action.value: status.value for action, status in LEADS_TO.items()} == {
        action: status for action, status in EXPECTED_TO.items() if action != "assess"
    }


def test_each_action_is_described_from_the_tables() -> None:
    assert describe(Action.AGREE) == "draft or noted → agreed; a reason is needed from noted."
    assert describe(Action.REOPEN) == "an assessed state → in_progress; a reason is needed."
    assert describe(Action.ASSESS) == "any open state → fulfilled or partially_fulfilled or not_fulfilled."
    assert describe(Action.SUSPEND) == (
        "agreed or in_progress → suspended; needs the reference of the decision that suspends it."
    )
    assert describe(Action.REVISE_DUE) == "allowed in any open state; the status stays as it is; a reason is needed."
