"""Action matrices as spreadsheets: which column holds what, how a cell names parties and a
timeframe, and what identifies a row.

Columns are found by their header (``COLUMNS``, the documented table), in English, French or
Arabic, compared by ``name_key``: in search form and without the Arabic article, so «الجهة
المسؤولة» and «جهة مسؤولة» are the same header. A header may end with a language, ``activity
(fr)``, ``النشاط [ar]`` or ``notes_en``: the texts of that column are in that language.

A row is identified by its key (the ``key`` column, as written, in search form) or, in a file
without one, by its position among the data rows; its commitment's id is derived from the
agreement and that key (``row_commitment_id``), as ids are elsewhere, so importing the same row
again finds it.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

from domain.due import Due
from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.search import search_form, search_terms, word_keys
from domain.text import language_code
from domain.written_dates import MONTH_PATTERN, month_number

T = TypeVar("T")

FIELDS = ("key", "activity", "lead", "partners", "due", "notes")
REQUIRED = ("activity", "lead")
IN_LANGUAGES = ("activity", "notes")  # fields whose columns may be given once per language
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("key", "no", "no.", "number", "ref", "reference", "row", "id", "n°", "numéro", "رقم", "الرقم",
            "الرقم التسلسلي", "م", "ت", "المرجع"),
    "activity": ("activity", "activities", "action", "actions", "commitment", "activité", "activités", "النشاط",
                 "الأنشطة", "النشاطات", "الإجراء", "الإجراءات", "الالتزام"),
    "lead": ("lead party", "lead", "lead agency", "lead organisation", "lead organization", "responsible",
             "responsible party", "chef de file", "responsable", "الجهة المسؤولة", "الجهة المسؤولة عن التنفيذ",
             "الجهة المنفذة", "الجهة الرائدة", "المسؤول"),
    "partners": ("partners", "partner", "partner parties", "partner organisations", "partner organizations",
                 "supporting parties", "in cooperation with", "partenaires", "الجهات الشريكة", "الشركاء",
                 "الجهات المتعاونة", "بالتعاون مع"),
    "due": ("timeframe", "time frame", "due", "due date", "deadline", "timeline", "by", "échéance", "délai",
            "calendrier", "الإطار الزمني", "الموعد", "الموعد النهائي", "المدة الزمنية", "الجدول الزمني", "التاريخ",
            "المدة"),
    "notes": ("notes", "note", "remarks", "comments", "observations", "remarques", "ملاحظات", "تعليقات"),
}
_SYMBOLS = {"#": "key", "№": "key"}
_LANGUAGE_SUFFIX = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<a>[A-Za-z]{2})\)|\[(?P<b>[A-Za-z]{2})\]|[_:]\s*(?P<c>[A-Za-z]{2}))$")
MAX_KEY_LENGTH = 100


def _bare(word: str) -> str:
    """A word in search form without an attached Arabic article or particle (the shortest key)."""
    return min(word_keys(word), key=len)


def name_key(text: str) -> str:
    """How headers and party names are compared: the words in search form, without the article."""
    return " ".join(_bare(word) for word in search_terms(text))


_FIELD_OF = {name_key(header): field for field, headers in COLUMNS.items() for header in headers}


@dataclass(frozen=True)
class Column:
    position: int  # from 0, in the file's order
    header: str  # as written
    field: str  # one of FIELDS
    language: str | None = None  # the language of its texts, when the header names one


@dataclass(frozen=True)
class Layout:
    """What each column of a file holds; ``ignored``: the headers that name no field."""

    columns: tuple[Column, ...]
    ignored: tuple[str, ...]

    def of(self, field: str) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.field == field)


def _field_of(header: str) -> tuple[str, str | None] | None:
    stripped = header.strip()
    if stripped in _SYMBOLS:
        return _SYMBOLS[stripped], None
    field = _FIELD_OF.get(name_key(stripped))
    if field is not None:
        return field, None
    suffixed = _LANGUAGE_SUFFIX.match(stripped)
    if suffixed is None:
        return None
    field = _FIELD_OF.get(name_key(suffixed["name"]))
    if field is None:
        return None
    try:
        return field, language_code((suffixed["a"] or suffixed["b"] or suffixed["c"]).lower())
    except InvalidValue:
        return None


def layout(headers: Sequence[str | None]) -> Layout:
    """The columns of a file by their headers; refused if it lacks a column this import needs,
    or holds one field twice."""
    columns: list[Column] = []
    ignored: list[str] = []
    for position, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        found = _field_of(str(header))
        if found is None:
            ignored.append(str(header).strip())
            continue
        field, language = found
        if language is not None and field not in IN_LANGUAGES:
            language = None
        twice = next((c for c in columns if c.field == field and c.language == language), None)
        if twice is not None:
            raise InvalidValue(f"the columns {twice.header!r} and {str(header).strip()!r} both hold the {field}; "
                               "keep one (or name each one's language: 'activity (ar)', 'activity (en)')", "headers")
        columns.append(Column(position, str(header).strip(), field, language))
    for field in REQUIRED:
        if not any(column.field == field for column in columns):
            names = ", ".join(repr(name) for name in COLUMNS[field][:2] + COLUMNS[field][-3:])
            raise InvalidValue(f"no column holds the {field}: name one {names} (or another header of the "
                               "documented table)", "headers")
    return Layout(tuple(columns), tuple(ignored))


def row_key(value: object) -> str | None:
    """A row's key as it is compared: in search form (``١٢`` is ``12``), spaces collapsed."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    key = " ".join(search_form(value.isoformat() if isinstance(value, date) else str(value)).split())
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidValue(f"a row's key is at most {MAX_KEY_LENGTH} characters", "key")
    return key or None


def row_commitment_id(agreement_id: UUID, key: str) -> UUID:
    """The commitment that a row of an agreement's matrix stands for, whenever it is imported."""
    return derived_id("matrix-row", f"{agreement_id}:{key}")


class PartyNames(Generic[T]):
    """Parties found by acronym (any case) or by any of their names in any language (``name_key``).
    A name two parties share finds neither: a cell never names a party by a guess."""

    def __init__(self, parties: Iterable[tuple[T, str, Iterable[str]]]) -> None:
        self._acronyms: dict[str, T] = {}
        self._names: dict[str, T | None] = {}
        for party, acronym, names in parties:
            self._acronyms[acronym.casefold()] = party
            for name in names:
                key = name_key(name)
                if key:
                    self._names[key] = party if self._names.get(key, party) == party else None

    def find(self, text: str) -> T | None:
        text = text.strip()
        found = self._acronyms.get(text.casefold()) or self._names.get(name_key(text))
        if found is None and (bracketed := re.fullmatch(r"(.*?)\s*\(([^()]+)\)", text)):
            found = self._acronyms.get(bracketed[2].strip().casefold()) or self._names.get(name_key(bracketed[1]))
        return found


# Strong separators always part two names; weak ones (an "and", an Arabic و before a word) part
# names only where each side is a known party.
_SEPARATOR = re.compile(r"(\s*[,،;؛/|\n\r]+\s*|\s+(?:and|et|&)\s+|\s+(?=و\S))")
_STRONG = re.compile(r"[,،;؛/|\n\r]")


def named_parties(cell: str, find: Callable[[str], T | None]) -> tuple[list[T], list[str]]:
    """The parties a cell names (``find``: one name to a party, or None), and the names it found
    no party for, as written."""
    parts = _SEPARATOR.split(cell.strip())
    pieces, separators = parts[0::2], parts[1::2]
    found: list[T] = []
    unknown: list[str] = []
    run: list[str] = []  # unmatched pieces since the last strong separator, with the weak ones between

    def flush() -> None:
        name = "".join(run).strip()
        if name:
            unknown.append(name)
        run.clear()

    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = "".join(p + (separators[k] if k < j - 1 else "") for k, p in enumerate(pieces[i:j], start=i))
            party = find(candidate) if candidate.strip() else None
            if party is not None:
                flush()
                if party not in found:
                    found.append(party)
                i = j
                break
        else:
            if run:
                run.append(separators[i - 1])
            run.append(pieces[i])
            i += 1
        if i < len(pieces) and _STRONG.search(separators[i - 1]):
            flush()
    flush()
    return found, unknown


# -- timeframes --------------------------------------------------------------------------

_OPEN_ENDED = {search_form(word) for word in (
    "ongoing", "continuous", "continuing", "permanent", "open", "open-ended", "n/a", "-", "—", "en continu",
    "en cours", "مستمر", "مستمرة", "بشكل مستمر", "دائم", "دائمة", "مفتوح")}
_LEADING = {_bare(search_form(word)) for word in (
    "by", "in", "before", "within", "during", "over", "until", "the", "end", "of", "d'ici", "avant", "fin", "de",
    "dans", "en", "d", "في", "خلال", "بحلول", "قبل", "نهاية", "غضون", "حتى", "على", "مدى", "أقصاه", "موعد")}
_TRAILING = {_bare(search_form(word)) for word in (
    "next", "coming", "following", "prochaines", "prochains", "prochaine", "prochain", "القادمة", "القادمتين",
    "القادمين", "المقبلة", "المقبلتين", "المقبلين", "التالية")}
_YEAR_WORDS = {_bare(search_form(word)) for word in ("year", "année", "an", "عام", "سنة")}
_UNITS: dict[str, tuple[str, ...]] = {
    "years": ("years", "year", "yrs", "ans", "an", "années", "année", "سنوات", "سنة", "سنين", "أعوام", "عام", "عاما"),
    "months": ("months", "month", "mois", "أشهر", "شهور", "شهر", "شهرا"),
    "weeks": ("weeks", "week", "semaines", "semaine", "أسابيع", "أسبوع", "أسبوعا"),
    "days": ("days", "day", "jours", "jour", "أيام", "يوم", "يوما"),
}
_UNIT_OF = {_bare(search_form(word)): unit for unit, words in _UNITS.items() for word in words}
_DUALS = {_bare(search_form(word)): unit for unit, words in {
    "years": ("سنتين", "سنتان", "عامين", "عامان"), "months": ("شهرين", "شهران"),
    "weeks": ("أسبوعين", "أسبوعان"), "days": ("يومين", "يومان")}.items() for word in words}
_NUMBERS = {search_form(word): n for n, words in {
    1: ("one", "a", "un", "une", "واحد", "واحدة"), 2: ("two", "deux"), 3: ("three", "trois", "ثلاث", "ثلاثة"),
    4: ("four", "quatre", "أربع", "أربعة"), 5: ("five", "cinq", "خمس", "خمسة"), 6: ("six", "ست", "ستة"),
    10: ("ten", "dix", "عشر", "عشرة"), 12: ("twelve", "douze")}.items() for word in words}
_QUARTERS = {_bare(search_form(word)): n for n, words in {
    1: ("first", "premier", "الأول"), 2: ("second", "deuxième", "الثاني"), 3: ("third", "troisième", "الثالث"),
    4: ("fourth", "quatrième", "الرابع")}.items() for word in words}
_QUARTER_WORDS = {_bare(search_form(word)) for word in ("quarter", "trimestre", "الربع")}
_MONTH_YEAR = re.compile(rf"^(?:(\d{{1,2}})\s+)?({MONTH_PATTERN})\.?\s*(\d{{1,2}})?,?\s+(\d{{4}})$")
_EXAMPLES = ("a year (2024), a quarter (2024-Q3, Q3 2024), a month (2024-06, June 2024, يونيو 2024), a day "
             "(2024-06-30, 30/06/2024), a span after the meeting (2 years, 18 months, سنتين) or 'ongoing' "
             "(مستمر) for none")


def span_words(text: str) -> list[str]:
    """A text's words in the form spans are read in: search form, without an attached article."""
    return [_bare(word) if re.fullmatch(r"[^\W\d_]+", word) else word for word in search_form(text).split()]


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
    words = [_bare(word) for word in text.split()]
    if len(words) >= 3 and words[0] in _QUARTER_WORDS and words[1] in _QUARTERS and words[-1].isdigit():
        return "quarter", f"{words[-1]}-Q{_QUARTERS[words[1]]}"
    return None


def written_due(value: object, time_zone: str, field: str) -> Due | None:
    """The due a timeframe cell states (None: empty, or written as ongoing); refused, naming the
    field, when it is none of the forms this import reads (``_EXAMPLES``)."""
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
        raise InvalidValue(f"{str(value)!r} is not a timeframe: write {_EXAMPLES}", field)
    return Due.of(calendar[0], time_zone, calendar[1], field_name=field)
