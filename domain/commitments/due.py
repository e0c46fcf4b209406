"""Dues: deadlines with a precision, resolved once to one UTC instant.

"In 2024" is due at the end of 2024, "in the third quarter of 2025" at the end of
September 2025, "within two years" at the end of the day two years after the
meeting ended. The end of a period is the first instant after it, at local
midnight in the due's time zone, so a commitment due "on 10 June" is overdue
from 11 June 00:00 where it was agreed. Days of 23 or 25 hours (daylight saving
changes) are handled by the time zone database, never by adding 24 hours.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


class Precision(Enum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RELATIVE = "relative"  # a span after the meeting's last day


class RelativeUnit(Enum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


_PATTERNS = {
    Precision.DAY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    Precision.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    Precision.QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    Precision.YEAR: re.compile(r"^(\d{4})$"),
}
_NOT_WRITTEN_AS = {
    Precision.YEAR: "{value!r} is not a year; write it like {example!r}",
    Precision.QUARTER: "{value!r} is not a quarter; write it like {example!r}",
    Precision.MONTH: "{value!r} is not a month; write it like {example!r}",
    Precision.DAY: "{value!r} is not a day; write it like {example!r}",
}
_EXAMPLES = {
    Precision.DAY: "2024-06-10",
    Precision.MONTH: "2024-06",
    Precision.QUARTER: "2024-Q2",
    Precision.YEAR: "2024",
}


# Cities people often write as zones although the IANA database names them otherwise.
_ZONE_HINTS = {
    "Europe/Geneva": "Europe/Zurich",
    "Asia/Astana": "Asia/Almaty",
    "Asia/Nur-Sultan": "Asia/Almaty",
    "Africa/Rabat": "Africa/Casablanca",
    "Asia/Mecca": "Asia/Riyadh",
    "Asia/Jeddah": "Asia/Riyadh",
    "Asia/Ankara": "Europe/Istanbul",
    "Europe/Ankara": "Europe/Istanbul",
}


def time_zone(key: str, field_name: str = "time_zone") -> str:
    """Return ``key`` when it names an IANA time zone, such as ``Asia/Riyadh``."""
    if not isinstance(key, str) or not key or len(key) > 64:
        raise InvalidValue("an IANA time zone is required, e.g. 'Europe/Geneva'", field_name)
    try:
        ZoneInfo(key)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        hint = _ZONE_HINTS.get(key)
        if hint:
            raise InvalidValue(
                "unknown time zone {zone!r}; that city keeps {hint!r} time", field_name, zone=key, hint=hint
            ) from None
        raise InvalidValue(
            "unknown time zone {zone!r}; use an IANA name such as 'Asia/Riyadh'", field_name, zone=key
        ) from None
    return key


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def start_of_day(day: date, zone: str) -> datetime:
    """The first instant of ``day`` in ``zone``, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def end_of_day(day: date, zone: str) -> datetime:
    """The first instant after ``day`` in ``zone``, in UTC."""
    return start_of_day(day + timedelta(days=1), zone)


def last_day_before(instant: datetime, zone: str) -> date:
    """The local day in ``zone`` that ends at ``instant`` (the inverse of ``end_of_day``): the last
    day a due that resolved to ``instant`` allows."""
    return (instant.astimezone(ZoneInfo(zone)) - timedelta(microseconds=1)).date()


def local_day(instant: datetime, zone: str) -> date:
    """The day it is in ``zone`` at ``instant``: the earliest day whose due has not passed."""
    return instant.astimezone(ZoneInfo(zone)).date()


def calendar_day(value: date, field_name: str) -> date:
    """A day of the years dues may fall in (1900 to 2200)."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InvalidValue(
            "the year must be between {first} and {last}", field_name, first=EARLIEST_YEAR, last=LATEST_YEAR
        )
    return value


@dataclass(frozen=True)
class Due:
    """A deadline as the coordinator stated it.

    Calendar precisions carry ``value`` (``2024``, ``2024-Q2``, ``2024-06``,
    ``2024-06-10``); the relative precision carries ``amount`` and ``unit``.
    """

    precision: Precision
    time_zone: str
    value: str | None = None
    amount: int | None = None
    unit: RelativeUnit | None = None

    @classmethod
    def of(
        cls,
        precision: str,
        time_zone_key: str,
        value: str | None = None,
        amount: int | None = None,
        unit: str | None = None,
        field_name: str = "due",
    ) -> "Due":
        try:
            kind = Precision(precision)
        except ValueError:
            choices = ", ".join(p.value for p in Precision)
            raise InvalidValue(
                "unknown precision {precision!r}; use one of {choices}",
                f"{field_name}.precision",
                precision=precision,
                choices=choices,
            ) from None
        zone = time_zone(time_zone_key, f"{field_name}.time_zone")
        if kind is Precision.RELATIVE:
            if value is not None:
                raise InvalidValue("a relative due takes amount and unit, not value", f"{field_name}.value")
            if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 100:
                raise InvalidValue("amount must be a whole number from 1 to 100", f"{field_name}.amount")
            try:
                span = RelativeUnit(unit)
            except ValueError:
                choices = ", ".join(u.value for u in RelativeUnit)
                raise InvalidValue(
                    "unknown unit {unit!r}; use one of {choices}", f"{field_name}.unit", unit=unit, choices=choices
                ) from None
            return cls(precision=kind, time_zone=zone, amount=amount, unit=span)
        if amount is not None or unit is not None:
            raise InvalidValue(
                "a due in a {precision} takes a value, not amount and unit",
                f"{field_name}.amount",
                precision=kind.value,
            )
        due = cls(precision=kind, time_zone=zone, value=value)
        due.last_day(None, field_name)  # refuses malformed and impossible dates
        return due

    def last_day(self, meeting_ends_on: date | None, field_name: str = "due") -> date:
        """The last local day on which the commitment is still on time."""
        if self.precision is Precision.RELATIVE:
            if meeting_ends_on is None:
                raise InvalidValue("a relative due needs the meeting's last day", f"{field_name}.precision")
            amount, unit = self.amount or 0, self.unit
            if unit is RelativeUnit.DAYS:
                return meeting_ends_on + timedelta(days=amount)
            if unit is RelativeUnit.WEEKS:
                return meeting_ends_on + timedelta(weeks=amount)
            if unit is RelativeUnit.MONTHS:
                return add_months(meeting_ends_on, amount)
            return add_months(meeting_ends_on, 12 * amount)
        match = _PATTERNS[self.precision].match(self.value or "")
        if match is None:
            raise InvalidValue(
                _NOT_WRITTEN_AS[self.precision],
                f"{field_name}.value",
                value=self.value,
                example=_EXAMPLES[self.precision],
            )
        numbers = [int(group) for group in match.groups()]
        year = numbers[0]
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InvalidValue(
                "the year must be between {first} and {last}",
                f"{field_name}.value",
                first=EARLIEST_YEAR,
                last=LATEST_YEAR,
            )
        try:
            if self.precision is Precision.YEAR:
                return date(year, 12, 31)
            if self.precision is Precision.QUARTER:
                month = numbers[1] * 3
                return date(year, month, monthrange(year, month)[1])
            if self.precision is Precision.MONTH:
                return date(year, numbers[1], monthrange(year, numbers[1])[1])
            return date(year, numbers[1], numbers[2])
        except ValueError:  # includes calendar.IllegalMonthError
            raise InvalidValue("{value!r} is not a real date", f"{field_name}.value", value=self.value) from None

    def resolve(self, meeting_ends_on: date | None = None, field_name: str = "due") -> datetime:
        """The UTC instant from which the commitment is late."""
        return end_of_day(self.last_day(meeting_ends_on, field_name), self.time_zone)
