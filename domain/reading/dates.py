"""Dates in a meeting report, as they are written, each with its span of the text.

Read here: days, ranges and months with month names of every spelling (``written_dates``), in
Arabic-Indic or Latin digits («18-20 يوليو 2022», «يومي 8 و9 يوليوز», «فاتح يوليوز», «July 18, 2022»);
days relative to the publication date («اليوم الجمعة», «28 نونبر الماضي», «28 من الشهر الجاري»,
"today"); years («في 2024», «سنة 2025»), periods («2023-2028») and spans after the meeting
(«للسنتين القادمتين», "for the next two years"). dateparser 1.5 read 3 of the 12 forms the shared
samples hold (the Mashriq months only, no ranges, no relative days): rules read them all.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Required, TypedDict

from domain.commitments.written_dates import MONTHS, month_number
from domain.reading.spans import Taken, begins_with

_DIGITS = str.maketrans(
    {**{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}}
)
_NAMES = sorted({name for names in MONTHS.values() for name in names}, key=len, reverse=True)
MONTH = "(?:" + "|".join(re.escape(name) for name in _NAMES) + ")"
# the same month in a second spelling after it, as the Levant writes both: «مايو/أيار», «تشرين الثاني (نوفمبر)»
_SECOND_NAME = rf"(?:\s*/\s*{MONTH}|\s*\(\s*{MONTH}\s*\))?"
_B = r"(?<![\w])"  # not inside a word
_E = r"(?![\w])"
_DASH = r"(?:-|–|—|&?ndash;|&?mdash;|إلى|الى|حتى|to|until)"


def _at(*words: str) -> str:
    """Where a match can begin: with the first letter of one of the words, not inside a word."""
    return begins_with(*words) + _B


# a day's digits may follow a word without a space («الثلاثاء26 ديسمبر»), never a digit or a Latin letter
_AT_DAY = begins_with(*"0123456789", "فاتح", "الفاتح") + r"(?:(?<![\dA-Za-z])(?=\d)|(?<!\w))"
_AT_MONTH = _at(*_NAMES)
_MONTH_AHEAD = begins_with(*_NAMES)  # where a month's name must follow
_DAY = r"(?:\d{1,2}|فاتح|الفاتح)"
_YEAR = r"(?:19|20)\d{2}"
_RELATIVE_WORDS = {
    "الماضي": -1,
    "المنصرم": -1,
    "الفائت": -1,
    "last": -1,
    "الجاري": 0,
    "الحالي": 0,
    "this": 0,
    "المقبل": 1,
    "القادم": 1,
    "next": 1,
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "ten": 10,
    "واحدة": 1,
    "ثلاث": 3,
    "الثلاث": 3,
    "الثلاثة": 3,
    "أربع": 4,
    "الأربع": 4,
    "خمس": 5,
    "الخمس": 5,
    "عشر": 10,
}
_DUAL_YEARS = r"(?:ال)?(?:سنتين|سنتان|عامين|عامان)"


@dataclass(frozen=True)
class FoundDate:
    """``kind``: day, range, month (or a quarter: its three months), year, period or span (after the meeting:
    ``amount`` ``unit``)."""

    kind: str
    start: int
    end: int
    first: date | None = None
    last: date | None = None
    year: int | None = None
    amount: int | None = None
    unit: str | None = None


class _Reading(TypedDict, total=False):
    """What ``_read`` makes of a match: the fields of a ``FoundDate`` but its place."""

    kind: Required[str]
    first: date
    last: date
    year: int
    amount: int
    unit: str


def plain(text: str) -> str:
    """The text with every digit in 0-9: the same length, so offsets hold."""
    return text.translate(_DIGITS)


def _day(value: str) -> int:
    return 1 if "فاتح" in value else int(value)


def _safe(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _year_for(month: int, day: int, published: date, relative: int | None) -> int:
    """The year of a day written without one: the last such day (``الماضي``), the next, or the one
    nearest the publication date."""
    this_year = _safe(published.year, month, min(day, monthrange(published.year, month)[1])) or published
    if relative == -1:
        return published.year if this_year <= published else published.year - 1
    if relative == 1:
        return published.year if this_year > published else published.year + 1
    if this_year - published > timedelta(days=183):
        return published.year - 1
    if published - this_year > timedelta(days=183):
        return published.year + 1
    return published.year


_QUARTERS = {
    **dict.fromkeys(("first", "1st", "الأول"), 1),
    **dict.fromkeys(("second", "2nd", "الثاني"), 2),
    **dict.fromkeys(("third", "3rd", "الثالث"), 3),
    **dict.fromkeys(("fourth", "4th", "last", "الرابع", "الأخير"), 4),
}
_TODAY = ("اليوم", "يومه", "أمس", "الأمس", "امس", "الامس", "البارحة", "غدا", "غداً", "today", "yesterday", "tomorrow")
_SHIFTS = {
    **dict.fromkeys(("أمس", "الأمس", "امس", "الامس", "البارحة", "yesterday"), -1),
    **dict.fromkeys(("غدا", "غداً", "tomorrow"), 1),
}
_WEEKDAYS = {  # Monday is 0, as ``date.weekday``
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_WORDS = "|".join(_WEEKDAYS)
_AR_WEEKDAY_WORDS = "|".join(w for w in _WEEKDAYS if not w.isascii())
_EN_WEEKDAY_WORDS = "|".join(w.capitalize() for w in _WEEKDAYS if w.isascii())
# «اليوم» names today only as an adverb: «عقد اليوم», «اليوم الأحد», «صباح اليوم»; not «هذا اليوم الطويل», «اليوم
# العالمي», «اليوم الثاني» (a noun with its demonstrative or adjective); a weekday after it must be today's.
_NOT_TODAY_BEFORE = r"(?<!هذا )(?<!ذلك )(?<!نفس )(?<!ذات )(?<!this )(?<!that )(?<!same )"
_TODAY_PATTERN = re.compile(
    _at(*_TODAY) + _NOT_TODAY_BEFORE + rf"(?P<w>{'|'.join(_TODAY)}){_E}"
    rf"(?:[\s,،]+(?:(?P<wd>{_WEEKDAY_WORDS}){_E}|(?P<adjective>ال[^\s،,.]+)))?",
    re.IGNORECASE,
)
# a weekday named alone: «يوم الثلاثاء», «صباح الخميس», "on Tuesday": the last such day up to the publication
_WEEKDAY_PATTERN = re.compile(
    _at("ي", "ص", "م", "ل", "ا", "l", "n", *_EN_WEEKDAY_WORDS.split("|"))
    + rf"(?:(?:يوم|صباح|مساء|ليلة|ظهر)\s+(?P<ar>{_AR_WEEKDAY_WORDS})|(?P<ar2>{_AR_WEEKDAY_WORDS})(?=\s+(?P<rel>"
    rf"الماضي|المنصرم|المقبل|القادم){_E})|(?:(?<=، )|(?<=،)|(?<=, ))(?P<ar3>{_AR_WEEKDAY_WORDS})(?=\s*[،,])|"
    rf"(?:(?P<rel_en>last|next)\s+)?(?P<en>{_EN_WEEKDAY_WORDS})){_E}"
)  # «يوم الثلاثاء», «الثلاثاء الماضي», «وقع …، الأحد، مذكرة», "on Tuesday", "next Monday"
_YEAR_WORDS = (
    "بداية",
    "مطلع",
    "أوائل",
    "أواخر",
    "منتصف",
    "في",
    "خلال",
    "سنة",
    "عام",
    "بحلول",
    "قبل",
    "حتى",
    "بنهاية",
    "نهاية",
    "in",
    "by",
    "during",
    "until",
    "before",
    r"end\s+of",
)
_BEFORE_A_YEAR = "|".join(_YEAR_WORDS)
_AT_SPAN = _at("ل", "في", "خلال", "على", "ال", "سنتين", "عامين", "أعوام")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "cross",
        re.compile(
            rf"{_AT_DAY}(?P<d1>{_DAY})\s+{_MONTH_AHEAD}(?P<m1>{MONTH}){_SECOND_NAME},?\s*(?P<y1>{_YEAR})?\s*{_DASH}\s*"
            rf"(?P<d2>{_DAY})\s+{_MONTH_AHEAD}(?P<m2>{MONTH}){_SECOND_NAME},?\s*(?P<y>{_YEAR})?{_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "range",
        re.compile(
            # («يومي الثلاثاء 7 والأربعاء 8 سبتمبر»: a weekday before the second day)
            rf"{_AT_DAY}(?P<d1>{_DAY})\s*(?:{_DASH}|و|and)\s*(?:(?:{_WEEKDAY_WORDS}),?\s+)?(?P<d2>\d{{1,2}})\s+(?:من\s+)?"
            rf"(?:شهر\s+)?{_MONTH_AHEAD}(?P<m>{MONTH}){_SECOND_NAME},?\s*(?:(?:عام|سنة)\s+)?(?P<y>{_YEAR})?{_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "range_en",
        re.compile(
            rf"{_AT_MONTH}(?P<m>{MONTH})\s+(?P<d1>\d{{1,2}})\s*(?:-|–|to)\s*(?P<d2>\d{{1,2}}),?\s*"
            rf"(?P<y>{_YEAR})?{_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "range_this_month",  # «يومي 5 و6 الجاري», «من 5 إلى 8 من الشهر الجاري»
        re.compile(
            rf"{_AT_DAY}(?P<d1>\d{{1,2}})\s*(?:{_DASH}|و)\s*(?P<d2>\d{{1,2}})\s+(?:من\s+)?(?:(?:ال)?شهر\s+)?"
            rf"(?P<rel>الجاري|الحالي|الماضي|المنصرم|المقبل|القادم){_E}"
        ),
    ),
    (
        "day",
        re.compile(
            rf"{_AT_DAY}(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+|من\s+)?(?:شهر\s+)?{_MONTH_AHEAD}"
            rf"(?P<m>{MONTH}){_SECOND_NAME}(?:,?\s*(?:(?:عام|سنة)\s+)?(?P<y>{_YEAR}))?"
            rf"(?:\s+(?P<rel>الماضي|المنصرم|الفائت|الجاري|المقبل|القادم))?{_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "day_en",
        re.compile(
            rf"{_AT_MONTH}(?P<m>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>{_YEAR})?{_E}", re.IGNORECASE
        ),
    ),
    (
        "this_month",  # «28 من الشهر الجاري», «5 الجاري»
        re.compile(
            rf"{_AT_DAY}(?P<d>\d{{1,2}})\s+(?:من\s+(?:الشهر|شهر)\s+)?"
            rf"(?P<rel>الجاري|الحالي|الماضي|المنصرم|المقبل){_E}"
        ),
    ),
    (
        "month",
        re.compile(
            rf"{_at(*_NAMES, 'شهر')}(?:شهر\s+)?{_MONTH_AHEAD}(?P<m>{MONTH}){_SECOND_NAME}\s*,?\s*"
            # «مارس 2024», «في شهر مارس المقبل»: this year's month, the next one or the last one
            rf"(?:(?:(?:عام|سنة)\s+)?(?P<y>{_YEAR})|(?P<rel>الماضي|المنصرم|الفائت|الجاري|الحالي|المقبل|القادم)){_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "quarter",  # "the third quarter of 2012", "Q3 2012", «الربع الثالث من عام 2012»: its three months
        re.compile(
            rf"{_at('f', 's', 't', 'l', '1', '2', '3', '4', 'Q', 'ا')}(?:(?P<en>first|second|third|fourth|last|1st|2nd|"
            rf"3rd|4th)\s+quarter\s+of\s+(?:the\s+year\s+)?|Q(?P<q>[1-4])\s+|(?:ال)?ربع\s+(?P<ar>الأول|الثاني|"
            rf"الثالث|الرابع|الأخير)\s+(?:من\s+)?(?:(?:عام|سنة|العام)\s+)?)(?P<y>{_YEAR}){_E}",
            re.IGNORECASE,
        ),
    ),
    ("today", _TODAY_PATTERN),
    ("weekday", _WEEKDAY_PATTERN),
    ("period", re.compile(rf"{_at('1', '2')}(?P<a>{_YEAR})\s*[-–/]\s*(?P<b>{_YEAR}){_E}")),
    (
        "span",
        re.compile(
            rf"{_AT_SPAN}(?:(?:لل|ل|في\s+ال|خلال\s+ال|على\s+مدى\s+ال|ال)?(?P<dual>{_DUAL_YEARS})|"
            rf"(?:لل|ال|في\s+ال|خلال\s+ال)?(?:سنوات|أعوام)\s+(?P<n>\S+))\s+"
            rf"(?:القادمتين|المقبلتين|القادمين|المقبلين|القادمة|المقبلة){_E}"
        ),
    ),
    (
        "span_en",
        re.compile(
            rf"{_at('for', 'over', 'in', 'within', 'during')}(?:for|over|in|within|during)\s+the\s+"
            rf"(?:next|coming|following)\s+(?P<n>\w+)\s+(?P<u>years?|months?){_E}",
            re.IGNORECASE,
        ),
    ),
    (
        "this_year",  # «قبل نهاية السنة الجارية», «العام المقبل», "next year"
        re.compile(
            _at("ال", "this", "next", "the")
            + r"(?:(?:ال)?(?P<unit>سنة|عام)\s+(?P<rel>الجارية|الجاري|الحالية|الحالي|المقبلة|المقبل|القادمة|القادم)|"
            r"(?P<en>this|next|the\s+coming|the\s+current)\s+year)(?![\w])",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            rf"{_at(*_YEAR_WORDS)}(?:(?:{_BEFORE_A_YEAR})"
            rf"\s+(?:(?:عام|سنة|the\s+year)\s+)?)(?P<y>{_YEAR}){_E}(?!\s*[-–/]\s*\d)",
            re.IGNORECASE,
        ),
    ),
]


def _weekday_near(around: date, weekday: int, shift: int) -> date | None:
    """The day of ``weekday`` in the week up to ``around`` (after it, for a day ahead: «غداً الأحد»); None if
    it names a day more than a week away."""
    if shift > 0:
        ahead = (weekday - around.weekday()) % 7
        return around + timedelta(days=ahead)
    back = (around.weekday() - weekday) % 7
    return around - timedelta(days=back)


def _written_after(written: str, taken: Taken, end: int) -> bool:
    """Whether a date read already follows ``end``, past spaces, commas and an opening bracket."""
    after = end
    while after < len(written) and after - end < 4 and written[after] in " \t,،(-":
        after += 1
    return after < len(written) and taken.meets(after, after + 1)


def find_dates(text: str, published: date) -> list[FoundDate]:
    """Every date the text writes, in the order written; where two readings overlap, the longer wins."""
    written = plain(text)
    found: list[FoundDate] = []
    taken = Taken(len(written))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(written):
            start, end = match.span()
            if taken.meets(start, end):
                continue
            if kind in ("today", "weekday") and _written_after(written, taken, end):
                continue  # «اليوم الخميس (13 يونيو 2024)»: the date written says it
            reading = _read(kind, match, published)
            if reading is None:
                continue
            found.append(FoundDate(start=start, end=end, **reading))
            taken.take(start, end)
    return sorted(found, key=lambda f: f.start)


def _read(kind: str, match: re.Match[str], published: date) -> _Reading | None:
    group = match.groupdict()
    if kind in ("cross", "range", "range_en", "range_this_month"):
        relative = _RELATIVE_WORDS.get(group.get("rel") or "")
        first_month: int | None
        last_month: int | None
        if kind == "range_this_month":
            first_month = last_month = (published.month - 1 + (relative or 0)) % 12 + 1
            year = published.year + ((published.month - 1 + (relative or 0)) // 12)
        else:
            first_month = month_number(group.get("m1") or group["m"])
            last_month = month_number(group.get("m2") or group["m"])
        if first_month is None or last_month is None:
            return None
        d1, d2 = _day(group["d1"]), _day(group["d2"])
        if kind != "range_this_month":
            year = int(group["y"]) if group.get("y") else _year_for(first_month, d1, published, None)
        first_year = int(group["y1"]) if group.get("y1") else year
        if not group.get("y1") and last_month < first_month:  # «من 28 ديسمبر إلى 2 يناير 2025»: across the year
            first_year = year - 1 if group.get("y") else year
            year = year if group.get("y") else year + 1
        first = _safe(first_year, first_month, d1)
        last = _safe(year, last_month, d2)
        if first is None or last is None or last < first or (last - first).days > 60:
            return None
        return {"kind": "range", "first": first, "last": last}
    if kind in ("day", "day_en", "this_month"):
        month = published.month if kind == "this_month" else month_number(group["m"])
        if month is None:
            return None
        day = _day(group["d"])
        relative = _RELATIVE_WORDS.get(group.get("rel") or "")
        if kind == "this_month":
            month = (published.month - 1 + (relative or 0)) % 12 + 1
            year = published.year + ((published.month - 1 + (relative or 0)) // 12)
        elif relative == 0 and not group.get("y"):  # «4 ماي الجاري»: this year's
            year = published.year
        else:
            year = int(group["y"]) if group.get("y") else _year_for(month, day, published, relative)
        day_found = _safe(year, month, day)
        return None if day_found is None else {"kind": "day", "first": day_found, "last": day_found}
    if kind == "month":
        month = month_number(group["m"])
        if month is None:
            return None
        if group.get("y"):
            year = int(group["y"])
        else:
            relative = _RELATIVE_WORDS.get(group.get("rel") or "") or 0
            year = (
                published.year + (relative > 0 and month < published.month) - (relative < 0 and month > published.month)
            )
        return {"kind": "month", "first": date(year, month, 1), "last": date(year, month, monthrange(year, month)[1])}
    if kind == "quarter":
        said = (group.get("en") or group.get("ar") or group.get("q") or "").lower()
        quarter = _QUARTERS.get(said) or int(said)
        year = int(group["y"])
        last_month = 3 * quarter
        return {
            "kind": "month",
            "first": date(year, last_month - 2, 1),
            "last": date(year, last_month, monthrange(year, last_month)[1]),
        }
    if kind == "today":
        shift = _SHIFTS.get(group["w"].lower(), 0)
        if group.get("wd"):  # «اليوم الأحد», «أمس الأحد»: that weekday in the week the shift points to
            day_found = _weekday_near(published + timedelta(days=shift), _WEEKDAYS[group["wd"].lower()], shift)
            if day_found is None:
                return None
        elif group.get("adjective"):  # «اليوم العالمي», «اليوم الأول»: a day named, not today
            return None
        else:
            day_found = published + timedelta(days=shift)
        return {"kind": "day", "first": day_found, "last": day_found}
    if kind == "weekday":  # «يوم الثلاثاء», «الثلاثاء الماضي», "on Tuesday", "next Monday"
        ahead = 1 if (group.get("rel") or group.get("rel_en") or "") in ("المقبل", "القادم", "next") else 0
        weekday = _WEEKDAYS[(group.get("ar") or group.get("ar2") or group.get("ar3") or group["en"]).lower()]
        said_before = (group.get("rel") or group.get("rel_en") or "") in ("الماضي", "المنصرم", "last")
        day_found = _weekday_near(published - timedelta(days=1 if said_before else -ahead), weekday, ahead)
        return None if day_found is None else {"kind": "day", "first": day_found, "last": day_found}
    if kind == "period":
        first_year, last_year = int(group["a"]), int(group["b"])
        if last_year <= first_year:
            return None
        return {"kind": "period", "first": date(first_year, 1, 1), "last": date(last_year, 12, 31)}
    if kind in ("span", "span_en"):
        if group.get("dual"):
            return {"kind": "span", "amount": 2, "unit": "years"}
        word = (group.get("n") or "").strip()
        amount = int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())
        if amount is None:
            return None
        unit = "months" if (group.get("u") or "").lower().startswith("month") else "years"
        return {"kind": "span", "amount": amount, "unit": unit}
    if kind == "year":
        return {"kind": "year", "year": int(group["y"])}
    if kind == "this_year":
        said = (group.get("rel") or group.get("en") or "").lower()
        ahead = said.startswith(("المقبل", "القادم", "next", "the coming"))
        return {"kind": "year", "year": published.year + (1 if ahead else 0)}
    return None
