"""Words and sentences of a report: their places in the text, its language, where sentences end."""

import re
from dataclasses import dataclass, field
from typing import Any

from domain.matrix_import import name_key
from domain.reading.spans import begins_with

_ARABIC_RUNS = re.compile("[\u0600-\u06ff]+")


def begun(letters: str, *alternatives: str) -> str:
    """The alternatives (parts of one pattern, joined), tested first for the letters they can begin with."""
    return begins_with(*letters) + "(?:" + "".join(alternatives) + ")"


_WORD = re.compile(r"[^\W_]+")


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


# The most of each kind one draft proposes: what one confirmation records. A text can support far more (a report
# at the length limit can name thousands of "promises"): those past the most are counted, not proposed.
PROPOSED_MOST = {
    "meeting": 1,
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
    _proposed: dict[str, int] = field(default_factory=dict, repr=False)

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


# -- words and their places --------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    key: str
    start: int
    end: int


def words_of(text: str) -> list[Word]:
    keys: dict[str, str] = {}  # a word's key, worked out once however often the text repeats it
    words = []
    for match in _WORD.finditer(text):
        written = match.group()
        key = keys.get(written)
        if key is None:
            key = keys[written] = name_key(written)
        if key:
            words.append(Word(key, match.start(), match.end()))
    return words


def language_of(text: str) -> str:
    letters = sum(map(str.isalpha, text))
    arabic = sum(map(str.isalpha, "".join(_ARABIC_RUNS.findall(text))))
    return "ar" if letters and arabic / letters > 0.3 else "en"


_ABBREVIATIONS = re.compile(r"(?:^|[\s(])(?:Mr|Ms|Mrs|Dr|Prof|H\.E|St|No|Amb|د)$")


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of the text as spans: ends at . ! ? ؟ ؛ or a line break (a full stop glued to the next
    word, «2022.وضم», ends one too; one after Mr, Dr or د does not)."""
    spans = []
    start = 0

    def close(end: int) -> None:
        piece = text[start:end]
        if piece.strip():
            spans.append((start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip()))))

    for match in re.finditer(r"[.!?؟؛](?!\d)|\n", text):
        if match.group() == "." and _ABBREVIATIONS.search(text[max(0, match.start() - 6) : match.start()]):
            continue
        close(match.start())
        start = match.end()
    close(len(text))
    return spans
