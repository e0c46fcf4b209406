"""Recurring commitments: stating a rule ("report every six months until 2028"), which generates its
occurrences as commitments; changing its schedule, which regenerates only the occurrences still open to
it; ending it. The rules are ``domain.commitments.recurrence``'s."""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from application import policy, translation
from application.errors import NotFound
from application.inputs import TextInput
from application.listing.histories import Histories
from application.records.commitments import Commitments
from application.records.making import Origin, Promised, made
from application.storage.saving import Records, new
from application.views import EventView, RecurrenceView
from domain.access import Principal
from domain.choices import choice
from domain.commitments.commitment import Commitment
from domain.commitments.due import Due, add_months, local_day
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind
from domain.commitments.promise import reminder_days as reminder_days_of
from domain.commitments.recurrence import Occurrence, Recurrence, Schedule, Standing, standing
from domain.errors import InvalidValue
from domain.identifiers import time_ordered_id
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.meetings.series import stated_months
from domain.text import optional_text


def day_due(day: date, time_zone: str) -> Due:
    return Due.of("day", time_zone, value=day.isoformat())


def rule_occurrence(rule: Recurrence, day: date) -> Promised:
    """What an occurrence of the rule promises: the rule's words and parties, due on its day."""
    return Promised(
        rule.kind,
        rule.text,
        rule.lead_party_id,
        rule.supporting_party_ids,
        day_due(day, rule.time_zone),
        status=rule.status,
        reminders=rule.reminder_days,
        notes=rule.notes,
    )


class Recurrences:
    def __init__(self, records: Records, histories: Histories, commitments: Commitments) -> None:
        self.records = records
        self.histories = histories
        self.commitments = commitments

    def state(
        self,
        caller: Principal,
        text: TextInput,
        lead_party_id: UUID,
        meeting_id: UUID,
        until: date,
        every_months: int | None = None,
        every: str | None = None,
        first_due: date | None = None,
        kind: str = "action",
        supporting_party_ids: Sequence[UUID] = (),
        agreement_id: UUID | None = None,
        row_number: int | None = None,
        status: str = "draft",
        reminder_days: Sequence[int] | None = None,
        notes: str | None = None,
        recurrence_id: UUID | None = None,
    ) -> RecurrenceView:
        """A promise made at a meeting to do something every so many months until a day: one
        commitment per occurrence, due on its day (``first_due``, by default a period after the
        meeting's last day, then every period), each with its own lifecycle. Occurrences already past
        are generated too: they are overdue until someone reports on them."""
        actor = policy.changes_commitment(caller, [lead_party_id, *supporting_party_ids]).id
        occurrence_kind = choice(CommitmentKind, kind, "kind")
        if occurrence_kind is CommitmentKind.FOLLOW_UP_SESSION:
            raise InvalidValue("a series' sessions recur by its rhythm (PUT /series/{slug}/rhythm)", "kind")
        initial = choice(Status, status, "status")
        statement = translation.text(text, "text")
        months = stated_months(every_months, every)
        meeting, lead, supporting, agreement, _ = self.commitments.origin(
            meeting_id, lead_party_id, supporting_party_ids, agreement_id, row_number
        )
        schedule = Schedule.of(months, first_due or add_months(meeting.dates.ends_on, months), until)
        reminders = reminder_days_of(None if reminder_days is None else list(reminder_days))
        remarks = optional_text(notes, "notes")
        Commitment.check_new(occurrence_kind, lead.id, supporting, None, initial)
        rule_id = recurrence_id or time_ordered_id()
        now = self.records.now()
        zone = meeting.venue.time_zone
        occurrences = [
            made(
                Origin(meeting, agreement, row_number),
                Promised(
                    occurrence_kind,
                    statement,
                    lead.id,
                    supporting,
                    day_due(day, zone),
                    status=initial,
                    reminders=reminders,
                    notes=remarks,
                ),
                actor,
                now,
                commitment_id,
                recurrence_id=rule_id,
            )
            for commitment_id, day in Recurrence.first_ids(rule_id, schedule)
        ]
        rule = new(
            Recurrence,
            Recurrence.Stated,
            rule_id,
            text=statement,
            kind=occurrence_kind,
            lead_party_id=lead.id,
            supporting_party_ids=supporting,
            meeting_id=meeting.id,
            agreement_id=None if agreement is None else agreement.id,
            row_number=row_number,
            schedule=schedule,
            time_zone=zone,
            status=initial,
            reminder_days=reminders,
            notes=remarks,
            occurrences=tuple(o.id for o in occurrences),
            actor=actor,
            timestamp=now,
        )
        self.records.create(rule, *occurrences)
        return RecurrenceView.of(rule, {o.id: o for o in occurrences})

    def get(self, recurrence_id: UUID | str, version: int | None = None) -> RecurrenceView:
        """The rule (now or at a version) and its occurrences as they stand now."""
        rule = self.records.get(Recurrence, recurrence_id, version)
        return RecurrenceView.of(rule, self._occurrences(rule))

    def history(self, recurrence_id: UUID | str, after_version: int = 0, limit: int | None = None) -> list[EventView]:
        """The rule's events, oldest first: stated, each change of its schedule and what it did, ended."""
        return self.histories.events(Recurrence, self.records.get(Recurrence, recurrence_id).id, after_version, limit)

    def _occurrences(self, rule: Recurrence) -> dict[UUID, Commitment]:
        found = self.records.read_many(list(rule.occurrences))
        return {key: value for key, value in found.items() if isinstance(value, Commitment)}

    def _standings(self, rule: Recurrence, found: dict[UUID, Commitment], today: date) -> list[Occurrence]:
        return [
            Occurrence(key, day, standing(c.status, c.reported, day, today, key in rule.withdrawn))
            for key, c in found.items()
            for day in [rule.due_on(c.due_at)]
        ]

    def reschedule(
        self,
        recurrence_id: UUID | str,
        caller: Principal,
        reason: str | None,
        every_months: int | None = None,
        every: str | None = None,
        first_due: date | None = None,
        until: date | None = None,
        expected_version: int | None = None,
    ) -> RecurrenceView:
        """A new schedule (what is not given stays), with a reason: the occurrences due in the future
        with nothing reported on them move to the new days, or are cancelled if the new schedule has no
        day for them, and new ones are generated for the days left; the others stay as they are."""
        actor = caller.id
        why = translation.reason(reason)
        months = None if every_months is None and every is None else stated_months(every_months, every)
        changed: list[Commitment] = []
        found: dict[UUID, Commitment] = {}

        def reschedule(rule: Recurrence, when: datetime) -> None:
            current = rule.schedule
            schedule = Schedule.of(
                months or current.every_months, first_due or current.first_due, until or current.until
            )
            found.update(self._occurrences(rule))
            today = local_day(when, rule.time_zone)
            plan = rule.plan(schedule, self._standings(rule, found, today), today)
            rule.reschedule(schedule, plan, why, actor, when)
            for commitment_id, day in plan.moved:
                occurrence = found[commitment_id]
                new_due = day_due(day, rule.time_zone)
                occurrence.revise_due(new_due, new_due.resolve(), why, actor, when)
                changed.append(occurrence)
            self._withdraw(plan.withdrawn, found, why, actor, when, changed)
            meeting, agreement = self._origin(rule)
            for commitment_id, day in plan.added:
                occurrence = made(
                    Origin(meeting, agreement, rule.row_number),
                    rule_occurrence(rule, day),
                    actor,
                    when,
                    commitment_id,
                    recurrence_id=rule.id,
                )
                found[occurrence.id] = occurrence
                changed.append(occurrence)
            self._may_change_occurrences(caller, changed)

        rule = self.records.change(
            Recurrence, recurrence_id, expected_version, reschedule, also=changed, allowed=self._may_change(caller)
        )
        return RecurrenceView.of(rule, found)

    @staticmethod
    def _may_change(caller: Principal) -> Callable[[Recurrence], object]:
        """A key limited to some parties changes only the rules its parties lead or support."""
        return lambda rule: policy.changes_commitment(caller, rule.parties)

    @staticmethod
    def _may_change_occurrences(caller: Principal, changed: Sequence[Commitment]) -> None:
        """Each occurrence the change moves, cancels or adds is the key's parties' (one may have been handed
        to another party since the rule was stated): checked before anything is saved."""
        for occurrence in changed:
            policy.changes_commitment(caller, occurrence.parties)

    def end(
        self, recurrence_id: UUID | str, caller: Principal, reason: str | None, expected_version: int | None = None
    ) -> RecurrenceView:
        """Nothing more is generated: the occurrences due in the future with nothing reported on them
        are cancelled, with the reason; the others stay as they are."""
        actor = caller.id
        why = translation.reason(reason)
        changed: list[Commitment] = []
        found: dict[UUID, Commitment] = {}

        def end(rule: Recurrence, when: datetime) -> None:
            found.update(self._occurrences(rule))
            today = local_day(when, rule.time_zone)
            open_to_rule = tuple(
                o.commitment_id for o in self._standings(rule, found, today) if o.standing is Standing.MOVABLE
            )
            rule.end(open_to_rule, why, actor, when)
            self._withdraw(open_to_rule, found, why, actor, when, changed)
            self._may_change_occurrences(caller, changed)

        rule = self.records.change(
            Recurrence, recurrence_id, expected_version, end, also=changed, allowed=self._may_change(caller)
        )
        return RecurrenceView.of(rule, found)

    @staticmethod
    def _withdraw(
        ids: Sequence[UUID],
        found: dict[UUID, Commitment],
        reason: str | None,
        actor: str,
        when: datetime,
        changed: list[Commitment],
    ) -> None:
        for commitment_id in ids:
            occurrence = found[commitment_id]
            occurrence.cancel(reason, actor, when)
            changed.append(occurrence)

    def _origin(self, rule: Recurrence) -> tuple[Meeting, Agreement | None]:
        meeting = self.records.load(Meeting, rule.meeting_id)
        if meeting is None:
            raise NotFound("meeting", rule.meeting_id)
        agreement = None if rule.agreement_id is None else self.records.load(Agreement, rule.agreement_id)
        return meeting, agreement
