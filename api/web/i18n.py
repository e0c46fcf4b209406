"""The reader's language: which one a request asks for, the interface's strings in it (gettext
catalogues read with Babel), record texts picked for it, and dates and numbers written its way.

English is the language of the templates' message ids; Arabic and French have catalogues in
``locales/<language>/LC_MESSAGES/messages.po``. Arabic is written right to left.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from babel.units import format_unit
from hijridate import Gregorian

from api.negotiation import by_preference
from domain.commitments.due import last_day_before

LANGUAGES = ("en", "ar", "fr")  # the interface's languages; the first is the default
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}
LOCALES = Path(__file__).parent / "locales"


@cache
def direction(language: str | None) -> str:
    """``rtl`` for a language written right to left (Arabic, Persian, Urdu, Hebrew, …), else ``ltr``."""
    try:
        locale = Locale.parse((language or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def negotiate(accept_language: str | None, chosen: str | None = None) -> str:
    """The interface language: the one chosen with the switch if it is offered, else the first offered
    one in ``Accept-Language`` by quality (``ar-SA`` counts as ``ar``), else English."""
    if chosen in LANGUAGES:
        return chosen
    for tag in by_preference(accept_language):
        if tag.split("-")[0] in LANGUAGES:
            return tag.split("-")[0]
    return LANGUAGES[0]


@cache
def language_name(reader: str) -> Callable[[str], str]:
    """The name of a language in the reader's language ("الإنجليزية" for ``en`` to an Arabic reader), as
    CLDR writes it; a code it does not know stays as written."""
    names = _locale(reader).languages

    def name(code: str) -> str:
        return names.get(code.replace("-", "_")) or names.get(code.split("-")[0]) or code

    return name


@cache
def message_ids() -> frozenset[str]:
    """Every message id of the interface (the template catalogue's), plural forms by their singular."""
    with (LOCALES / "messages.pot").open("rb") as source:
        catalogue = read_po(source)
    return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id)


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language, compiled in memory from its ``.po`` file (no build step)."""
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as source:
        catalogue = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Shown:
    """A record's text as shown to a reader: the words, their language and their direction."""

    text: str
    lang: str
    dir: str
    translated: bool  # not in the authentic language


def shown(text: dict[str, Any] | None, language: str) -> Shown | None:
    """A multilingual text in the reader's language when it has it, else in its authentic language."""
    if not text or not text.get("texts"):
        return None
    texts: dict[str, str] = text["texts"]
    authentic = text.get("authentic") or next(iter(texts))
    for candidate in (language, *(tag for tag in texts if tag.split("-")[0] == language), authentic):
        if candidate in texts:
            return Shown(texts[candidate], candidate, direction(candidate), candidate != authentic)
    first = next(iter(texts))
    return Shown(texts[first], first, direction(first), first != authentic)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


class Formats:
    """Dates, instants and numbers written for one interface language (Babel's CLDR data), in the
    digits the reader chose (``latn`` 0123 or ``arab`` ٠١٢٣). A date or an instant never breaks
    across lines: its spaces are no-break spaces and its hyphens no-break hyphens."""

    def __init__(self, language: str, hijri: bool = False, digits: str = "latn") -> None:
        self.language = language
        self.locale = _locale(language)
        self.hijri = hijri
        self.digits = "arab" if digits == "arab" else "latn"

    def _written(self, text: str, whole: bool = True) -> str:
        if self.digits == "arab":
            text = text.translate(ARABIC_INDIC)
        return text.replace(" ", "\u00a0").replace("-", "\u2011") if whole else text

    def day(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
        written = format_date(day, format="long", locale=self.locale)
        hijri = self.hijri_day(day) if self.hijri else ""
        return self._written(written) + (f" ({self._written(hijri)})" if hijri else "")

    def hijri_day(self, day: date) -> str:
        """The day in the Hijri (Umm al-Qura) calendar, where the calendar's tables reach (1924–2077)."""
        try:
            hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        except (ValueError, OverflowError):
            return ""
        language: Literal["ar", "en"] = "ar" if self.language == "ar" else "en"
        return f"{hijri.day} {hijri.month_name(language)} {hijri.year} {hijri.notation(language)}"

    def instant(self, value: datetime | str | None, zone: str | None = None) -> str:
        if value is None or value == "":
            return ""
        tz = _zone(zone)
        return self._written(
            format_datetime(_moment(value).astimezone(tz), format="medium", tzinfo=tz, locale=self.locale)
            + ("" if zone else " UTC")
        )

    def due_day(self, due_at: datetime | str | None, zone: str | None) -> str:
        """The last day a due allows, in its time zone: a due passes at the first instant after it."""
        if due_at is None or due_at == "":
            return ""
        return self.day(last_day_before(_moment(due_at), _zone(zone).key))

    def due_value(self, precision: str, value: str | None) -> str:
        """A calendar due as the reader writes it: 2024, the 3rd quarter of 2025, June 2024, 30 June 2024."""
        if not value:
            return ""
        try:
            year = int(value[:4])
            if precision == "year":
                return self._written(format_date(date(year, 1, 1), "y", locale=self.locale))
            if precision == "quarter":
                return self._written(format_date(date(year, 3 * int(value[-1]), 1), "QQQQ y", locale=self.locale))
            if precision == "month":
                return self._written(format_date(date(year, int(value[5:7]), 1), "LLLL y", locale=self.locale))
            return self.day(value)
        except ValueError:
            return value

    def month(self, day: date) -> str:
        """A month and its year, short: "Dec 2026", «ديسمبر ٢٠٢٦»."""
        return self._written(format_date(day, "LLL y", locale=self.locale))

    def number(self, value: int | float) -> str:
        return self._written(format_decimal(value, locale=self.locale, numbering_system=self.digits), whole=False)

    def file_size(self, size: int) -> str:
        """A file's size as its reader writes it: 12 kB, 1.2 MB, «١٫٢ م.ب»."""
        unit, amount = (
            ("digital-megabyte", size / 1_000_000) if size >= 1_000_000 else ("digital-kilobyte", size / 1000)
        )
        written = format_unit(
            max(amount, 0.1), unit, "short", "#,##0.#", locale=self.locale, numbering_system=self.digits
        )
        return self._written(written, whole=False)

    def percent(self, value: int | float) -> str:
        written = format_percent(value / 100, locale=self.locale, numbering_system=self.digits)
        return self._written(written.replace("%", "٪") if self.digits == "arab" else written, whole=False)


def _moment(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@cache
def _zone(zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")
