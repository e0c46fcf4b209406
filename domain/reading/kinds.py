"""What kind of meeting a report tells of."""

import re

from domain.reading.words import begun

_KINDS: list[tuple[str, str]] = [  # each with the letters it can begin with, tested first (see begins_with)
    ("general_meeting", begun("اg", r"(?:ال)?اجتماع(?:ات)?\s+(?:ال)?عام|general\s+meeting")),
    (
        "assembly",
        begun(
            "اجمgac",
            r"(?:ال)?جمعية\s+(?:ال)?عامة|(?:ال)?مؤتمر\s+(?:ال)?عام|general\s+assembly|",
            r"\bassembly\b|(?:ال)?مجلس\s+وزراء\s+(?:ال)?خارجية|council\s+of\s+foreign\s+ministers",
        ),
    ),
    ("forum", begun("امf", r"(?:ال)?منتدى|\bforum\b")),
    ("working_group", begun("افأw", r"(?:ال)?فريق\s+(?:ال)?عامل|(?:ال)?أفرقة\s+(?:ال)?عاملة|working\s+group")),
    ("bilateral_talk", begun("ميباtrm", r"مباحثات|محادثات|يبحث|بحث\s+سبل|يستقبل|استقبل|talks|received|met\s+with")),
]
_KIND_PATTERNS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KINDS]
SESSION = re.compile(
    begun("ادsg", r"(?:ال)?دورة|\bsession\b|(?:ال)?اجتماع\s+(?:ال)?عام|general\s+meeting"), re.IGNORECASE
)


def meeting_kind(text: str) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1]):
            best = (kind, match.start(), match.end())
    return best
