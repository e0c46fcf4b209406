"""Reading the values of HTML forms and query strings the way the JSON API reads its bodies: empty
fields are ``None``, and the same request schemas (``api.schemas``) check the shapes, so a form
refuses what the JSON API refuses."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from api.web.labels import N_
from application.listing.exports import TEXT_LANGUAGES
from domain.errors import InvalidValue

S = TypeVar("S", bound=BaseModel)


def value(form: Mapping[str, Any], name: str) -> str | None:
    """A field's text, or ``None`` when it was left empty (or not sent)."""
    sent = form.get(name)
    return (sent.strip() or None) if isinstance(sent, str) else None


def values(form: Any, name: str) -> list[str]:
    """Every value of a field that may be sent several times (checkboxes, multiple selects), or
    separated by commas in a link, as the JSON API reads its lists."""
    return [item.strip() for v in form.getlist(name) if isinstance(v, str) for item in v.split(",") if item.strip()]


def flag(form: Mapping[str, Any], name: str) -> bool | None:
    """``true``/``false`` from a yes/no/either select (empty: either)."""
    sent = value(form, name)
    if sent is None:
        return None
    if sent not in ("true", "false"):
        raise InvalidValue("choose yes, no, or leave it empty", name)
    return sent == "true"


def identifier(form: Mapping[str, Any], name: str) -> UUID | None:
    sent = value(form, name)
    if sent is None:
        return None
    try:
        return UUID(sent)
    except ValueError:
        raise InvalidValue("this is not the id of a record", name) from None


def identifiers(form: Any, name: str) -> list[UUID]:
    """Every id a field sent several times holds (the options of a multiple select)."""
    try:
        return [UUID(sent) for sent in values(form, name)]
    except ValueError:
        raise InvalidValue("this is not the id of a record", name) from None


def number(form: Mapping[str, Any], name: str) -> int | None:
    sent = value(form, name)
    if sent is None:
        return None
    if not sent.isdigit() or len(sent) > 9:
        raise InvalidValue("write a whole number", name)
    return int(sent)


def due(form: Mapping[str, Any], prefix: str) -> dict[str, Any] | None:
    """A due as the due fields give it (``{prefix}precision`` with ``{prefix}value``, or ``relative``
    with ``{prefix}amount`` and ``{prefix}unit``; ``{prefix}time_zone`` optional), as ``DueIn``
    takes it. A value typed with no precision chosen (or a span typed for ``relative``) is read as
    written ("Q3 2025", "within two years"); ``None`` when nothing was given: open-ended."""
    precision, written = value(form, f"{prefix}precision"), value(form, f"{prefix}value")
    amount = number(form, f"{prefix}amount")
    given: dict[str, Any] = {"precision": precision, "time_zone": value(form, f"{prefix}time_zone")}
    if precision is None:
        if written is None:
            return None
        given["value"] = written
    elif precision == "relative" and amount is None and written is not None:
        given["value"] = written
    elif precision == "relative":
        given |= {"amount": amount, "unit": value(form, f"{prefix}unit")}
    else:
        given["value"] = written
    return {name: sent for name, sent in given.items() if sent is not None}


# What the request schemas' checks refuse (pydantic's error types), in words a page says in the reader's
# language; a type not here keeps pydantic's own English words.
SHAPES = {
    "missing": N_("a value is required"),
    "string_too_long": N_("at most {max_length} characters"),
    "string_too_short": N_("at least {min_length} characters"),
    "too_long": N_("at most {max_length} items"),
    "too_short": N_("at least {min_length} items"),
    "int_parsing": N_("write a whole number"),
    "int_type": N_("write a whole number"),
    "int_from_float": N_("write a whole number"),
    "uuid_parsing": N_("this is not the id of a record"),
    "uuid_type": N_("this is not the id of a record"),
    "date_parsing": N_("write a date like 2024-07-01"),
    "date_from_datetime_parsing": N_("write a date like 2024-07-01"),
    "date_type": N_("write a date like 2024-07-01"),
    "greater_than_equal": N_("at least {ge}"),
    "less_than_equal": N_("at most {le}"),
    "greater_than": N_("more than {gt}"),
    "less_than": N_("less than {lt}"),
    "literal_error": N_("choose one of {expected}"),
    "enum": N_("choose one of {expected}"),
    "bool_parsing": N_("choose yes or no"),
    "string_pattern_mismatch": N_("this is not written as it should be"),
}


def shape_refusal(first: Mapping[str, Any], skip: tuple[str, ...] = ()) -> InvalidValue:
    """The first error of a request schema's check, as a refusal naming its field."""
    field = ".".join(str(part) for part in first.get("loc", ()) if part not in skip) or None
    template = SHAPES.get(str(first.get("type")))
    if template is None:
        return InvalidValue(str(first.get("msg", "invalid")), field)
    context = {name: str(value) for name, value in (first.get("ctx") or {}).items()}
    try:
        return InvalidValue(template, field, **context)
    except (KeyError, IndexError):
        return InvalidValue(str(first.get("msg", "invalid")), field)


def checked(schema: type[S], fields: dict[str, Any]) -> S:
    """The form's values as a request body; a value of the wrong shape is refused as the JSON API
    refuses it (422, naming the field)."""
    try:
        return schema.model_validate({k: v for k, v in fields.items() if v is not None}, context={"form": True})
    except ValidationError as error:
        raise shape_refusal(error.errors()[0]) from None


def evidence(
    form: Mapping[str, Any], keep: Callable[[str, bytes], dict[str, str]] | None = None, most: int = 3
) -> list[dict[str, Any]]:
    """The evidence rows a form filled in (``evidence_title_1``, ``evidence_url_1``, ``evidence_file_1``, …); a
    file chosen is handed to ``keep`` (name, bytes), which answers how the evidence cites it."""
    rows = []
    for n in range(1, most + 1):
        title, url = value(form, f"evidence_title_{n}"), value(form, f"evidence_url_{n}")
        upload = form.get(f"evidence_file_{n}")
        cited = None
        if isinstance(upload, UploadFile) and upload.filename and keep is not None:
            cited = keep(upload.filename, upload.file.read())
        if title or url or cited:
            row = {
                "title": title or url or (cited or {}).get("name"),
                "url": url,
                "note": value(form, f"evidence_note_{n}"),
            }
            rows.append(row | ({"file": cited} if cited else {}))
    return rows


class Kept:
    """The values a refused form was sent with, to fill it in again (empty: a blank form)."""

    def __init__(self, form: Any = None) -> None:
        self.form = form

    def get(self, name: str, default: str = "") -> str:
        sent = None if self.form is None else self.form.get(name)
        return sent if isinstance(sent, str) else default

    def getlist(self, name: str) -> list[str]:
        return [] if self.form is None else values(self.form, name)


def texts(form: Any, prefix: str) -> dict[str, Any] | None:
    """A text given in several languages (``title_ar``, ``title_en``, …) and which one is authentic."""
    given = {language: value(form, f"{prefix}_{language}") for language in TEXT_LANGUAGES}
    present = {language: text for language, text in given.items() if text}
    if not present:
        return None
    authentic = value(form, f"{prefix}_authentic")
    return {"texts": present, "authentic": authentic if authentic in present else next(iter(present))}
