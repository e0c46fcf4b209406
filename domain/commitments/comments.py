"""Comments on a commitment: a thread of short messages by its parties, people and focal points, each in
its own language, that may name parties to tell (mentions). An administrator may hide one, with a reason:
the thread then shows that it was hidden, by whom and why; its words stay in the history (the audit log)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.errors import InvalidValue
from domain.evidence_files import EvidenceFile
from domain.text import clean_text, language_code

COMMENT_MAX = 2_000  # characters: a comment, not a report
MOST_MENTIONS = 10
MOST_COMMENTS = 1_000  # per commitment: its history stays one a reader can replay
MOST_FILES = 5  # attached to one comment


@dataclass(frozen=True)
class Comment:
    number: int  # from 1, in the order written
    text: str
    language: str | None
    mentions: tuple[UUID, ...]  # the parties it names, whose contacts are told
    actor: str
    at: datetime
    hidden_by: str | None = None
    hidden_reason: str | None = None
    files: tuple[EvidenceFile, ...] = ()  # attached to it (``domain.evidence_files``)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mentions", tuple(self.mentions))  # (a list, as a snapshot gives it back)
        object.__setattr__(self, "files", tuple(self.files))

    @property
    def hidden(self) -> bool:
        return self.hidden_by is not None


def comment_text(text: str, language: str | None) -> tuple[str, str | None]:
    """A comment's words, held to its rules, and the language it is written in (if said)."""
    words = clean_text(text, "text", COMMENT_MAX)
    if not words.strip():
        raise InvalidValue("a comment says something", "text")
    return words, None if language is None else language_code(language, "language")


def attached(files: tuple[EvidenceFile, ...]) -> tuple[EvidenceFile, ...]:
    """The files a comment carries, each held to the rules, at most five."""
    if len(files) > MOST_FILES:
        raise InvalidValue("a comment carries at most {most} files", "files", most=MOST_FILES)
    return tuple(f.checked(f"files[{index}]") for index, f in enumerate(files))


def mentioned(parties: tuple[UUID, ...]) -> tuple[UUID, ...]:
    """The parties a comment names, each once, in the order given."""
    unique = tuple(dict.fromkeys(parties))
    if len(unique) > MOST_MENTIONS:
        raise InvalidValue("a comment names at most {most} parties", "mentions", most=MOST_MENTIONS)
    return unique
