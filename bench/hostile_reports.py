"""Texts built to make reading a report expensive, each at the length limit, and the report they are
measured against: the 6 kB sample the tests read (``tests/reports``)."""

import random
from collections.abc import Callable
from pathlib import Path

from domain.text import DOCUMENT_TEXT_MAX

SAMPLE = (Path(__file__).resolve().parent.parent / "tests" / "reports" / "unodc-egypt-2024.ar.txt").read_text(
    encoding="utf-8"
)


def repeated(piece: str) -> Callable[[], str]:
    return lambda: (piece * (DOCUMENT_TEXT_MAX // len(piece) + 1))[:DOCUMENT_TEXT_MAX]


def distinct_organisations() -> str:
    """Organisations with an acronym, every name a new word: nothing repeats, nothing is cached."""
    chance = random.Random(1)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    names: list[str] = []
    while sum(len(n) + 1 for n in names) < DOCUMENT_TEXT_MAX:
        word = "".join(chance.choice(letters) for _ in range(6))
        names.append(f"منظمة {word} ({''.join(chance.choice('ABCDEFGHIJ') for _ in range(4))})")
    return " ".join(names)[:DOCUMENT_TEXT_MAX]


HOSTILE: dict[str, Callable[[], str]] = {
    "the sample report, repeated": repeated(SAMPLE),
    "year ranges glued together": repeated("2024-2025-"),
    "digits and spaces": repeated("1 "),
    "dates in one endless sentence": repeated("1 يناير 2024 "),
    "co-chair cues with no full stop": repeated("اشترك في رئاسة السيد أحمد علي "),
    "follow-up sessions": repeated("اتفق على عقد الدورة القادمة في 2025. "),
    "promises naming parties and years": repeated("اتفق UN و OIC على العمل بحلول 2025. "),
    "new organisations, one name repeated": repeated("منظمة العمل الدولية (ABC) "),
    "new organisations, every name new": distinct_organisations,
    "ministries": repeated("وزارة الخارجية "),
}
