"""What kind of meeting a report tells of, from its wording: a general meeting, an assembly (a general
assembly, a general conference, a council of foreign ministers), a forum («منتدى», «ملتقى»), a working
group, or talks between two sides (talks, a bilateral meeting, a working session, a visit received)."""

import re

from domain.reading.words import begun

_KINDS: list[tuple[str, str]] = [  # each with the letters it can begin with, tested first (see begins_with)
    ("general_meeting", begun("اg", r"(?:ال)?اجتماع(?:ات)?\s+(?:ال)?عام(?!ة)|general\s+meeting")),
    (
        "assembly",
        begun(
            "اجمgac",
            r"(?:ال)?جمعية\s+(?:ال)?عامة|(?:ال)?مؤتمر\s+(?:ال)?عام(?!ة)|general\s+(?:assembly|conference)|",
            r"\bassembly\b|(?:ال)?مجلس\s+وزراء\s+(?:ال)?خارجية|council\s+of\s+foreign\s+ministers",
        ),
    ),
    ("forum", begun("امf", r"(?:ال)?(?:منتدى|ملتقى)|\bforum\b")),
    ("working_group", begun("افأw", r"(?:ال)?فريق\s+(?:ال)?عامل|(?:ال)?أفرقة\s+(?:ال)?عاملة|working\s+group")),
    (
        "bilateral_talk",
        begun(
            "ميباتجلاtrmbwc",
            r"مباحثات|محادثات|يبحث|بحث\s+سبل|يستقبل|استقبل|التقى|(?:ال)?(?:اجتماع|لقاء)ا?\s+(?:ال)?ثنائي|",
            r"(?:ال)?جلس(?:ة|ات)\s+(?:ال)?(?:عمل|مباحثات)|talks|received|met\s+(?:[^.\n]{0,40}?\s)?with|",
            r"bilateral\s+meeting|",
            r"working\s+session|courtesy\s+(?:call|visit)",
        ),
    ),
]
KIND_PATTERNS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KINDS]
SESSION = re.compile(  # a numbered session of a series, or round of consultations: «الجولة الثانية»
    begun(
        "ادجsgr",
        r"(?:ال)?دورة|دورت(?:هما|هم|ها|ه)(?![\w])|\bsession\b|(?:ال)?اجتماع\s+(?:ال)?عام|general\s+meeting|",
        r"(?:ال)?جولة(?![\w])|\bround(?=\s+of\b)",
    ),
    re.IGNORECASE,
)


# what a meeting was held beside, not the meeting: «على هامش الدورة …», "on the sidelines of the General Assembly"
_BESIDE = re.compile(
    r"(?:على\s+هامش|on\s+the\s+(?:sidelines|margins?)\s+of|in\s+the\s+margins?\s+of)\s+(?:\S+\s+){0,4}$",
    re.IGNORECASE,
)
# a meeting held before this one: "as agreed at the last forum" (its kind is not this one's)
_BEFORE = re.compile(r"(?:previous|last|past|earlier|preceding)\s+$", re.IGNORECASE)
SIGNED = re.compile(begun("وتsS", r"(?:ال)?توقيع|وق(?:ع|ّع)(?:ت|ا|وا)?(?![\w])|\bsign(?:ed|s|ing)?\b"), re.IGNORECASE)


def meeting_kind(text: str, start: int = 0, end: int | None = None) -> tuple[str, int, int] | None:
    """The kind the first wording of a kind from ``start`` to ``end`` says, and where that wording is (what a
    meeting was held beside is not its kind); two sides signing, with no other wording, are talks."""
    end = len(text) if end is None else end
    best: tuple[str, int, int] | None = None
    for kind, pattern in KIND_PATTERNS:
        for match in pattern.finditer(text, start, end):
            if best is not None and match.start() >= best[1]:
                break
            if _BESIDE.search(text, max(start, match.start() - 40), match.start()):
                continue
            if _BEFORE.search(text, max(start, match.start() - 16), match.start()):
                continue
            best = (kind, match.start(), match.end())
            break
    if best is None:
        signed = SIGNED.search(text, start, end)
        if signed is not None:
            return ("bilateral_talk", signed.start(), signed.end())
    return best
