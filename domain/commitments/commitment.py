"""Commitments: one promise each, with a responsible party, a due and a lifecycle.

Each public method first checks the rules (the guards below, and the table in
``domain.commitments.lifecycle``), then calls an ``@event`` method with the outcome. Event
bodies only assign: they run again on every replay.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commitments.comments import MOST_COMMENTS, Comment, attached, comment_text, mentioned
from domain.commitments.confirmation import (
    BINDING,
    ChangePending,
    NotAwaited,
    NothingPending,
    Objection,
    PendingChange,
)
from domain.commitments.due import Due
from domain.commitments.escalation import Audience, Escalation, Ladder
from domain.commitments.lifecycle import (
    ALLOWED_FROM,
    CAN_BE_LATE,
    INITIAL,
    LEADS_TO,
    OPEN,
    REASON_NEEDED_FROM,
    Action,
    Status,
)
from domain.commitments.promise import (
    DEFAULT_REMINDER_DAYS,
    CommitmentKind,
    Evidence,
    FollowUp,
    Progress,
    Provenance,
    assessment_outcome,
    evidence_list,
)
from domain.errors import (
    DecisionReferenceRequired,
    DomainError,
    EvidenceRequired,
    IllegalTransition,
    InvalidValue,
    ReasonRequired,
)
from domain.evidence_files import EvidenceFile
from domain.identifiers import time_ordered_id
from domain.meetings.agreement import check_parties
from domain.text import (
    MultilingualText,
)

# The actions that move its status, or its due: refused while a change waits for its parties' word.
STATUS_MOVES = frozenset(Action) - {Action.REPORT_PROGRESS, Action.SCHEDULE_REVIEW}

# The reasons a commitment gives itself when delivering or a new due clears its overdue and escalation facts.
DELIVERED_REASON = "delivered"
DUE_REVISED_REASON = "due revised"


class NotAFollowUp(DomainError):
    def __init__(self) -> None:
        super().__init__("only a follow-up session is fulfilled by holding a meeting", "kind")


class CannotSupersedeItself(DomainError):
    def __init__(self) -> None:
        super().__init__("a commitment cannot supersede itself", "new_commitment_id")


def named(
    lead: UUID, supporting: Iterable[UUID], before: tuple[tuple[UUID, str], ...] = ()
) -> tuple[tuple[UUID, str], ...]:
    """The parties named before, and those named now (each with its role: ``lead`` or ``supporting``)."""
    kept = tuple((party, role) for party, role in before)  # pairs, however a snapshot kept them
    now = ((lead, "lead"), *((party, "supporting") for party in supporting))
    return (*kept, *(pair for pair in now if pair not in kept))


class Commitment(Aggregate):
    """Version 2 of the aggregate (in snapshots) added ``made_on`` and the review date; version 3 ``notes``;
    version 4 the escalations; version 5 the weight, the days it was delivered and fulfilled, its themes;
    version 6 every party it has named (a snapshot older knows those it named then); version 7 which of its
    evidence is public; version 8 its comments and the change waiting for its parties' confirmation; version 9
    who recorded it and who made its latest change (a snapshot older knows neither)."""

    create_id = staticmethod(time_ordered_id)  # new ones are time-ordered (UUIDv7)

    class_version = 9

    class Event(Aggregate.Event):
        """Every event of a commitment names its actor, who is then the one who made its latest change."""

        def mutate(self, aggregate: Any) -> Any:
            changed = super().mutate(aggregate)
            if changed is not None:
                changed.changed_by = getattr(self, "actor", None)
            return changed

    class Recorded(Aggregate.Created):
        """Version 2 added ``reminder_days``; commitments recorded before remind at the defaults.
        Version 3 made the due optional and added ``made_on`` and the review date; commitments
        recorded before state no day they were made (they count from when they were recorded).
        Version 4 added ``notes``; version 5 the ``weight`` in roll-ups."""

        class_version = 5
        kind: CommitmentKind
        text: MultilingualText
        lead_party_id: UUID
        supporting_party_ids: tuple[UUID, ...]
        provenance: Provenance
        due: Due | None
        due_at: datetime | None
        follow_up: FollowUp | None
        status: Status
        reminder_days: tuple[int, ...]
        made_on: date | None
        review_on: date | None
        review_at: datetime | None
        notes: str | None
        weight: int | None
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["reminder_days"] = list(DEFAULT_REMINDER_DAYS)

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            state.update(made_on=None, review_on=None, review_at=None)

        @staticmethod
        def upcast_v3_v4(state: dict[str, object]) -> None:
            state["notes"] = None

        @staticmethod
        def upcast_v4_v5(state: dict[str, object]) -> None:
            state["weight"] = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state.update(made_on=None, review_on=None, review_at=None, reviewed_for=None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state["notes"] = None

    @staticmethod
    def upcast_v3_v4(state: dict[str, object]) -> None:
        state.update(escalations=(), escalated_for=None)

    @staticmethod
    def upcast_v4_v5(state: dict[str, object]) -> None:
        state.update(weight=None, delivered_on=None, fulfilled_on=None, themes=())  # days unknown in older snapshots

    @staticmethod
    def upcast_v5_v6(state: dict[str, Any]) -> None:
        state["named_parties"] = named(state["lead_party_id"], state["supporting_party_ids"])

    @staticmethod
    def upcast_v6_v7(state: dict[str, Any]) -> None:
        state["public_evidence"] = ()

    @staticmethod
    def upcast_v7_v8(state: dict[str, Any]) -> None:
        state.update(comments=(), pending=None, confirmations=(), objections=())

    @staticmethod
    def upcast_v8_v9(state: dict[str, Any]) -> None:
        state.update(recorded_by=None, changed_by=None)

    @event(Recorded)
    def __init__(
        self,
        kind: CommitmentKind,
        text: MultilingualText,
        lead_party_id: UUID,
        supporting_party_ids: tuple[UUID, ...],
        provenance: Provenance,
        due: Due | None,
        due_at: datetime | None,
        follow_up: FollowUp | None,
        status: Status,
        reminder_days: tuple[int, ...],
        made_on: date | None,
        review_on: date | None,
        review_at: datetime | None,
        actor: str,
        timestamp: datetime,
        notes: str | None = None,
        weight: int | None = None,
    ) -> None:
        self.kind = kind
        self.text = text
        self.lead_party_id = lead_party_id
        self.supporting_party_ids = tuple(supporting_party_ids)
        # Every party it has named, as lead or supporter, corrected ones too: it is found by them as it stood then.
        self.named_parties = named(lead_party_id, supporting_party_ids)
        self.provenance = provenance
        self.due = due  # None: open-ended, never due soon or overdue
        self.due_at = due_at
        self.follow_up = follow_up
        self.status = status
        self.reminder_days = tuple(reminder_days)
        self.made_on = made_on  # the day the promise was made (None in records older than the field)
        self.review_on = review_on  # the day its lead party wants to look at it again
        self.review_at = review_at
        self.notes = notes  # the coordinator's remarks (a matrix's notes column)
        self.weight = weight  # its weight in roll-ups (None: 1, as every other)
        self.delivered_on: date | None = None  # the day of the last delivery (as stated, or as recorded)
        self.fulfilled_on: date | None = None  # the day it was fulfilled (the delivery's, or its session's)
        self.themes: tuple[str, ...] = ()  # codes of the deployment's list of themes (``domain.theme``)
        self.progress: Progress | None = None
        self.evidence: tuple[Evidence, ...] = ()
        self.public_evidence: tuple[int, ...] = ()  # the numbers (from 1) of the evidence the public may see
        self.comments: tuple[Comment, ...] = ()  # its thread (``domain.commitments.comments``)
        # A binding change waiting for its parties' word (``domain.commitments.confirmation``), and their word.
        self.pending: PendingChange | None = None
        self.confirmations: tuple[UUID, ...] = ()  # the awaited parties that confirmed it
        self.objections: tuple[Objection, ...] = ()
        self.decision_reference: str | None = None
        self.superseded_by: UUID | None = None
        self.fulfilled_by_meeting: UUID | None = None
        self.overdue_for: datetime | None = None  # the due instant found passed
        self.reminded: tuple[int, ...] = ()  # reminder lead times already told, for the current due
        self.reviewed_for: datetime | None = None  # the review instant found reached
        self.escalations: tuple[Escalation, ...] = ()  # the steps of the ladder reached, for the due ``escalated_for``
        self.escalated_for: datetime | None = None
        # The actors (as events name them: a person, a key, a contact's link, the scheduler) who recorded it and
        # who made its latest change (a snapshot older than the fields is dropped at the upgrade: migration 0012).
        self.recorded_by: str | None = actor
        self.changed_by: str | None = actor

    # -- rules checked before recording ---------------------------------------------

    @staticmethod
    def check_new(
        kind: CommitmentKind,
        lead_party_id: UUID,
        supporting_party_ids: tuple[UUID, ...],
        follow_up: FollowUp | None,
        status: Status,
    ) -> None:
        check_parties(lead_party_id, supporting_party_ids, "supporting_party_ids")
        if (kind is CommitmentKind.FOLLOW_UP_SESSION) != (follow_up is not None):
            raise InvalidValue("a follow-up session, and only a follow-up session, names a series", "follow_up")
        if status not in INITIAL:
            choices = ", ".join(sorted(s.value for s in INITIAL))
            raise InvalidValue("a commitment is recorded as one of {choices}", "status", choices=choices)

    def _ensure_allowed(
        self, action: Action, reason: str | None = None, explained: bool = True, while_pending: bool = False
    ) -> None:
        """``explained=False``: this change needs no reason, whatever the state. While a change waits for its
        parties' word, the status stays as it is (``while_pending``: a fact of the world that moves it anyway,
        and the changes that leave it as it is)."""
        if self.pending is not None and not while_pending and action in STATUS_MOVES:
            raise ChangePending()
        if self.status not in ALLOWED_FROM[action]:
            raise IllegalTransition(self.status.value, action.value.replace("_", " "))
        if explained and reason is None and self.status in REASON_NEEDED_FROM.get(action, frozenset()):
            raise ReasonRequired(action.value.replace("_", " "))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def parties(self) -> list[str]:
        """The parties that lead or support it (whose keys may change it)."""
        return [str(self.lead_party_id), *(str(p) for p in self.supporting_party_ids)]

    @property
    def reported(self) -> bool:
        """Whether anything was reported on it: progress or evidence."""
        return self.progress is not None or bool(self.evidence)

    # -- lifecycle ------------------------------------------------------------------

    def agree(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.AGREE, reason)
        self._agreed(reason=reason, actor=actor, timestamp=when)

    @event("Agreed")
    def _agreed(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.AGREE]

    def note(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.NOTE, reason)
        self._noted(reason=reason, actor=actor, timestamp=when)

    @event("Noted")
    def _noted(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.NOTE]

    def start(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.START, reason)
        self._started(reason=reason, actor=actor, timestamp=when)

    @event("Started")
    def _started(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.START]

    def stall(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.STALL, reason)
        self._stalled(reason=reason, actor=actor, timestamp=when)

    @event("Stalled")
    def _stalled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.STALL]

    def suspend(self, decision_reference: str | None, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.SUSPEND, reason)
        if decision_reference is None:
            raise DecisionReferenceRequired()
        self._suspended(decision_reference=decision_reference, reason=reason, actor=actor, timestamp=when)

    @event("Suspended")
    def _suspended(self, decision_reference: str, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.SUSPEND]
        self.decision_reference = decision_reference

    def resume(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.RESUME, reason)
        self._resumed(reason=reason, actor=actor, timestamp=when)

    @event("Resumed")
    def _resumed(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.RESUME]
        self.decision_reference = None

    def deliver(
        self, evidence: tuple[Evidence, ...], delivered_on: date | None, note: str | None, actor: str, when: datetime
    ) -> None:
        self._ensure_allowed(Action.DELIVER)
        if not evidence:
            raise EvidenceRequired()
        if delivered_on is not None and delivered_on > when.date():
            raise InvalidValue("a delivery cannot be dated in the future", "delivered_on")
        if delivered_on is not None and self.made_on is not None and delivered_on < self.made_on:
            raise InvalidValue(
                "a delivery cannot be dated before the commitment was made ({made_on})",
                "delivered_on",
                made_on=self.made_on,
            )
        self._delivered(
            evidence=evidence_list(evidence), delivered_on=delivered_on, note=note, actor=actor, timestamp=when
        )
        self._clear_overdue(DELIVERED_REASON, actor, when)

    @event("Delivered")
    def _delivered(
        self,
        evidence: tuple[Evidence, ...],
        delivered_on: date | None,
        note: str | None,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self._become_delivered(evidence, delivered_on or timestamp.date())

    def _become_delivered(self, evidence: tuple[Evidence, ...], delivered_on: date) -> None:
        self.status = LEADS_TO[Action.DELIVER]
        self.evidence = (*self.evidence, *evidence)
        self.delivered_on = delivered_on

    def reject_delivery(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.REJECT_DELIVERY, reason)
        assert reason is not None  # _ensure_allowed: a delivery is rejected with a reason
        self._delivery_rejected(reason=reason, actor=actor, timestamp=when)

    @event("DeliveryRejected")
    def _delivery_rejected(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.REJECT_DELIVERY]

    def assess(self, outcome: Status, reason: str | None, actor: str, when: datetime) -> None:
        outcome = assessment_outcome(outcome)
        self._ensure_allowed(Action.ASSESS, reason)
        self._assessed(outcome=outcome, reason=reason, actor=actor, timestamp=when)

    @event("Assessed")
    def _assessed(self, outcome: Status, reason: str | None, actor: str, timestamp: datetime) -> None:
        self._become_assessed(outcome, timestamp.date())

    def _become_assessed(self, outcome: Status, on: date) -> None:
        self.status = outcome
        if outcome is Status.FULFILLED:
            self.fulfilled_on = self.delivered_on or on

    def reopen(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.REOPEN, reason)
        assert reason is not None  # _ensure_allowed: a commitment is reopened with a reason
        self._reopened(reason=reason, actor=actor, timestamp=when)

    @event("Reopened")
    def _reopened(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.status = LEADS_TO[Action.REOPEN]
        self.fulfilled_by_meeting = None
        self.fulfilled_on = None

    def cancel(self, reason: str | None, actor: str, when: datetime) -> None:
        self._ensure_allowed(Action.CANCEL, reason)
        self._cancelled(reason=reason, actor=actor, timestamp=when)

    @event("Cancelled")
    def _cancelled(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self._become_cancelled()

    def _become_cancelled(self) -> None:
        self.status = LEADS_TO[Action.CANCEL]

    def supersede(
        self, new_commitment_id: UUID, meeting_id: UUID, reason: str | None, actor: str, when: datetime
    ) -> None:
        self._ensure_allowed(Action.SUPERSEDE, reason)
        if new_commitment_id == self.id:
            raise CannotSupersedeItself()
        self._superseded(
            new_commitment_id=new_commitment_id, meeting_id=meeting_id, reason=reason, actor=actor, timestamp=when
        )

    @event("Superseded")
    def _superseded(
        self, new_commitment_id: UUID, meeting_id: UUID, reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self._become_superseded(new_commitment_id)

    def _become_superseded(self, new_commitment_id: UUID) -> None:
        self.status = LEADS_TO[Action.SUPERSEDE]
        self.superseded_by = new_commitment_id

    def is_met_by(self, meeting_id: UUID, series: str | None, session_number: int | None, held_on: date) -> bool:
        """Whether holding this meeting (its last day ``held_on``) is the session this follow-up promised.

        The meeting where the promise was made never fulfils it; a follow-up that names a session
        number is met only by that session; one that names none ("the next session") is met by a
        session of the series that ended after the promise was made.
        """
        if self.follow_up is None or series != self.follow_up.series:
            return False
        if meeting_id == self.provenance.meeting_id:
            return False
        if self.follow_up.session_number is not None:
            return self.follow_up.session_number == session_number
        return self.made_on is None or held_on > self.made_on

    @staticmethod
    def check_successor(
        successor: "Commitment", meeting_id: UUID, meeting_starts_on: date, original_starts_on: date
    ) -> None:
        """A commitment is superseded by one made at a later meeting."""
        if successor.provenance.meeting_id != meeting_id:
            raise InvalidValue("the new commitment was not made at that meeting", "new_commitment_id")
        if meeting_starts_on <= original_starts_on:
            raise InvalidValue("the follow-up meeting must be later than the original one", "meeting_id")

    def fulfil_by_meeting(self, meeting_id: UUID, held_on: date, actor: str, when: datetime) -> None:
        """A follow-up session is fulfilled when a meeting of its series is held: on the session's
        last day, ``held_on``, whenever that is recorded."""
        if self.kind is not CommitmentKind.FOLLOW_UP_SESSION:
            raise NotAFollowUp()
        self._ensure_allowed(Action.ASSESS, while_pending=True)
        self._session_held(meeting_id=meeting_id, held_on=held_on, actor=actor, timestamp=when)

    class SessionHeld(Aggregate.Event):
        """Version 2 added ``held_on``; sessions held before count from when they were recorded."""

        class_version = 2
        meeting_id: UUID
        held_on: date | None
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["held_on"] = None

    @event(SessionHeld)
    def _session_held(self, meeting_id: UUID, held_on: date | None, actor: str, timestamp: datetime) -> None:
        self.status = Status.FULFILLED
        self.fulfilled_by_meeting = meeting_id
        self.fulfilled_on = held_on or timestamp.date()

    # -- changes that bind the other parties: their confirmation -------------------------

    def propose(
        self,
        action: Action,
        arguments: dict[str, Any],
        carried_out: Callable[["Commitment"], object],
        proposing: tuple[UUID, ...],
        awaiting: tuple[UUID, ...],
        unreachable: tuple[UUID, ...],
        silence_until: datetime | None,
        actor: str,
        when: datetime,
    ) -> None:
        """A binding change declared now, waiting for the ``awaiting`` parties' word. The lifecycle decides
        first, as if it were carried out now (``carried_out``, on a copy: nothing of it is recorded)."""
        if action not in BINDING:
            raise InvalidValue("only a change that binds the other parties waits for their word", "action")
        if self.pending is not None:
            raise ChangePending()
        carried_out(self.trial())
        change = PendingChange(
            action.value, dict(arguments), actor, proposing, awaiting, unreachable, when, silence_until
        )
        self._confirmation_requested(change=change, actor=actor, timestamp=when)

    def trial(self) -> "Commitment":
        """A copy to try a change on: its events are its own (its state's values are never changed in place)."""
        trial = copy.copy(self)
        trial._pending_events = []
        return trial

    @event("ConfirmationRequested")
    def _confirmation_requested(self, change: PendingChange, actor: str, timestamp: datetime) -> None:
        self.pending = change
        self.confirmations = ()
        self.objections = ()

    def _awaited(self, party: UUID) -> PendingChange:
        if self.pending is None:
            raise NothingPending()
        if party not in self.pending.awaiting:
            raise NotAwaited(party)
        return self.pending

    @property
    def disputed(self) -> bool:
        return bool(self.objections)

    def confirm(self, party: UUID, actor: str, when: datetime) -> bool:
        """An awaited party confirms (withdrawing its objection, if it made one); when every awaited party has,
        the change takes effect (True)."""
        pending = self._awaited(party)
        if party in self.confirmations:
            raise InvalidValue("the party has confirmed this change already", "party_id")
        self._confirmation_given(party_id=party, actor=actor, timestamp=when)
        if set(pending.awaiting) <= set(self.confirmations) and not self.objections:
            self._take_effect("parties", None, actor, when)
            return True
        return False

    @event("ConfirmationGiven")
    def _confirmation_given(self, party_id: UUID, actor: str, timestamp: datetime) -> None:
        self.confirmations = (*self.confirmations, party_id)
        self.objections = tuple(o for o in self.objections if o.party_id != party_id)

    def object_to(self, party: UUID, reason: str | None, actor: str, when: datetime) -> None:
        """An awaited party objects, with its reason: the change is disputed."""
        self._awaited(party)
        if reason is None:
            raise ReasonRequired("object")
        if any(o.party_id == party for o in self.objections):
            raise InvalidValue("the party has objected to this change already", "party_id")
        self._disputed(party_id=party, reason=reason, actor=actor, timestamp=when)

    @event("Disputed")
    def _disputed(self, party_id: UUID, reason: str, actor: str, timestamp: datetime) -> None:
        self.objections = (*self.objections, Objection(party_id, reason, actor, timestamp))
        self.confirmations = tuple(p for p in self.confirmations if p != party_id)

    def withdraw_objection(self, party: UUID, actor: str, when: datetime) -> None:
        self._awaited(party)
        if not any(o.party_id == party for o in self.objections):
            raise InvalidValue("the party has not objected to this change", "party_id")
        self._dispute_withdrawn(party_id=party, actor=actor, timestamp=when)

    @event("DisputeWithdrawn")
    def _dispute_withdrawn(self, party_id: UUID, actor: str, timestamp: datetime) -> None:
        self.objections = tuple(o for o in self.objections if o.party_id != party_id)

    def overrule(self, reason: str | None, actor: str, when: datetime) -> None:
        """An administrator makes the pending change take effect, objections or silence notwithstanding."""
        if self.pending is None:
            raise NothingPending()
        if reason is None:
            raise ReasonRequired("overrule")
        self._take_effect("admin", reason, actor, when)

    def withdraw_change(self, reason: str | None, actor: str, when: datetime) -> None:
        """Its proposer (or an administrator) withdraws the pending change: nothing of it takes effect."""
        if self.pending is None:
            raise NothingPending()
        self._change_withdrawn(reason=reason, actor=actor, timestamp=when)

    @event("ChangeWithdrawn")
    def _change_withdrawn(self, reason: str | None, actor: str, timestamp: datetime) -> None:
        self._settled()

    def confirm_by_silence(self, now: datetime, actor: str, when: datetime) -> bool:
        """Silence is consent: the silence period has passed with no objection (and every awaited party could
        be reached). Idempotent: False, and nothing recorded, otherwise."""
        pending = self.pending
        if pending is None or pending.silence_until is None or now < pending.silence_until or self.objections:
            return False
        silent = tuple(p for p in pending.awaiting if p not in self.confirmations)
        self._confirmed_by_silence(
            action=pending.action,
            declared_on=pending.declared_at.date(),
            silent=silent,
            actor=actor,
            timestamp=when,
        )
        self._after_effect(pending, actor, when)
        return True

    @event("ConfirmedBySilence")
    def _confirmed_by_silence(
        self, action: str, declared_on: date, silent: tuple[UUID, ...], actor: str, timestamp: datetime
    ) -> None:
        self._become_as_declared()

    def _take_effect(self, by: str, reason: str | None, actor: str, when: datetime) -> None:
        pending = self.pending
        assert pending is not None  # its callers check it
        self._confirmed(
            action=pending.action,
            declared_on=pending.declared_at.date(),
            by=by,
            reason=reason,
            actor=actor,
            timestamp=when,
        )
        self._after_effect(pending, actor, when)

    @event("Confirmed")
    def _confirmed(
        self, action: str, declared_on: date, by: str, reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self._become_as_declared()

    def _become_as_declared(self) -> None:
        """The pending change's own state, as its action would have made it on the day it was declared."""
        pending = self.pending
        assert pending is not None  # recorded only while a change is pending
        given, on = pending.arguments, pending.declared_at.date()
        action = Action(pending.action)
        if action is Action.DELIVER:
            self._become_delivered(tuple(given["evidence"]), given["delivered_on"] or on)
        elif action is Action.ASSESS:
            self._become_assessed(Status(given["outcome"]), on)
        elif action is Action.REVISE_DUE:
            self._become_due(given["due"], given["due_at"])
        elif action is Action.CANCEL:
            self._become_cancelled()
        else:
            self._become_superseded(given["new_commitment_id"])
        self._settled()

    def _settled(self) -> None:
        self.pending = None
        self.confirmations = ()
        self.objections = ()

    def _after_effect(self, pending: PendingChange, actor: str, when: datetime) -> None:
        """What a delivery or a new due clears, once it has taken effect."""
        if pending.action == Action.DELIVER.value:
            self._clear_overdue(DELIVERED_REASON, actor, when)
        elif pending.action == Action.REVISE_DUE.value:
            self._clear_overdue(DUE_REVISED_REASON, actor, when)

    # -- its parties' own word ----------------------------------------------------------

    def acknowledge(self, note: str | None, actor: str, when: datetime) -> None:
        """A party's focal point has seen the commitment and takes it on (its status stays as it is)."""
        if not self.is_open:
            raise IllegalTransition(self.status.value, "acknowledge")
        self._acknowledged(note=note, actor=actor, timestamp=when)

    @event("Acknowledged")
    def _acknowledged(self, note: str | None, actor: str, timestamp: datetime) -> None:
        pass

    def comment(
        self,
        text: str,
        language: str | None,
        mentions: tuple[UUID, ...],
        actor: str,
        when: datetime,
        files: tuple[EvidenceFile, ...] = (),
    ) -> int:
        """A message in its thread, in any state, with files if any; its number (from 1)."""
        words, written_in = comment_text(text, language)
        named_parties = mentioned(tuple(mentions))
        carried = attached(tuple(files))
        if len(self.comments) >= MOST_COMMENTS:
            raise InvalidValue("a commitment keeps at most {most} comments", "text", most=MOST_COMMENTS)
        number = len(self.comments) + 1
        self._commented(
            number=number,
            text=words,
            language=written_in,
            mentions=named_parties,
            actor=actor,
            timestamp=when,
            files=carried,
        )
        return number

    @event("Commented")
    def _commented(
        self,
        number: int,
        text: str,
        language: str | None,
        mentions: tuple[UUID, ...],
        actor: str,
        timestamp: datetime,
        files: tuple[EvidenceFile, ...] = (),  # none in a comment recorded before comments carried files
    ) -> None:
        comment = Comment(number, text, language, tuple(mentions), actor, timestamp, files=tuple(files))
        self.comments = (*self.comments, comment)

    def hide_comment(self, number: int, reason: str | None, actor: str, when: datetime) -> None:
        """An administrator hides a comment from the thread, with a reason (its words stay in the history)."""
        if reason is None:
            raise ReasonRequired("hide a comment")
        if not isinstance(number, int) or not 1 <= number <= len(self.comments):
            raise InvalidValue("the commitment has no comment numbered {number}", "number", number=number)
        if self.comments[number - 1].hidden:
            raise InvalidValue("the comment is hidden already", "number")
        self._comment_hidden(number=number, reason=reason, actor=actor, timestamp=when)

    @event("CommentHidden")
    def _comment_hidden(self, number: int, reason: str, actor: str, timestamp: datetime) -> None:
        self.comments = tuple(
            replace(c, hidden_by=actor, hidden_reason=reason) if c.number == number else c for c in self.comments
        )

    # -- progress and dues ----------------------------------------------------------

    def report_progress(
        self, percent: int, note: str | None, evidence: tuple[Evidence, ...], actor: str, when: datetime
    ) -> None:
        self._ensure_allowed(Action.REPORT_PROGRESS)
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise InvalidValue("progress is a whole percentage from 0 to 100", "percent")
        self._progress_reported(
            percent=percent, note=note, evidence=evidence_list(evidence), actor=actor, timestamp=when
        )

    @event("ProgressReported")
    def _progress_reported(
        self, percent: int, note: str | None, evidence: tuple[Evidence, ...], actor: str, timestamp: datetime
    ) -> None:
        self.progress = Progress(percent=percent, note=note, evidence=evidence, reported_at=timestamp)
        self.evidence = (*self.evidence, *evidence)

    def show_evidence(self, number: int, public: bool, reason: str | None, actor: str, when: datetime) -> bool:
        """Make one piece of its evidence (numbered from 1, in the order reported) public or internal again:
        evidence is internal unless marked public, whenever it was reported. Asking for what is so already
        stores nothing (False)."""
        if not isinstance(number, int) or not 1 <= number <= len(self.evidence):
            raise InvalidValue("the commitment has no evidence numbered {number}", "number", number=number)
        if (number in self.public_evidence) == public:
            return False
        self._evidence_shown(number=number, public=public, reason=reason, actor=actor, timestamp=when)
        return True

    @event("EvidenceShown")
    def _evidence_shown(self, number: int, public: bool, reason: str | None, actor: str, timestamp: datetime) -> None:
        others = tuple(n for n in self.public_evidence if n != number)
        self.public_evidence = tuple(sorted((*others, number))) if public else others

    def revise_due(
        self, due: Due | None, due_at: datetime | None, reason: str | None, actor: str, when: datetime
    ) -> None:
        """A new due (a reason is needed, except to give an open-ended commitment its first due);
        ``None`` leaves the commitment open-ended from now on."""
        self._ensure_allowed(Action.REVISE_DUE, reason, explained=self.due is not None)
        if due == self.due and due_at == self.due_at:
            if due:
                raise InvalidValue("the new due is the same as the current one", "due")
            raise InvalidValue("the commitment has no due already", "due")
        self._due_revised(due=due, due_at=due_at, reason=reason, actor=actor, timestamp=when)
        self._clear_overdue(DUE_REVISED_REASON, actor, when)

    @event("DueRevised")
    def _due_revised(
        self, due: Due | None, due_at: datetime | None, reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self._become_due(due, due_at)

    def _become_due(self, due: Due | None, due_at: datetime | None) -> None:
        self.due = due
        self.due_at = due_at
        self.reminded = ()  # a new due is reminded of afresh

    def choose_themes(self, themes: tuple[str, ...], reason: str | None, actor: str, when: datetime) -> None:
        """The themes it carries (checked against the list by ``ThemeList.chosen``), in any state."""
        if themes == self.themes:
            raise InvalidValue("the commitment carries these themes already", "themes")
        self._themes_chosen(themes=themes, reason=reason, actor=actor, timestamp=when)

    @event("ThemesChosen")
    def _themes_chosen(self, themes: tuple[str, ...], reason: str | None, actor: str, timestamp: datetime) -> None:
        self.themes = tuple(themes)

    def reweigh(self, weight: int | None, reason: str | None, actor: str, when: datetime) -> None:
        """Its weight in roll-ups (None: 1, as every other), in any state, with a reason."""
        if reason is None:
            raise ReasonRequired("reweigh")
        if weight == self.weight:
            raise InvalidValue("the commitment has this weight already", "weight")
        self._reweighed(weight=weight, reason=reason, actor=actor, timestamp=when)

    @event("Reweighed")
    def _reweighed(self, weight: int | None, reason: str, actor: str, timestamp: datetime) -> None:
        self.weight = weight

    def schedule_review(
        self, review_on: date | None, review_at: datetime | None, reason: str | None, actor: str, when: datetime
    ) -> None:
        """The day the lead party wants to look at the commitment again (``None``: no review)."""
        self._ensure_allowed(Action.SCHEDULE_REVIEW, reason)
        if review_on == self.review_on:
            if review_on:
                raise InvalidValue("the commitment is to be reviewed on that day already", "review_on")
            raise InvalidValue("the commitment has no review date already", "review_on")
        self._review_scheduled(review_on=review_on, review_at=review_at, reason=reason, actor=actor, timestamp=when)

    @event("ReviewScheduled")
    def _review_scheduled(
        self, review_on: date | None, review_at: datetime | None, reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self.review_on = review_on
        self.review_at = review_at

    def correct(
        self,
        reason: str | None,
        actor: str,
        when: datetime,
        text: MultilingualText | None = None,
        lead_party_id: UUID | None = None,
        supporting_party_ids: tuple[UUID, ...] | None = None,
        notes: str | None = None,
        without_notes: bool = False,
    ) -> None:
        """Correct what the record says (its text, its parties, its notes) where it was written
        wrong: in any state, with a reason; what is not given stays. It changes the record, not the
        promise's course: a new due is ``revise_due``."""
        if reason is None:
            raise ReasonRequired("correct")
        lead = self.lead_party_id if lead_party_id is None else lead_party_id
        supporting = self.supporting_party_ids if supporting_party_ids is None else tuple(supporting_party_ids)
        check_parties(lead, supporting, "supporting_party_ids")
        new_notes = None if without_notes else (self.notes if notes is None else notes)
        changed = tuple(
            name
            for name, differs in (
                ("text", text is not None and text != self.text),
                ("lead_party_id", lead != self.lead_party_id),
                ("supporting_party_ids", supporting != self.supporting_party_ids),
                ("notes", new_notes != self.notes),
            )
            if differs
        )
        if not changed:
            raise InvalidValue("the correction changes nothing", "text")
        if self.pending is not None and {"lead_party_id", "supporting_party_ids"} & set(changed):
            raise ChangePending()  # the parties a change waits for are those it was declared to
        self._corrected(
            fields=changed,
            text=text or self.text,
            lead_party_id=lead,
            supporting_party_ids=supporting,
            notes=new_notes,
            reason=reason,
            actor=actor,
            timestamp=when,
        )

    @event("Corrected")
    def _corrected(
        self,
        fields: tuple[str, ...],
        text: MultilingualText,
        lead_party_id: UUID,
        supporting_party_ids: tuple[UUID, ...],
        notes: str | None,
        reason: str,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.text = text
        self.lead_party_id = lead_party_id
        self.supporting_party_ids = tuple(supporting_party_ids)
        self.named_parties = named(lead_party_id, supporting_party_ids, self.named_parties)
        self.notes = notes

    # -- lateness: facts recorded when the clock passes them -------------------------

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.overdue_for == self.due_at and self.status in CAN_BE_LATE

    @property
    def due_soon(self) -> bool:
        return bool(self.reminded) and not self.overdue and self.status in CAN_BE_LATE

    @property
    def next_reminder_at(self) -> datetime | None:
        """When the next reminder not yet told falls due (None: none left, or the commitment cannot be late)."""
        pending = [days for days in self.reminder_days if days not in self.reminded]
        if not pending or self.status not in CAN_BE_LATE or self.due_at is None:
            return None
        return self.due_at - timedelta(days=max(pending))

    def mark_overdue(self, now: datetime, actor: str, when: datetime) -> bool:
        """Record that the due instant has passed. Idempotent: stores nothing if already
        recorded for this due, if the due has not passed, or if the commitment cannot be late."""
        if self.status not in CAN_BE_LATE or self.due_at is None or now < self.due_at:
            return False
        if self.overdue_for == self.due_at:
            return False
        self._marked_overdue(due_at=self.due_at, actor=actor, timestamp=when)
        return True

    @event("MarkedOverdue")
    def _marked_overdue(self, due_at: datetime, actor: str, timestamp: datetime) -> None:
        self.overdue_for = due_at

    def mark_due_soon(self, now: datetime, actor: str, when: datetime) -> bool:
        """Record that a reminder lead time was reached, once per lead time and due.

        When the scanner was away and several lead times passed, one event names the
        nearest (the others count as told)."""
        if self.status not in CAN_BE_LATE or self.due_at is None or now >= self.due_at:
            return False
        reached = [days for days in self.reminder_days if now >= self.due_at - timedelta(days=days)]
        new = [days for days in reached if days not in self.reminded]
        if not new:
            return False
        self._due_soon(lead_days=min(new), due_at=self.due_at, actor=actor, timestamp=when)
        return True

    @event("DueSoon")
    def _due_soon(self, lead_days: int, due_at: datetime, actor: str, timestamp: datetime) -> None:
        self.reminded = tuple(
            sorted({*self.reminded, *(d for d in self.reminder_days if d >= lead_days)}, reverse=True)
        )

    @property
    def review_due(self) -> bool:
        """The review day has come (and been recorded) while the commitment is open."""
        return self.review_at is not None and self.reviewed_for == self.review_at and self.is_open

    @property
    def next_review_at(self) -> datetime | None:
        """When the review not yet told falls due (None: no review, already told, or closed)."""
        if self.review_at is None or self.reviewed_for == self.review_at or not self.is_open:
            return None
        return self.review_at

    def mark_review_due(self, now: datetime, actor: str, when: datetime) -> bool:
        """Record that the review day has come, once per review date, while the commitment is open."""
        review_at = self.next_review_at
        if review_at is None or now < review_at:
            return False
        assert self.review_on is not None  # a review day and its instant are set together
        self._review_due(review_on=self.review_on, review_at=review_at, actor=actor, timestamp=when)
        return True

    @event("ReviewDue")
    def _review_due(self, review_on: date, review_at: datetime, actor: str, timestamp: datetime) -> None:
        self.reviewed_for = review_at

    def as_the_clock_had_it(self, at: datetime) -> None:
        """For a replay on the effective axis only (``domain.effective``): the clock's facts as a
        scanner that never missed a tick would have found them at ``at``, from the facts that had
        happened by then, whatever the scanner recorded later. A stored aggregate is never changed so."""
        can_be_late = self.status in CAN_BE_LATE and self.due_at is not None
        due_at = self.due_at or at
        self.overdue_for = self.due_at if can_be_late and at >= due_at else None
        self.reminded = tuple(
            days for days in self.reminder_days if can_be_late and at >= due_at - timedelta(days=days)
        )
        self.reviewed_for = self.review_at if self.review_at is not None and at >= self.review_at else None

    def _clear_overdue(self, reason: str, actor: str, when: datetime) -> None:
        if self.overdue_for is not None:
            self._overdue_cleared(reason=reason, actor=actor, timestamp=when)
        if self.escalations:
            self._escalation_cleared(reason=reason, actor=actor, timestamp=when)

    @event("OverdueCleared")
    def _overdue_cleared(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.overdue_for = None

    # -- escalation: the ladder's steps, recorded as the days overdue reach them -----

    @property
    def escalation(self) -> Escalation | None:
        """The highest step reached while overdue for the current due (None: not escalated)."""
        return self.escalations[-1] if self.overdue and self.escalated_for == self.due_at and self.escalations else None

    @property
    def escalated_to(self) -> tuple[UUID, ...]:
        """The parties the steps reached for the current due have told (none: not escalated)."""
        if self.escalation is None:
            return ()
        return tuple(dict.fromkeys(p for step in self.escalations for p in step.party_ids))

    @property
    def escalation_level(self) -> int:
        return 0 if self.escalation is None else self.escalation.level

    def escalate(
        self, ladder: Ladder, now: datetime, told: Callable[[Audience], tuple[UUID, ...]], actor: str, when: datetime
    ) -> bool:
        """Record each step of the ladder the commitment has newly reached (once per step and due,
        lowest first), with the parties ``told`` names for its audience. Only an overdue commitment
        (the overdue fact recorded) is escalated; True if a step was recorded."""
        if not self.overdue or self.due_at is None:
            return False
        zone = self.due.time_zone if self.due is not None else "UTC"
        reached = ladder.reached(self.due_at, zone, now, self.escalation_level)
        for level, step in reached:
            self._escalated(
                level=level,
                days=step.days,
                to=step.to,
                party_ids=tuple(told(step.to)),
                due_at=self.due_at,
                actor=actor,
                timestamp=when,
            )
        return bool(reached)

    @event("Escalated")
    def _escalated(
        self,
        level: int,
        days: int,
        to: Audience,
        party_ids: tuple[UUID, ...],
        due_at: datetime,
        actor: str,
        timestamp: datetime,
    ) -> None:
        if self.escalated_for != due_at:
            self.escalations = ()
        self.escalated_for = due_at
        self.escalations = (*self.escalations, Escalation(level, days, to, tuple(party_ids), timestamp))

    @event("EscalationCleared")
    def _escalation_cleared(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.escalations = ()
        self.escalated_for = None
