"""From the values a request gives (``application.inputs``, or the domain's own value classes as given) to
the domain's values, each checked by the domain's own rules and refused with the name of the field it came
from."""

from collections.abc import Sequence
from datetime import date

from email_validator import EmailNotValidError, validate_email

from application.inputs import DueInput, PeriodInput, TextInput
from domain.commitments.due import Due, calendar_day
from domain.commitments.promise import Evidence, reason_text
from domain.commitments.written_dues import stated_due
from domain.errors import InvalidValue
from domain.meetings.meeting import DateRange, SourceDocument, Venue
from domain.text import SHORT_TEXT_MAX, MultilingualText


def text(value: TextInput, field: str, max_length: int | None = None) -> MultilingualText:
    if max_length is None:
        return MultilingualText.of(value.texts, value.authentic, field)
    return MultilingualText.of(value.texts, value.authentic, field, max_length)


def name(value: TextInput, field: str) -> MultilingualText:
    """A name or title: a short text, with nothing invisible in it."""
    return text(value, field, SHORT_TEXT_MAX)


def optional_text(value: TextInput | None, field: str) -> MultilingualText | None:
    return None if value is None else text(value, field)


def optional_due(value: DueInput | None, default_time_zone: str, field: str) -> Due | None:
    """A due as stated, in its time zone (by default the meeting venue's), in the canonical form or
    written as the spreadsheet import reads it; None: none given, or written as "ongoing"."""
    if value is None:
        return None
    return stated_due(
        value.precision, value.time_zone or default_time_zone, value.value, value.amount, value.unit, field
    )


def period(value: PeriodInput, field: str) -> DateRange:
    return DateRange.of(value.starts_on, value.ends_on, field)


def day(value: date | None, field: str) -> date | None:
    """A day of the years dues may fall in."""
    return None if value is None else calendar_day(value, field)


def venue(value: Venue) -> Venue:
    return value.checked("venue")


def documents(values: Sequence[SourceDocument], field: str = "documents") -> tuple[SourceDocument, ...]:
    return tuple(document(d, f"{field}[{i}]") for i, d in enumerate(values))


def document(value: SourceDocument, field: str = "document") -> SourceDocument:
    return value.checked(field)


def evidence(values: Sequence[Evidence]) -> tuple[Evidence, ...]:
    return tuple(e.checked(f"evidence[{i}]") for i, e in enumerate(values))


def reason(value: str | None, field: str = "reason") -> str | None:
    return reason_text(value, field)


def mail_address(value: str, field: str = "address") -> str:
    """An e-mail address as the RFCs allow it (international domains and mailboxes too),
    normalised; its domain is not looked up (DNS is outside the machine)."""
    if not isinstance(value, str) or len(value) > 254:
        raise InvalidValue("an e-mail address has at most 254 characters", field)
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidValue("not an e-mail address: {error}", field, error=str(error)) from None
