"""Session numbers as reports write them: ordinal words in Arabic and English, and digits."""

import re
from functools import lru_cache

from domain.reading.dates import plain
from domain.search import search_form

_UNITS_AR = {
    1: ("الأول", "الأولى", "الحادي", "الحادية"),
    2: ("الثاني", "الثانية"),
    3: ("الثالث", "الثالثة"),
    4: ("الرابع", "الرابعة"),
    5: ("الخامس", "الخامسة"),
    6: ("السادس", "السادسة"),
    7: ("السابع", "السابعة"),
    8: ("الثامن", "الثامنة"),
    9: ("التاسع", "التاسعة"),
    10: ("العاشر", "العاشرة"),
}
_TENS_AR = {
    20: ("العشرون", "العشرين"),
    30: ("الثلاثون", "الثلاثين"),
    40: ("الأربعون", "الأربعين"),
    50: ("الخمسون", "الخمسين"),
    60: ("الستون", "الستين"),
    70: ("السبعون", "السبعين"),
    80: ("الثمانون", "الثمانين"),
    90: ("التسعون", "التسعين"),
}
_EN_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _ordinal_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for n, words in _UNITS_AR.items():
        for word in words:
            if n == 1 and word in ("الحادي", "الحادية"):
                continue
            table[search_form(word)] = n
    for n in range(1, 10):
        for unit in _UNITS_AR[n]:
            if n == 1 and unit in ("الأول", "الأولى"):
                continue
            for ten in ("عشر", "عشرة"):
                table[search_form(f"{unit} {ten}")] = 10 + n
    for tens, words in _TENS_AR.items():
        for word in words:
            table[search_form(word)] = tens
            for n in range(1, 10):
                for unit in _UNITS_AR[n]:
                    if n == 1 and unit in ("الأول", "الأولى"):
                        continue
                    table[search_form(f"{unit} و{word.removeprefix('ال')}")] = tens + n
                    table[search_form(f"{unit} و{word}")] = tens + n
    for n, word in enumerate(_EN_ORDINALS, start=1):
        table[word] = n
    for index, cardinal in enumerate(_EN_TENS, start=2):
        table[f"{cardinal[:-1]}ieth"] = 10 * index  # twentieth, fiftieth
        for n in range(1, 10):
            for joint in ("-", " "):
                table[f"{cardinal}{joint}{_EN_ORDINALS[n - 1]}"] = 10 * index + n  # fifty-first
    return table


_ORDINALS = _ordinal_table()
_ORDINAL_WORDS = "|".join(sorted((re.escape(w) for w in _ORDINALS), key=len, reverse=True))


_ORDINAL_FIRST_WORDS = (
    {key.split()[0] for key in _ORDINALS}
    | {"ال", "الـ"}
    | {search_form(w) for w in ("المئة", "المائة", "المئتين", "المائتين", "مئة", "مائة")}
)


@lru_cache(maxsize=4096)
def may_begin_an_ordinal(word: str) -> bool:
    """Whether an ordinal can begin with this word: digits, «الـ», or an ordinal's first word."""
    return plain(word[0]).isdigit() or search_form(word) in _ORDINAL_FIRST_WORDS


def ordinal_at(text: str, start: int) -> tuple[int, int] | None:
    """The number of an ordinal written at ``start`` (a word, or digits as «الدورة 93», «الـ 91», 15th),
    and where it ends."""
    rest = search_form(text[start : start + 60])
    if len(rest) != len(text[start : start + 60]):  # diacritics: compare word by word instead
        rest = text[start : start + 60]
    digits = re.match(r"\s*(?:ال(?:ـ)?\s*)?(\d{1,3})(?:st|nd|rd|th)?(?![\d])", plain(rest))
    if digits:
        return int(digits.group(1)), start + digits.end()
    word = re.match(rf"\s*({_ORDINAL_WORDS})(?![\w])", rest)
    if word:
        hundreds = _HUNDREDS_AFTER.match(rest, word.end())  # «السابعة بعد المئة»: the hundred and seventh
        if hundreds:
            return _ORDINALS[word.group(1)] + _hundreds(hundreds.group(1)), start + hundreds.end()
        return _ORDINALS[word.group(1)], start + word.end()
    hundred = _HUNDRED_AND.match(rest)  # «المائة وأربعة»: the hundred and fourth
    if hundred:
        units = _CARDINALS.get(search_form(hundred.group(2) or ""), 0)
        return _hundreds(hundred.group(1)) + units, start + hundred.end()
    return None


def _hundreds(word: str) -> int:
    return 200 if "ت" in word else 100


_HUNDRED_WORD = (
    "(?:ال)?(?:"
    + "|".join(dict.fromkeys(search_form(w) for w in ("مئة", "مائة", "مئتين", "مائتين", "مئتي", "مائتي")))
    + ")"
)  # as searches fold them (the text compared is folded)
_HUNDREDS_AFTER = re.compile(rf"\s+بعد\s+({_HUNDRED_WORD})(?![\w])")
_CARDINALS = {
    search_form(word): n
    for n, words in {
        1: ("واحد", "واحدة"),
        2: ("اثنان", "اثنين", "اثنتان", "اثنتين"),
        3: ("ثلاث", "ثلاثة"),
        4: ("أربع", "أربعة", "اربع", "اربعة"),
        5: ("خمس", "خمسة"),
        6: ("ست", "ستة"),
        7: ("سبع", "سبعة"),
        8: ("ثمان", "ثماني", "ثمانية"),
        9: ("تسع", "تسعة"),
        10: ("عشر", "عشرة"),
    }.items()
    for word in words
}
_HUNDRED_AND = re.compile(
    rf"\s*({_HUNDRED_WORD})(?:\s+و\s?({'|'.join(sorted(_CARDINALS, key=len, reverse=True))}))?(?![\w])"
)
