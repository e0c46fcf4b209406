"""Action matrices as spreadsheets: which column holds what, how a cell names parties, and what
identifies a row (a timeframe is read as any written due is: ``domain.commitments.written_dues``).

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

from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.search import bare_word, search_form, search_terms
from domain.text import language_code

T = TypeVar("T")

FIELDS = ("key", "activity", "lead", "partners", "due", "notes")
REQUIRED = ("activity", "lead")
IN_LANGUAGES = ("activity", "notes")  # fields whose columns may be given once per language
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": (
        "key",
        "no",
        "no.",
        "number",
        "ref",
        "reference",
        "row",
        "id",
        "n°",
        "numéro",
        "رقم",
        "الرقم",
        "الرقم التسلسلي",
        "م",
        "ت",
        "المرجع",
    ),
    "activity": (
        "activity",
        "activities",
        "action",
        "actions",
        "commitment",
        "text",
        "activité",
        "activités",
        "النشاط",
        "الأنشطة",
        "النشاطات",
        "الإجراء",
        "الإجراءات",
        "الالتزام",
    ),
    "lead": (
        "lead party",
        "lead",
        "lead agency",
        "lead organisation",
        "lead organization",
        "responsible",
        "responsible party",
        "chef de file",
        "responsable",
        "الجهة المسؤولة",
        "الجهة المسؤولة عن التنفيذ",
        "الجهة المنفذة",
        "الجهة الرائدة",
        "المسؤول",
    ),
    "partners": (
        "partners",
        "partner",
        "partner parties",
        "partner organisations",
        "partner organizations",
        "supporting parties",
        "in cooperation with",
        "partenaires",
        "الجهات الشريكة",
        "الشركاء",
        "الجهات المتعاونة",
        "بالتعاون مع",
    ),
    "due": (
        "timeframe",
        "time frame",
        "due",
        "due date",
        "due as given",
        "deadline",
        "timeline",
        "by",
        "échéance",
        "délai",
        "calendrier",
        "الإطار الزمني",
        "الموعد",
        "الموعد النهائي",
        "المدة الزمنية",
        "الجدول الزمني",
        "التاريخ",
        "المدة",
    ),
    "notes": ("notes", "note", "remarks", "comments", "observations", "remarques", "ملاحظات", "تعليقات"),
}
_SYMBOLS = {"#": "key", "№": "key"}
_LANGUAGE_SUFFIX = re.compile(
    r"^(?P<name>.+?)\s*(?:\((?P<a>[A-Za-z]{2})\)|\[(?P<b>[A-Za-z]{2})\]|[_:]\s*(?P<c>[A-Za-z]{2}))$"
)
MAX_KEY_LENGTH = 100


def name_key(text: str) -> str:
    """How headers and party names are compared: the words in search form, without the article."""
    return " ".join(bare_word(word) for word in search_terms(text))


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
            raise InvalidValue(
                "the columns {first!r} and {second!r} both hold the {column}; keep one (or name each "
                "one's language: 'activity (ar)', 'activity (en)')",
                "headers",
                first=twice.header,
                second=str(header).strip(),
                column=field,
            )
        columns.append(Column(position, str(header).strip(), field, language))
    for field in REQUIRED:
        if not any(column.field == field for column in columns):
            names = ", ".join(repr(name) for name in COLUMNS[field][:2] + COLUMNS[field][-3:])
            raise InvalidValue(
                "no column holds the {column}: name one {names} (or another header of the documented table)",
                "headers",
                column=field,
                names=names,
            )
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
        raise InvalidValue("a row's key is at most {most} characters", "key", most=MAX_KEY_LENGTH)
    return key or None


def row_commitment_id(agreement_id: UUID, key: str) -> UUID:
    """The commitment that a row of an agreement's matrix stands for, whenever it is imported."""
    return derived_id("matrix-row", f"{agreement_id}:{key}")


class PartyNames(Generic[T]):
    """Parties found by acronym (any case) or by any of their names and aliases in any language
    (``name_key``). A name two parties share finds neither: a cell never names a party by a guess
    (``sharing`` says which parties share it)."""

    def __init__(self, parties: Iterable[tuple[T, str | None, Iterable[str]]]) -> None:
        self._acronyms: dict[str, T] = {}
        self._names: dict[str, T | None] = {}
        self._labels: dict[str, list[str]] = {}  # a name's key -> what each party named so is called
        for party, acronym, all_names in parties:
            if acronym:
                self._acronyms[acronym.casefold()] = party
            names = list(all_names)
            label = acronym or (names[0] if names else "")
            for name in names:
                key = name_key(name)
                if key:
                    self._names[key] = party if self._names.get(key, party) == party else None
                    labels = self._labels.setdefault(key, [])
                    if label not in labels:
                        labels.append(label)

    def sharing(self, text: str) -> list[str]:
        """What the parties that share this name are called (their acronyms, or names); empty unless
        two or more do."""
        key = name_key(text.strip())
        return list(self._labels[key]) if key and key in self._names and self._names[key] is None else []

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
