"""Shared by the request and response models of every subject: the base classes (``Schema`` for
request bodies, ``Answer`` for responses), the field types (texts, days, whole numbers, languages),
the bodies many subjects take (texts, dues, periods, evidence, a reason) and the bounds of a request."""

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema

from application.inputs import DueInput, PeriodInput, TextInput
from application.views import one_of
from domain.commitments.due import Precision, RelativeUnit
from domain.commitments.promise import Evidence
from domain.evidence_files import EvidenceFile
from domain.meetings.meeting import ParticipantRole
from domain.parties.party import ALIAS_MAX
from domain.text import DOCUMENT_TEXT_MAX, ISO_639_1, LONG_TEXT_MAX, SHORT_TEXT_MAX, refused_characters
from domain.webhooks import DeliveryStatus

MANY = 500  # the most items of any list in one request
if TYPE_CHECKING:  # a type made at run time is no type to the checker: to it, each is the value of a member, a str
    PrecisionName: TypeAlias = str
    RelativeUnitName: TypeAlias = str
    RoleName: TypeAlias = str
    DeliveryStatusName: TypeAlias = str
else:
    PrecisionName = one_of(Precision)
    RelativeUnitName = one_of(RelativeUnit)
    RoleName = one_of(ParticipantRole)
    DeliveryStatusName = one_of(DeliveryStatus)


def _text_form(max_length: int) -> dict[str, Any]:
    """A text as the domain accepts it (``domain.text.clean_text``): the document states the rule, the
    domain checks it (with a message that says what to change). A name is one line."""
    refused = refused_characters() + ("\\n\\r\\u2028\\u2029" if max_length <= SHORT_TEXT_MAX else "")
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": f"^[^{refused}]*[^{refused}\\s][^{refused}]*$",
    }


# Names and titles; longer texts (which keep the joiners some languages need); whole documents.
Name = Annotated[str, WithJsonSchema(_text_form(SHORT_TEXT_MAX))]
Words = Annotated[str, WithJsonSchema(_text_form(LONG_TEXT_MAX))]
Document = Annotated[str, WithJsonSchema(_text_form(DOCUMENT_TEXT_MAX))]
Alias = Annotated[str, WithJsonSchema(_text_form(ALIAS_MAX))]  # another name or spelling of a party
LANGUAGE_FORM = "^(" + "|".join(sorted(ISO_639_1)) + ")(-[A-Za-z0-9]{2,8})*$"
Language = Annotated[str, WithJsonSchema({"type": "string", "pattern": LANGUAGE_FORM})]


def _written(what: str) -> Callable[[object], object]:
    """A value that JSON must give as a string (a day as "2024-06-30", never the number 0)."""

    def check(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"{what} is written as a string, not as {type(value).__name__}")
        return value

    return check


# A day of the years dues may fall in (domain.commitments.due.calendar_day), written as YYYY-MM-DD: the form the
# document states is the form checked, whatever the field (a report's publication day included).
DAY_FORM = "^(19[0-9][0-9]|2[01][0-9][0-9]|2200)-[0-9]{2}-[0-9]{2}$"


def _day(value: object) -> object:
    _written("a day")(value)
    if not re.match(DAY_FORM, str(value)):
        raise ValueError("a day is written as YYYY-MM-DD, in the years 1900 to 2200")
    return value


Day = Annotated[date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_FORM})]


def _whole(value: object, info: ValidationInfo) -> object:
    """A whole number given as one: not true, 1.0 or "1" (a web form's fields are all text: there,
    "1" is read as the API would read 1)."""
    from_form = isinstance(value, str) and bool(info.context and info.context.get("form"))
    if isinstance(value, bool) or not (isinstance(value, int) or from_form):
        raise ValueError(f"a whole number is written as a number, not as {type(value).__name__}")
    return value


Count = Annotated[int, BeforeValidator(_whole)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextIn(Schema):
    """The same text in one or more languages, e.g. {"texts": {"ar": "...", "en": "..."}, "authentic": "ar"}."""

    texts: dict[Language, Words] = Field(min_length=1, max_length=50)
    authentic: Language | None = Field(default=None, description="needed when there are several languages")

    def input(self) -> TextInput:
        return TextInput(texts=dict(self.texts), authentic=self.authentic)


class NameIn(TextIn):
    """A name or title in one or more languages (at most 500 characters, nothing invisible)."""

    texts: dict[Language, Name] = Field(min_length=1, max_length=50)


def text_input(value: TextIn | None) -> TextInput | None:
    return None if value is None else value.input()


class DueIn(Schema):
    """precision: day|month|quarter|year with value (2024-06-10, 2024-06, 2024-Q2, 2024, or written as
    the spreadsheet import reads it: 30/06/2024, June 2024, Q3 2025, «الربع الثالث 2025»), or relative
    with amount and unit (days|weeks|months|years) after the meeting's last day; or no precision and
    value in any written form ("Q3 2025", "18 months", «سنتين»; "ongoing": no due)."""

    precision: PrecisionName | None = None
    value: str | None = Field(default=None, max_length=100)
    amount: Count | None = None
    unit: RelativeUnitName | None = None
    time_zone: str | None = Field(default=None, description="IANA zone; defaults to the meeting venue's")

    def input(self) -> DueInput:
        return DueInput(**self.model_dump())


class PeriodIn(Schema):
    starts_on: Day
    ends_on: Day | None = None

    def input(self) -> PeriodInput:
        return PeriodInput(**self.model_dump())


class FileCited(Schema):
    sha256: str = Field(pattern="^[0-9a-f]{64}$", description="what `POST /files` answered for the file")
    name: str | None = Field(
        default=None, max_length=1000, description="the name to offer it under (default: its title)"
    )


class EvidenceIn(Schema):
    title: Name
    url: str | None = None
    note: Words | None = None
    file: FileCited | None = Field(default=None, description="a file sent first with `POST /files`")


def evidence_values(items: list[EvidenceIn]) -> list[Evidence]:
    """The evidence as given; a file is named by its hash, its size and type read from the bytes kept
    (``EvidenceFiles.bound``)."""
    return [
        Evidence(
            item.title,
            item.url,
            item.note,
            None if item.file is None else EvidenceFile(item.file.sha256, 0, "", item.file.name or item.title),
        )
        for item in items
    ]


class Reasoned(Schema):
    reason: Words | None = None


# -- what the API answers: the documented shapes of its responses ------------------------------------


class Answer(BaseModel):
    """A response body (documentation only: the routes answer with the views themselves)."""
