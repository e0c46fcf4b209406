"""Dues as people write them: in a spreadsheet's timeframe column, in an API request or a form,
in Arabic, English or French. One reader for every door, so a due the import reads is a due the
API reads: a year (2024, «عام 2024»), a quarter (2024-Q3, Q3 2024, «الربع الثالث 2025»), a month
(2024-06, June 2024, «يونيو 2024», 06/2024), a day (2024-06-30, 30/06/2024, 30 June 2024), a span
after the meeting (2 years, 18 months, «سنتين», «خلال ستة أشهر») or "ongoing" («مستمر»): no due."""

import re
from datetime import date, datetime

from domain.commitments.due import Due
from domain.commitments.written_dates import MONTH_PATTERN, month_number
from domain.errors import InvalidValue
from domain.search import bare_word, search_form

# -- timeframes --------------------------------------------------------------------------

_OPEN_ENDED = {
    search_form(word)
    for word in (
        "ongoing",
        "continuous",
        "continuing",
        "permanent",
        "open",
        "open-ended",
        "n/a",
        "-",
        "—",
        "en continu",
        "en cours",
        "مستمر",
        "مستمرة",
        "بشكل مستمر",
        "دائم",
        "دائمة",
        "مفتوح",
    )
}
_LEADING = {
    bare_word(search_form(word))
    for word in (
        "by",
        "in",
        "before",
        "within",
        "during",
        "over",
        "until",
        "the",
        "end",
        "of",
        "d'ici",
        "avant",
        "fin",
        "de",
        "dans",
        "en",
        "d",
        "في",
        "خلال",
        "بحلول",
        "قبل",
        "نهاية",
        "غضون",
        "حتى",
        "على",
        "مدى",
        "أقصاه",
        "موعد",
    )
}
_TRAILING = {
    bare_word(search_form(word))
    for word in (
        "next",
        "coming",
        "following",
        "prochaines",
        "prochains",
        "prochaine",
        "prochain",
        "القادمة",
        "القادمتين",
        "القادمين",
        "المقبلة",
        "المقبلتين",
        "المقبلين",
        "التالية",
        "after",
        "the",
        "meeting",
        "après",
        "la",
        "réunion",
        "بعد",
        "الاجتماع",
    )
}  # "2 years after the meeting"
_YEAR_WORDS = {bare_word(search_form(word)) for word in ("year", "année", "an", "عام", "سنة")}
_UNITS: dict[str, tuple[str, ...]] = {
    "years": ("years", "year", "yrs", "ans", "an", "années", "année", "سنوات", "سنة", "سنين", "أعوام", "عام", "عاما"),
    "months": ("months", "month", "mois", "أشهر", "شهور", "شهر", "شهرا"),
    "weeks": ("weeks", "week", "semaines", "semaine", "أسابيع", "أسبوع", "أسبوعا"),
    "days": ("days", "day", "jours", "jour", "أيام", "يوم", "يوما"),
}
_UNIT_OF = {bare_word(search_form(word)): unit for unit, words in _UNITS.items() for word in words}
_DUALS = {
    bare_word(search_form(word)): unit
    for unit, words in {
        "years": ("سنتين", "سنتان", "عامين", "عامان"),
        "months": ("شهرين", "شهران"),
        "weeks": ("أسبوعين", "أسبوعان"),
        "days": ("يومين", "يومان"),
    }.items()
    for word in words
}
_NUMBERS = {
    search_form(word): n
    for n, words in {
        1: ("one", "a", "un", "une", "واحد", "واحدة"),
        2: ("two", "deux"),
        3: ("three", "trois", "ثلاث", "ثلاثة"),
        4: ("four", "quatre", "أربع", "أربعة"),
        5: ("five", "cinq", "خمس", "خمسة"),
        6: ("six", "ست", "ستة"),
        10: ("ten", "dix", "عشر", "عشرة"),
        12: ("twelve", "douze"),
    }.items()
    for word in words
}
_QUARTERS = {
    bare_word(search_form(word)): n
    for n, words in {
        1: ("first", "premier", "الأول"),
        2: ("second", "deuxième", "الثاني"),
        3: ("third", "troisième", "الثالث"),
        4: ("fourth", "quatrième", "الرابع"),
    }.items()
    for word in words
}
_QUARTER_WORDS = {bare_word(search_form(word)) for word in ("quarter", "trimestre", "الربع")}
_MONTH_YEAR = re.compile(rf"^(?:(\d{{1,2}})\s+)?({MONTH_PATTERN})\.?\s*(\d{{1,2}})?,?\s+(\d{{4}})$")


def span_words(text: str) -> list[str]:
    """A text's words in the form spans are read in: search form, without an attached article."""
    return [bare_word(word) if re.fullmatch(r"[^\W\d_]+", word) else word for word in search_form(text).split()]


def written_span(words: list[str]) -> tuple[int, str] | None:
    """The span some words state ("2 years", "six months", «سنتين»): its amount and unit, or None."""
    if len(words) == 1 and words[0] in _DUALS:
        return 2, _DUALS[words[0]]
    if len(words) == 1 and words[0] in _UNIT_OF:
        return 1, _UNIT_OF[words[0]]
    if len(words) == 2 and words[1] in _UNIT_OF:
        amount = int(words[0]) if words[0].isdigit() else _NUMBERS.get(words[0])
        if amount is not None:
            return amount, _UNIT_OF[words[1]]
    return None


def _calendar(text: str) -> tuple[str, str] | None:
    """(precision, value) of a calendar timeframe in search form, or None."""
    if re.fullmatch(r"\d{4}", text):
        return "year", text
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return ("day" if len(text) == 10 else "month"), text
    quarter = re.fullmatch(r"(\d{4})\s*[-/ ]?\s*q([1-4])|q([1-4])\s*[-/ ]?\s*(\d{4})", text)
    if quarter:
        return "quarter", f"{quarter[1] or quarter[4]}-Q{quarter[2] or quarter[3]}"
    day = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if day:
        return "day", f"{day[3]}-{int(day[2]):02d}-{int(day[1]):02d}"
    month = re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", text)
    if month:
        return "month", f"{month[2]}-{int(month[1]):02d}"
    named = _MONTH_YEAR.fullmatch(text)
    if named and month_number(named[2]):
        number = month_number(named[2])
        of_month = named[1] or named[3]
        if of_month:
            return "day", f"{named[4]}-{number:02d}-{int(of_month):02d}"
        return "month", f"{named[4]}-{number:02d}"
    words = [bare_word(word) for word in text.split()]
    if len(words) >= 3 and words[0] in _QUARTER_WORDS and words[1] in _QUARTERS and words[-1].isdigit():
        return "quarter", f"{words[-1]}-Q{_QUARTERS[words[1]]}"
    return None


def written_due(value: object, time_zone: str, field: str) -> Due | None:
    """The due a timeframe cell states (None: empty, or written as ongoing); refused, naming the
    field, when it is none of the forms this reader reads."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Due.of("day", time_zone, value.isoformat(), field_name=field)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(search_form(str(value)).split())
    if not text or text in _OPEN_ENDED:
        return None
    written = text.split()
    words = span_words(text)
    start, end = 0, len(words)
    while start < end and words[start] in _LEADING:
        start += 1
    while end > start and words[end - 1] in _TRAILING:
        end -= 1
    relative = written_span(words[start:end])
    if relative is not None:
        return Due.of("relative", time_zone, amount=relative[0], unit=relative[1], field_name=field)
    while start < end and words[start] in _YEAR_WORDS:
        start += 1
    calendar = _calendar(" ".join(written[start:end]))
    if calendar is None:
        raise InvalidValue(
            "{value!r} is not a timeframe: write a year (2024), a quarter (2024-Q3, Q3 2024), a month "
            "(2024-06, June 2024, يونيو 2024), a day (2024-06-30, 30/06/2024), a span after the "
            "meeting (2 years, 18 months, سنتين) or 'ongoing' (مستمر) for none",
            field,
            value=str(value),
        )
    return Due.of(calendar[0], time_zone, calendar[1], field_name=field)


def stated_due(
    precision: str | None,
    time_zone: str,
    value: str | None = None,
    amount: int | None = None,
    unit: str | None = None,
    field: str = "due",
) -> Due | None:
    """A due as a request or a form states it: ``precision`` with its value in the canonical form
    (2025-Q3) or any written form of that precision ("Q3 2025"); ``relative`` with ``amount`` and
    ``unit`` or a written span ("18 months"); or, with no precision, ``value`` in any written form
    (None when it says "ongoing")."""
    if precision is None:
        if value is None:
            raise InvalidValue(
                "give the due's precision, or its value as written (e.g. 'Q3 2025')", f"{field}.precision"
            )
        return written_due(value, time_zone, field)
    try:
        return Due.of(precision, time_zone, value, amount, unit, field)
    except InvalidValue as refused:
        if value is None or amount is not None or unit is not None:
            raise
        try:
            read = written_due(value, time_zone, field)
        except InvalidValue:
            raise refused from None
        if read is None or read.precision.value != precision:
            raise refused from None
        return read
