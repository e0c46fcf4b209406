"""Commitments: recording a promise, and every change of its lifecycle, progress, due and review day."""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy, translation
from application.errors import UnknownReference
from application.inputs import DueInput, TextInput
from application.listing.histories import Histories
from application.records.evidence_files import EvidenceFiles, NoEvidenceFiles
from application.records.making import Origin, Promised, made, review_at
from application.records.parties import Parties
from application.records.series import series_of
from application.storage.saving import Records
from application.views import CommitmentView
from domain.access import Principal
from domain.choices import choice
from domain.commitments.comments import MOST_FILES
from domain.commitments.commitment import Commitment
from domain.commitments.confirmation import (
    BINDING,
    DEFAULT_SILENCE_DAYS,
    NotAwaited,
    NothingPending,
    Rule,
    awaited,
    silence_ends,
)
from domain.commitments.lifecycle import Action, Status
from domain.commitments.promise import CommitmentKind, Evidence, FollowUp, assessment_outcome, evidence_list
from domain.commitments.promise import reminder_days as reminder_days_of
from domain.commitments.rollup import weight as weight_of
from domain.errors import InvalidValue
from domain.evidence_files import EvidenceFile
from domain.meetings.agreement import Agreement, MatrixRow
from domain.meetings.meeting import Meeting
from domain.parties.contact import Frequency
from domain.parties.party import Party
from domain.text import SHORT_TEXT_MAX, optional_text


def roles(lead: UUID, supporting: Sequence[UUID]) -> dict[str, str]:
    """Each party of a commitment, and its place: lead or supporting."""
    return {str(lead): "lead", **{str(party): "supporting" for party in supporting}}


# The actions whose only input is a reason (needed where the lifecycle says so): one use case for all.
REASONED: dict[Action, Callable[[Commitment, str | None, str, datetime], None]] = {
    Action.AGREE: Commitment.agree,
    Action.NOTE: Commitment.note,
    Action.START: Commitment.start,
    Action.STALL: Commitment.stall,
    Action.RESUME: Commitment.resume,
    Action.REJECT_DELIVERY: Commitment.reject_delivery,
    Action.REOPEN: Commitment.reopen,
    Action.CANCEL: Commitment.cancel,
}


class Commitments:
    def __init__(
        self,
        records: Records,
        histories: Histories,
        parties: Parties,
        scoped_parties: Callable[[], set[str]] = set,
        files: EvidenceFiles | None = None,
    ) -> None:
        """``scoped_parties``: the parties some key in use is limited to (each can answer for itself);
        ``files``: where the evidence files it cites are kept."""
        self.records = records
        self.histories = histories
        self.parties = parties
        self.scoped_parties = scoped_parties
        self.files = files or NoEvidenceFiles()

    def record(
        self,
        caller: Principal,
        text: TextInput,
        lead_party_id: UUID,
        meeting_id: UUID,
        kind: str = "action",
        supporting_party_ids: Sequence[UUID] = (),
        agreement_id: UUID | None = None,
        row_number: int | None = None,
        clause: str | None = None,
        quote: TextInput | None = None,
        due: DueInput | None = None,
        follow_up_series: str | None = None,
        follow_up_session_number: int | None = None,
        status: str = "draft",
        reminder_days: Sequence[int] | None = None,
        made_on: date | None = None,
        review_on: date | None = None,
        notes: str | None = None,
        commitment_id: UUID | None = None,
        weight: int | None = None,
    ) -> CommitmentView:
        """Record a promise made at a meeting. With no due (and no matrix row with a timeframe) it is
        open-ended: never due soon or overdue; ``review_on`` reminds its lead party to look at it again."""
        actor = policy.changes_commitment(caller, [lead_party_id, *supporting_party_ids]).id
        commitment_kind = choice(CommitmentKind, kind, "kind")
        if commitment_kind is CommitmentKind.FOLLOW_UP_SESSION:
            policy.records_follow_up_session(caller)
        if weight is not None:
            policy.records_everything(caller)  # a weight in roll-ups is set by keys of every party
        initial = choice(Status, status, "status")
        statement = translation.text(text, "text")
        meeting, lead, supporting, agreement, row = self.origin(
            meeting_id, lead_party_id, supporting_party_ids, agreement_id, row_number
        )
        if row is not None:  # a row of a matrix is its parties' to commit to
            policy.changes_commitment(caller, [row.lead_party_id, *row.partner_party_ids])
        deadline = translation.optional_due(due, meeting.venue.time_zone, "due") or (row.timeframe if row else None)
        follow_up = None
        if commitment_kind is CommitmentKind.FOLLOW_UP_SESSION:
            follow_up = FollowUp.of(follow_up_series, meeting.series, follow_up_session_number)
        promised = Promised(
            commitment_kind,
            statement,
            lead.id,
            supporting,
            deadline,
            follow_up,
            initial,
            reminder_days_of(None if reminder_days is None else list(reminder_days)),
            made_on,
            translation.day(review_on, "review_on"),
            optional_text(clause, "clause", SHORT_TEXT_MAX),
            translation.optional_text(quote, "quote"),
            optional_text(notes, "notes"),
            weight,
        )
        commitment = made(Origin(meeting, agreement, row_number), promised, actor, self.records.now(), commitment_id)
        when = commitment.created_on
        others: list[Aggregate] = []
        if follow_up is not None:
            series = series_of(self.records, follow_up.series, actor, when)
            held = next(
                (
                    session
                    for session in series.held
                    if commitment.is_met_by(
                        session.meeting_id, follow_up.series, session.session_number, session.held_on
                    )
                ),
                None,
            )
            if held is not None:  # recorded after its session was recorded as held
                commitment.fulfil_by_meeting(held.meeting_id, held.held_on, actor, when)
            else:
                series.await_session(commitment.id, actor, when)
            others.append(series)
        return CommitmentView.of(self.records.create(commitment, *others))

    def origin(
        self,
        meeting_id: UUID,
        lead_party_id: UUID,
        supporting_party_ids: Sequence[UUID],
        agreement_id: UUID | None,
        row_number: int | None,
    ) -> tuple[Meeting, Party, tuple[UUID, ...], Agreement | None, MatrixRow | None]:
        """Where a promise was made and who makes it, each reference checked: the meeting, the lead
        party, the supporting parties, the agreement (adopted at that meeting) and its matrix row."""
        meeting = self.records.ref(Meeting, meeting_id, "meeting_id")
        lead = self.records.ref(Party, lead_party_id, "lead_party_id")
        supporting = self.parties.check(supporting_party_ids, "supporting_party_ids")
        agreement = None if agreement_id is None else self.records.ref(Agreement, agreement_id, "agreement_id")
        if agreement is not None and agreement.meeting_id != meeting.id:
            raise InvalidValue("the agreement was adopted at another meeting", "agreement_id")
        row = None
        if row_number is not None:
            if agreement is None:
                raise InvalidValue("a matrix row needs its agreement", "agreement_id")
            row = agreement.row(row_number)
            if row is None:
                raise UnknownReference("matrix row", row_number, "row_number")
        return meeting, lead, supporting, agreement, row

    def get(
        self,
        commitment_id: UUID | str,
        version: int | None = None,
        as_of: datetime | None = None,
        axis: str = "recorded",
    ) -> CommitmentView:
        """The commitment now, at a version, or as it stood at an instant (``Histories.read``)."""
        view = self.histories.marked(
            CommitmentView.of(self.histories.read(Commitment, commitment_id, version, as_of, axis))
        )
        return view if version is None and as_of is None else self.histories.hidden_as_now(view)

    def as_of(self, commitment_id: UUID | str, at: datetime, axis: str = "recorded") -> CommitmentView | None:
        """The commitment as it stood at ``at`` on that axis; None: it was not recorded (or made) yet."""
        found = self.histories.as_of(Commitment, self.records.get(Commitment, commitment_id).id, at, axis)
        return None if found is None else self.histories.hidden_as_now(self.histories.marked(CommitmentView.of(found)))

    def may_change(self, caller: Principal, commitment_id: UUID | str) -> Principal:
        """The caller, if it may change this commitment: the rule its changes ask, asked early by a door that
        wants to refuse before it reads a request's body (a key of every party needs no commitment loaded)."""
        limited = caller.party_scope is not None
        return policy.changes_commitment(caller, self.records.get(Commitment, commitment_id).parties if limited else [])

    def _change(
        self,
        caller: Principal,
        commitment_id: UUID | str,
        expected_version: int | None,
        change: Callable[[Commitment, datetime], Any],
    ) -> CommitmentView:
        """A change of one commitment, by a caller who may change it (``policy.changes_commitment``)."""

        def changed(commitment: Commitment, when: datetime) -> Any:
            result = change(commitment, when)
            policy.leaves_commitment_to_its_parties(caller, commitment.parties)  # before anything is saved
            return result

        return CommitmentView.of(
            self.records.change(
                Commitment,
                commitment_id,
                expected_version,
                changed,
                allowed=lambda commitment: policy.changes_commitment(caller, commitment.parties),
            )
        )

    def _binding(
        self,
        caller: Principal,
        commitment_id: UUID | str,
        expected_version: int | None,
        action: Action,
        decide: Callable[[Commitment, datetime], tuple[dict[str, Any], Callable[[Commitment], object]]],
    ) -> CommitmentView:
        """A change that binds the commitment's other parties (``domain.commitments.confirmation``): carried out
        at once, or declared and waiting for the parties' word. ``decide`` gives what the change records and how
        it is carried out."""

        def change(commitment: Commitment, when: datetime) -> object:
            arguments, carry_out = decide(commitment, when)
            waiting = self.awaiting(caller, commitment)
            if not waiting:
                return carry_out(commitment)
            parties = (commitment.lead_party_id, *commitment.supporting_party_ids)
            scope = caller.party_scope or frozenset()
            unreachable = self._unreachable(waiting)
            commitment.propose(
                action,
                arguments,
                carry_out,
                tuple(p for p in parties if str(p) in scope),
                waiting,
                unreachable,
                silence_ends(when, self._rule_of(commitment)[1], unreachable),
                caller.id,
                when,
            )
            return None

        return self._change(caller, commitment_id, expected_version, change)

    def awaiting(self, caller: Principal, commitment: Commitment) -> tuple[UUID, ...]:
        """The parties whose word a binding change the caller makes would wait for (none: at once)."""
        parties = (commitment.lead_party_id, *commitment.supporting_party_ids)
        scope = caller.party_scope
        proposing = None if scope is None else frozenset(p for p in parties if str(p) in scope)
        return awaited(self._rule_of(commitment)[0], parties, proposing)

    def _rule_of(self, commitment: Commitment) -> tuple[Rule, int]:
        """The rule of confirmation of the agreement it belongs to (none belongs to no agreement)."""
        agreement_id = commitment.provenance.agreement_id
        agreement = None if agreement_id is None else self.records.load(Agreement, agreement_id)
        if agreement is None:
            return Rule.NONE, DEFAULT_SILENCE_DAYS
        return agreement.confirmation, agreement.silence_days

    def _unreachable(self, parties: tuple[UUID, ...]) -> tuple[UUID, ...]:
        """The parties nobody can tell: no contact that hears, no key of their own."""
        scoped = self.scoped_parties()
        found = self.records.read_many(list(parties))
        return tuple(
            party
            for party in parties
            if str(party) not in scoped
            and not any(
                contact.frequency is not Frequency.NONE for contact in getattr(found.get(party), "contacts", ())
            )
        )

    def _for_party(self, caller: Principal, commitment: Commitment, party_id: UUID | None) -> UUID:
        """The awaited party the caller answers for: its own (a key limited to it, its focal point's link)."""
        scope = caller.party_scope
        pending = commitment.pending
        if pending is None:
            raise NothingPending()
        if scope is None:  # a key of every party answers for none
            policy.answers_for_party(caller, party_id or pending.awaiting[0])
        if party_id is None:
            mine = [p for p in pending.awaiting if scope is not None and str(p) in scope]
            if not mine:
                raise NotAwaited(UUID(sorted(scope or ())[0]))
            if len(mine) > 1:
                raise InvalidValue("name the party you answer for", "party_id")
            party_id = mine[0]
        policy.answers_for_party(caller, party_id)
        return party_id

    def confirm(self, commitment_id: UUID | str, caller: Principal, party_id: UUID | None = None) -> CommitmentView:
        """An awaited party confirms the pending change; when every one has, it takes effect."""
        actor = caller.id

        def confirm(commitment: Commitment, when: datetime) -> None:
            commitment.confirm(self._for_party(caller, commitment, party_id), actor, when)

        return CommitmentView.of(self.records.change(Commitment, commitment_id, None, confirm))

    def object_to(
        self, commitment_id: UUID | str, caller: Principal, reason: str | None, party_id: UUID | None = None
    ) -> CommitmentView:
        """An awaited party objects to the pending change, with its reason: the change is disputed."""
        actor = caller.id
        why = translation.reason(reason)

        def object_to(commitment: Commitment, when: datetime) -> None:
            commitment.object_to(self._for_party(caller, commitment, party_id), why, actor, when)

        return CommitmentView.of(self.records.change(Commitment, commitment_id, None, object_to))

    def withdraw_objection(
        self, commitment_id: UUID | str, caller: Principal, party_id: UUID | None = None
    ) -> CommitmentView:
        actor = caller.id

        def withdraw(commitment: Commitment, when: datetime) -> None:
            commitment.withdraw_objection(self._for_party(caller, commitment, party_id), actor, when)

        return CommitmentView.of(self.records.change(Commitment, commitment_id, None, withdraw))

    def overrule(self, commitment_id: UUID | str, caller: Principal, reason: str | None) -> CommitmentView:
        """An administrator makes the pending change take effect, with a reason (a dispute, a party no one
        can reach)."""
        actor = policy.administers(caller).id
        why = translation.reason(reason)
        return CommitmentView.of(
            self.records.change(Commitment, commitment_id, None, lambda c, when: c.overrule(why, actor, when))
        )

    def withdraw_change(self, commitment_id: UUID | str, caller: Principal, reason: str | None) -> CommitmentView:
        """The pending change is withdrawn by whoever declared it, or by an administrator."""
        actor = caller.id
        why = translation.reason(reason)

        def withdraw(commitment: Commitment, when: datetime) -> None:
            pending = commitment.pending
            if pending is None:
                raise NothingPending()
            policy.withdraws_change(caller, pending.proposed_by)
            commitment.withdraw_change(why, actor, when)

        return CommitmentView.of(self.records.change(Commitment, commitment_id, None, withdraw))

    def act(
        self,
        action: Action | str,
        commitment_id: UUID | str,
        caller: Principal,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """One of the actions whose only input is a reason (``REASONED``): agree, note, start, …"""
        actor = caller.id
        chosen = choice(Action, action, "action")
        move = REASONED[chosen]
        why = translation.reason(reason)
        if chosen in BINDING:
            return self._binding(
                caller,
                commitment_id,
                expected_version,
                chosen,
                lambda c, when: ({"reason": why}, lambda target: move(target, why, actor, when)),
            )
        return self._change(caller, commitment_id, expected_version, lambda c, when: move(c, why, actor, when))

    def suspend(
        self,
        commitment_id: UUID,
        caller: Principal,
        decision_reference: str | None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        actor = caller.id
        why = translation.reason(reason)
        ref = optional_text(decision_reference, "decision_reference", SHORT_TEXT_MAX)
        return self._change(caller, commitment_id, expected_version, lambda c, when: c.suspend(ref, why, actor, when))

    def deliver(
        self,
        commitment_id: UUID,
        caller: Principal,
        evidence: Sequence[Evidence],
        delivered_on: date | None = None,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        actor = caller.id
        proofs = translation.evidence(self.files.bound(evidence))
        remark = translation.reason(note, "note")
        return self._binding(
            caller,
            commitment_id,
            expected_version,
            Action.DELIVER,
            lambda c, when: (
                {"evidence": evidence_list(proofs), "delivered_on": delivered_on, "note": remark},
                lambda target: target.deliver(proofs, delivered_on, remark, actor, when),
            ),
        )

    def assess(
        self,
        commitment_id: UUID,
        caller: Principal,
        outcome: str,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        actor = caller.id
        result = assessment_outcome(outcome)
        why = translation.reason(reason)
        return self._binding(
            caller,
            commitment_id,
            expected_version,
            Action.ASSESS,
            lambda c, when: (
                {"outcome": result.value, "reason": why},
                lambda target: target.assess(result, why, actor, when),
            ),
        )

    def supersede(
        self,
        commitment_id: UUID,
        caller: Principal,
        new_commitment_id: UUID,
        meeting_id: UUID,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        actor = caller.id
        why = translation.reason(reason)
        successor = self.records.ref(Commitment, new_commitment_id, "new_commitment_id")
        meeting = self.records.ref(Meeting, meeting_id, "meeting_id")

        def supersede(commitment: Commitment, when: datetime) -> tuple[dict[str, Any], Callable[[Commitment], object]]:
            original = self.records.get(Meeting, commitment.provenance.meeting_id)
            Commitment.check_successor(successor, meeting.id, meeting.dates.starts_on, original.dates.starts_on)
            arguments = {"new_commitment_id": successor.id, "meeting_id": meeting.id, "reason": why}
            return arguments, lambda target: target.supersede(successor.id, meeting.id, why, actor, when)

        return self._binding(caller, commitment_id, expected_version, Action.SUPERSEDE, supersede)

    def acknowledge(
        self, commitment_id: UUID, caller: Principal, note: str | None = None, expected_version: int | None = None
    ) -> CommitmentView:
        """A party has seen the commitment and takes it on (its focal point's link, or a key of its own)."""
        actor = caller.id
        remark = translation.reason(note, "note")
        return self._change(caller, commitment_id, expected_version, lambda c, when: c.acknowledge(remark, actor, when))

    def comment(
        self,
        commitment_id: UUID | str,
        caller: Principal,
        text: str,
        language: str | None = None,
        mentions: Sequence[UUID] = (),
        expected_version: int | None = None,
        files: Sequence[EvidenceFile] = (),
    ) -> CommitmentView:
        """A message in the commitment's thread, by a key that may change it (or its party's focal point), with
        files sent first if any; the parties it names (``mentions``) are told in their contacts' next e-mail."""
        actor = caller.id
        named = self.parties.check(mentions, "mentions")
        carried = tuple(self.files.bound_file(f, f"files[{index}]") for index, f in enumerate(files[: MOST_FILES + 1]))
        return self._change(
            caller,
            commitment_id,
            expected_version,
            lambda c, when: c.comment(text, language, named, actor, when, carried),
        )

    def hide_comment(
        self,
        commitment_id: UUID | str,
        caller: Principal,
        number: int,
        reason: str | None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """An administrator hides a comment from the thread, with a reason; its words stay in the history."""
        actor = policy.administers(caller).id
        why = translation.reason(reason)
        return CommitmentView.of(
            self.records.change(
                Commitment, commitment_id, expected_version, lambda c, when: c.hide_comment(number, why, actor, when)
            )
        )

    def report_progress(
        self,
        commitment_id: UUID,
        caller: Principal,
        percent: int,
        note: str | None = None,
        evidence: Sequence[Evidence] = (),
        expected_version: int | None = None,
    ) -> CommitmentView:
        actor = caller.id
        proofs = translation.evidence(self.files.bound(evidence))
        remark = translation.reason(note, "note")
        return self._change(
            caller,
            commitment_id,
            expected_version,
            lambda c, when: c.report_progress(percent, remark, proofs, actor, when),
        )

    def revise_due(
        self,
        commitment_id: UUID,
        caller: Principal,
        due: DueInput | None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """A new due; the first due of an open-ended commitment needs no reason; ``None`` leaves it open-ended."""
        actor = caller.id
        why = translation.reason(reason)

        def revise(commitment: Commitment, when: datetime) -> tuple[dict[str, Any], Callable[[Commitment], object]]:
            meeting = self.records.get(Meeting, commitment.provenance.meeting_id)
            deadline = translation.optional_due(due, meeting.venue.time_zone, "due")
            due_at = None if deadline is None else deadline.resolve(meeting.dates.ends_on)
            arguments = {"due": deadline, "due_at": due_at, "reason": why}
            return arguments, lambda target: target.revise_due(deadline, due_at, why, actor, when)

        return self._binding(caller, commitment_id, expected_version, Action.REVISE_DUE, revise)

    def restate(
        self,
        commitment_id: UUID,
        caller: Principal,
        reason: str,
        text: TextInput,
        lead_party_id: UUID,
        supporting_party_ids: Sequence[UUID],
        due: DueInput | None,
    ) -> CommitmentView:
        """The commitment as a source states it again (a report confirmed anew): its text and parties
        corrected and its due revised where they differ, in one change; nothing where none does."""
        actor = policy.changes_commitment(caller, [lead_party_id, *supporting_party_ids]).id
        statement = translation.text(text, "text")
        lead = self.records.ref(Party, lead_party_id, "lead_party_id").id
        supporting = self.parties.check(supporting_party_ids, "supporting_party_ids")

        def restate(commitment: Commitment, when: datetime) -> None:
            if (statement, lead, tuple(supporting)) != (
                commitment.text,
                commitment.lead_party_id,
                commitment.supporting_party_ids,
            ):
                commitment.correct(
                    reason, actor, when, statement if statement != commitment.text else None, lead, supporting
                )
            meeting = self.records.get(Meeting, commitment.provenance.meeting_id)
            deadline = translation.optional_due(due, meeting.venue.time_zone, "due")
            if deadline != commitment.due:
                commitment.revise_due(
                    deadline, None if deadline is None else deadline.resolve(meeting.dates.ends_on), reason, actor, when
                )

        return self._change(caller, commitment_id, None, restate)

    def reweigh(
        self,
        commitment_id: UUID,
        caller: Principal,
        weight: int | None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """Its weight in roll-ups (None: 1, as every other), with a reason: only a key not limited to some
        parties weighs a commitment."""
        actor = policy.records_everything(caller).id
        checked, why = weight_of(weight), translation.reason(reason)
        return CommitmentView.of(
            self.records.change(
                Commitment,
                commitment_id,
                expected_version,
                lambda commitment, when: commitment.reweigh(checked, why, actor, when),
            )
        )

    def comment_file(
        self, commitment_id: UUID | str, caller: Principal, number: int, index: int
    ) -> tuple[EvidenceFile, bytes]:
        """A file a comment carries (the comment numbered from 1, its files from 1), and its bytes as kept; a
        hidden comment's files are not given, as its words are not."""
        comments = self.get(commitment_id).comments
        comment = comments[number - 1] if 1 <= number <= len(comments) else None
        files = [] if comment is None or comment.get("hidden_by") else comment.get("files") or []
        return self.files.numbered(caller, files, index, f"{commitment_id}/comments/{number}/files/{index}")

    def evidence_file(self, commitment_id: UUID | str, caller: Principal, number: int) -> tuple[EvidenceFile, bytes]:
        """The file a piece of its evidence cites (numbered from 1, in the order reported), and its bytes as kept;
        refused when that evidence cites no file, or the file kept is gone or no longer its own."""
        cited = [e.get("file") for e in self.get(commitment_id).evidence]
        return self.files.numbered(caller, cited, number, f"{commitment_id}/evidence/{number}")

    def show_evidence(
        self,
        commitment_id: UUID,
        caller: Principal,
        number: int,
        public: bool,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """Make one piece of its evidence (numbered from 1, in the order reported) public or internal again:
        the public pages of a published record show only evidence marked public. Keys that may change the
        commitment decide it; what is published at all is an administrator's decision (``Publishing``)."""
        actor = caller.id
        why = translation.reason(reason)
        return CommitmentView.of(
            self.records.change(
                Commitment,
                commitment_id,
                expected_version,
                lambda commitment, when: commitment.show_evidence(number, public, why, actor, when),
                allowed=lambda commitment: policy.changes_commitment(caller, commitment.parties),
            )
        )

    def schedule_review(
        self,
        commitment_id: UUID,
        caller: Principal,
        review_on: date | None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """The day the lead party wants to look at the commitment again (``None``: no review)."""
        actor = caller.id
        why = translation.reason(reason)
        day = translation.day(review_on, "review_on")

        def schedule(commitment: Commitment, when: datetime) -> None:
            meeting = self.records.get(Meeting, commitment.provenance.meeting_id)
            commitment.schedule_review(day, review_at(day, commitment.due, meeting), why, actor, when)

        return self._change(caller, commitment_id, expected_version, schedule)

    def correct(
        self,
        commitment_id: UUID,
        caller: Principal,
        reason: str | None,
        text: TextInput | None = None,
        lead_party_id: UUID | None = None,
        supporting_party_ids: Sequence[UUID] | None = None,
        notes: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """Correct what the record says where it was written wrong (text, parties, notes; ``notes=""``
        removes them), in any state, with a reason; what is not given stays. A key limited to some parties
        names one of its parties, and leaves the commitment to them (they lead or support it after)."""
        actor = caller.id
        named = [p for p in [lead_party_id, *(supporting_party_ids or [])] if p is not None]
        if named:
            policy.changes_commitment(caller, named)
        why = translation.reason(reason)
        statement = None if text is None else translation.text(text, "text")
        lead = None if lead_party_id is None else self.records.ref(Party, lead_party_id, "lead_party_id").id
        supporting = (
            None if supporting_party_ids is None else self.parties.check(supporting_party_ids, "supporting_party_ids")
        )
        remark = None if not notes else optional_text(notes, "notes")

        def correct(commitment: Commitment, when: datetime) -> None:
            before = roles(commitment.lead_party_id, commitment.supporting_party_ids)
            after = roles(
                lead or commitment.lead_party_id, commitment.supporting_party_ids if supporting is None else supporting
            )
            policy.changes_parties(caller, before, after)
            commitment.correct(why, actor, when, statement, lead, supporting, remark, without_notes=notes == "")

        return self._change(caller, commitment_id, expected_version, correct)
