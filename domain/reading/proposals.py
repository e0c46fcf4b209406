"""What a reading proposes: each proposal with its span and confidence, the parties already known, and
the most of each kind one draft proposes."""

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Proposal:
    kind: str  # meeting, party, participant, agreement, commitment, follow_up, recurrence
    value: dict[str, Any]
    start: int
    end: int
    confidence: float

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class KnownParty:
    id: str
    acronym: str | None  # None: a party that goes by its name
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other names and spellings it is found by


# The most of each kind one draft proposes: what one confirmation records. A text can support far more (a report
# at the length limit can name thousands of "promises"): those past the most are counted, not proposed.
PROPOSED_MOST = {
    "meeting": 10,  # the main one and those a report tells of besides (``Reading.parts``)
    "party": 100,
    "participant": 200,
    "agreement": 50,
    "commitment": 200,
    "follow_up": 50,
    "recurrence": 50,
}


@dataclass
class Reading:
    language: str
    proposals: list[Proposal] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # kind -> how many more the text supports
    # what a reader must decide: an alias several registered parties share (name, span, the parties' ids and labels)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    # the part of the text each meeting is told in (start, end), in order: the first is the main meeting's
    parts: list[tuple[int, int]] = field(default_factory=list)
    _proposed: dict[str, int] = field(default_factory=dict, repr=False)

    def meeting_at(self, at: int) -> int:
        """The meeting (its place in ``of("meeting")``) whose part of the text holds the offset ``at``."""
        return max(0, bisect_right([start for start, _ in self.parts], at) - 1)

    def of(self, kind: str) -> list[Proposal]:
        return [p for p in self.proposals if p.kind == kind]

    def has_room(self, kind: str) -> bool:
        """Whether one more proposal of ``kind`` is proposed; if not, it is counted as left out (and need not
        be read further)."""
        if self._proposed.get(kind, 0) < PROPOSED_MOST[kind]:
            return True
        self.left_out[kind] = self.left_out.get(kind, 0) + 1
        return False

    def propose(self, proposal: Proposal) -> None:
        """Adds ``proposal``, which ``has_room`` allowed."""
        self.proposals.append(proposal)
        self._proposed[proposal.kind] = self._proposed.get(proposal.kind, 0) + 1
