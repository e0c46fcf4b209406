"""The scanner: on each tick, records the overdue, due-soon and review-due facts the clock has brought.

It asks the read model which commitments need a look (so its cost follows the work, not the
archive), and lets each commitment's own rules decide. Several scanners may run at once, in
threads or processes: optimistic concurrency on each commitment makes every fact recorded once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from application.queries import Catalogue
from application.tracker import Tracker

BATCH = 500


@dataclass
class ScanResult:
    overdue: int = 0
    due_soon: int = 0
    review_due: int = 0


class Scanner:
    def __init__(self, tracker: Tracker, catalogue: Catalogue, batch: int = BATCH) -> None:
        self.tracker = tracker
        self.catalogue = catalogue
        self.batch = batch

    def tick(self) -> ScanResult:
        result = ScanResult()
        now = self.tracker.now()
        result.overdue = self._each(self.catalogue.overdue_candidates, now, self.tracker.mark_many_overdue)
        result.due_soon = self._each(self.catalogue.due_soon_candidates, now, self.tracker.mark_many_due_soon)
        result.review_due = self._each(self.catalogue.review_candidates, now, self.tracker.mark_many_review_due)
        return result

    def _each(
        self, candidates: Callable[[datetime, int], list[str]], now: datetime, mark: Callable[[list[str]], int]
    ) -> int:
        """Each batch of candidates is marked together (one transaction for the batch's events)."""
        recorded = 0
        seen: set[str] = set()
        while True:
            ids = [i for i in candidates(now, self.batch) if i not in seen]
            if not ids:
                return recorded
            seen.update(ids)
            recorded += mark(ids)
