"""The scanner: on each tick, records the overdue, due-soon and review-due facts the clock has brought,
the steps of the escalation ladder (``domain.commitments.escalation``) the overdue commitments have reached,
and the pending changes whose silence period has passed (``domain.commitments.confirmation``).

It asks the read model which commitments need a look (so its cost follows the work, not the
archive), and lets each commitment's own rules decide. Several scanners may run at once, in
threads or processes: optimistic concurrency on each commitment makes every fact recorded once.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from application.errors import ConcurrentUpdate
from application.ports import Catalogue, as_read
from application.storage.saving import Records
from domain.commitments.commitment import Commitment
from domain.commitments.escalation import NO_LADDER, Audience, Ladder, told
from domain.meetings.meeting import Meeting
from domain.parties.party import Party

BATCH = 500
SCHEDULER = "scheduler"  # the actor of the facts the scanner records
Mark = Callable[[Commitment, datetime], bool]


def overdue(commitment: Commitment, now: datetime) -> bool:
    return commitment.mark_overdue(now, SCHEDULER, now)


def due_soon(commitment: Commitment, now: datetime) -> bool:
    return commitment.mark_due_soon(now, SCHEDULER, now)


def review_due(commitment: Commitment, now: datetime) -> bool:
    return commitment.mark_review_due(now, SCHEDULER, now)


def silence(commitment: Commitment, now: datetime) -> bool:
    return commitment.confirm_by_silence(now, SCHEDULER, now)


@dataclass
class ScanResult:
    overdue: int = 0
    due_soon: int = 0
    review_due: int = 0
    escalated: int = 0  # commitments that reached a step of their ladder
    confirmed_by_silence: int = 0  # pending changes whose silence period passed with no objection


def _unreported(result: ScanResult) -> None:
    pass


class Scanner:
    def __init__(
        self,
        records: Records,
        catalogue: Catalogue,
        ladder: Ladder = NO_LADDER,
        batch: int = BATCH,
        report: Callable[[ScanResult], object] = _unreported,
    ) -> None:
        """``report``: told what each tick recorded (the service's metrics count it)."""
        self.records = records
        self.catalogue = catalogue
        self.ladder = ladder  # the deployment's; a party may keep its own for what it leads
        self.batch = batch
        self.report = report

    def tick(self) -> ScanResult:
        now = self.records.now()
        result = ScanResult(
            overdue=self._each(self.catalogue.overdue_candidates, now, overdue),
            due_soon=self._each(self.catalogue.due_soon_candidates, now, due_soon),
            review_due=self._each(self.catalogue.review_candidates, now, review_due),
            escalated=self._escalate(now),
            confirmed_by_silence=self._each(self.catalogue.silence_candidates, now, silence),
        )
        self.report(result)
        return result

    def _escalate(self, now: datetime) -> int:
        """Each ladder's candidates in turn: the deployment's for the parties without one of their own."""
        own = self.catalogue.own_ladders()
        mark = self.escalation()
        recorded = 0
        for leads, ladder in [(None, self.ladder), *(([party_id], kept) for party_id, kept in own.items())]:
            if ladder.steps:
                candidates = functools.partial(
                    self.catalogue.escalation_candidates, ladder=ladder, leads=leads, others_than=list(own)
                )
                recorded += self._each(candidates, now, mark)
        return recorded

    def escalation(self) -> Mark:
        """Escalate a commitment by its lead party's ladder (or the deployment's), telling the parties
        each step names; the parties and meetings read are kept for the tick."""
        parties: dict[UUID, Party] = {}
        meetings: dict[UUID, Meeting] = {}

        def read(cls: type, cache: dict[UUID, Any], aggregate_id: UUID) -> Any:
            if aggregate_id not in cache:
                cache[aggregate_id] = self.records.get(cls, aggregate_id)
            return cache[aggregate_id]

        def escalate(commitment: Commitment, now: datetime) -> bool:
            lead: Party = read(Party, parties, commitment.lead_party_id)
            ladder = self.ladder if lead.ladder is None else lead.ladder

            def audience(to: Audience) -> tuple[UUID, ...]:
                chairs = (
                    read(Meeting, meetings, commitment.provenance.meeting_id).chairs
                    if to is Audience.MEETING_CHAIRS
                    else ()
                )
                return told(to, lead.id, lead.parent_id, chairs)

            return commitment.escalate(ladder, now, audience, SCHEDULER, now)

        return escalate

    def _each(self, candidates: Callable[[datetime, int], list[str]], now: datetime, mark: Mark) -> int:
        """Each batch of candidates is marked together (one transaction for the batch's events)."""
        recorded = 0
        seen: set[str] = set()
        while True:
            ids = [i for i in candidates(now, self.batch) if i not in seen]
            if not ids:
                return recorded
            seen.update(ids)
            recorded += self.mark_many(ids, mark)

    def mark_many(self, commitment_ids: Sequence[str], mark: Mark) -> int:
        """Mark a batch in one save (one transaction); how many were recorded. If another process
        changed one of them first, the batch stores nothing and each is marked on its own."""
        now = self.records.now()
        found = self.records.read_many([UUID(commitment_id) for commitment_id in commitment_ids])
        read = [as_read(aggregate) for aggregate in found.values()]
        changed = [c for c in found.values() if isinstance(c, Commitment) and mark(c, now)]
        if not changed:
            return 0
        try:
            self.records.save(*changed, read=read)
            return len(changed)
        except ConcurrentUpdate:
            recorded = 0
            for commitment in changed:
                try:
                    recorded += self.mark(commitment.id, mark)
                except ConcurrentUpdate:
                    continue  # the next tick looks again
            return recorded

    def mark(self, commitment_id: UUID | str, mark: Mark, attempts: int = 5) -> bool:
        """Optimistic concurrency is the deduplicator: when another process changed the commitment
        first, it is read again and the rule decides anew (often: nothing to do). True if recorded here."""
        for _ in range(attempts):
            commitment = self.records.get(Commitment, commitment_id)
            read = as_read(commitment)
            if not mark(commitment, self.records.now()):
                return False
            try:
                self.records.save(commitment, read=[read])
            except ConcurrentUpdate:
                continue
            return True
        raise ConcurrentUpdate()
