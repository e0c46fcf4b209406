"""Words and sentences of a report: their places in the text, its language, where sentences end."""

import re
from dataclasses import dataclass

from domain.meetings.matrix_import import name_key
from domain.reading.spans import begins_with

_ARABIC_RUNS = re.compile("[\u0600-\u06ff]+")


def begun(letters: str, *alternatives: str) -> str:
    """The alternatives (parts of one pattern, joined), tested first for the letters they can begin with."""
    return begins_with(*letters) + "(?:" + "".join(alternatives) + ")"


_WORD = re.compile(r"[^\W_]+")


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


_ABBREVIATIONS = re.compile(r"(?:^|[\s(])(?:Mr|Ms|Mrs|Dr|Prof|H|H\.E|St|No|Amb|د)$")


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
