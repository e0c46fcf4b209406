"""The formats a list is exported in: CSV (with a BOM, so that spreadsheets read Arabic as UTF-8),
XLSX (openpyxl, written as it goes; right to left on request) and JSON Lines (every field of every
commitment). No cell of CSV or XLSX is ever a formula (``infrastructure.spreadsheets.formulas``).
The format is ``?format=`` or, failing that, the first acceptable one in ``Accept``."""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from api.negotiation import by_preference
from api.problems import NotAcceptable
from application.intake.formulas import protected, starts_a_formula
from application.listing import exports as exported

CSV, XLSX, JSONL = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/jsonl"
FORMATS = {"csv": CSV, "xlsx": XLSX, "jsonl": JSONL}
ALIASES = {"application/x-ndjson": JSONL, "application/x-jsonlines": JSONL, "text/plain": CSV}
EXTENSIONS = {media: name for name, media in FORMATS.items()}


def chosen(format_name: str | None, accept: str | None) -> str:
    """The media type to answer with: the named format, or the first of ``Accept`` (by quality) offered here."""
    if format_name is not None:
        return FORMATS[format_name]
    for media in by_preference(accept, "*/*"):
        if media in ("*/*", "text/*"):
            return CSV
        if media == "application/*":
            return JSONL
        media = ALIASES.get(media, media)
        if media in EXTENSIONS:
            return media
    raise NotAcceptable(
        "this list is exported as {media}: ask for one in Accept, or with ?format={names}",
        media=", ".join(FORMATS.values()),
        names="|".join(FORMATS),
    )


def csv_lines(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: protected(value) for column, value in row.items()})
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_lines(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for item in items:
        yield (json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8")


DAYS = frozenset({"made_on", "review_on"})  # ISO days, written as date cells
INSTANTS = frozenset({"due_at", "recorded_at", "changed_at"})  # ISO instants in UTC, as date-and-time cells in UTC


def _cell(sheet: Any, column: str, value: Any) -> Any:
    """A value as a spreadsheet cell: days and instants as dates a spreadsheet sorts and computes with,
    texts always as texts (never as the formula a text may look like)."""
    if isinstance(value, str) and starts_a_formula(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if not value or (column not in DAYS and column not in INSTANTS):
        return value
    if column in DAYS:
        cell = WriteOnlyCell(sheet)
        cell.value = date.fromisoformat(value)  # set as the constructor sets it (whose stub leaves out days)
        cell.number_format = "yyyy-mm-dd"
    else:  # a spreadsheet's dates have no time zone: the instant in UTC, as the column's name says
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=moment)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def workbook(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], right_to_left: bool) -> Iterator[bytes]:
    """An XLSX file of the rows, built in write-only mode (a row at a time) in a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("commitments")
    sheet.sheet_view.rightToLeft = right_to_left
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_cell(sheet, column, row[column]) for column in columns])
    with tempfile.TemporaryFile() as file:
        book.save(file)
        file.seek(0)
        while chunk := file.read(64_000):
            yield chunk


def streamed(
    media: str, commitments: Iterable[dict[str, Any]], names: exported.Names, right_to_left: bool
) -> StreamingResponse:
    """The commitments in the chosen format, as a download streamed while it is written."""
    if media == JSONL:
        body = json_lines(commitments)
    else:
        rows = (exported.row(c, names) for c in commitments)
        body = csv_lines(exported.COLUMNS, rows) if media == CSV else workbook(exported.COLUMNS, rows, right_to_left)
    return StreamingResponse(
        body,
        media_type=media + ("" if media == XLSX else "; charset=utf-8"),
        headers={"Content-Disposition": f'attachment; filename="commitments.{EXTENSIONS[media]}"'},
    )
