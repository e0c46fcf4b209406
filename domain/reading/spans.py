"""Places in a text, found in time linear in its length: which characters a reading has taken
already, and which things (found dates, named parties) start between two offsets."""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Placed(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=Placed)


def begins_with(*words: str) -> str:
    """A look-ahead for the start of a pattern: a match begins with the first letter of one of the words.
    Tested first, it lets a place where no match begins cost one test, whatever the text holds there
    (without it, each place costs a try of every alternative)."""
    return "(?=[" + "".join(sorted({re.escape(word[0]) for word in words})) + "])"


class Taken:
    """The characters of a text some reading has taken: asking about a span costs its length only."""

    def __init__(self, length: int) -> None:
        self._marks = bytearray(length)

    def meets(self, start: int, end: int) -> bool:
        """Whether any character from ``start`` to ``end`` is taken."""
        return self._marks.find(1, start, end) != -1

    def take(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)


def _start(thing: Placed) -> int:
    return thing.start


def starting_within(things: Sequence[T], start: int, end: int) -> Sequence[T]:
    """Those of ``things`` (sorted by start) that start from ``start`` to before ``end``, in order."""
    return things[bisect_left(things, start, key=_start) : bisect_left(things, end, key=_start)]


def span_holding(spans: Sequence[tuple[int, int]], at: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, not overlapping) that holds the offset ``at``."""
    index = bisect_right(spans, at, key=lambda span: span[0]) - 1
    return spans[index] if index >= 0 and spans[index][0] <= at < spans[index][1] else None
