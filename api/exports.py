"""The formats a list is exported in: CSV (with a BOM, so that spreadsheets read Arabic as UTF-8),
XLSX (openpyxl, written as it goes; right to left on request) and JSON Lines (every field of every
commitment). The format is ``?format=`` or, failing that, the first acceptable one in ``Accept``."""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook

from api.problems import NotAcceptable

CSV, XLSX, JSONL = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/jsonl"
FORMATS = {"csv": CSV, "xlsx": XLSX, "jsonl": JSONL}
ALIASES = {"application/x-ndjson": JSONL, "application/x-jsonlines": JSONL, "text/plain": CSV}
EXTENSIONS = {media: name for name, media in FORMATS.items()}


def chosen(format_name: str | None, accept: str | None) -> str:
    """The media type to answer with: the named format, or the first of ``Accept`` (by quality) offered here."""
    if format_name is not None:
        return FORMATS[format_name]
    wanted = []
    for position, item in enumerate((accept or "*/*")[:1000].split(",")):
        media, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, number = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            wanted.append((-quality, position, media.strip().lower()))
    for _, _, media in sorted(wanted):
        if media in ("*/*", "text/*"):
            return CSV
        if media == "application/*":
            return JSONL
        media = ALIASES.get(media, media)
        if media in EXTENSIONS:
            return media
    raise NotAcceptable(f"this list is exported as {', '.join(FORMATS.values())}: ask for one in Accept, "
                        f"or with ?format={'|'.join(FORMATS)}")


def csv_lines(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_lines(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for item in items:
        yield (json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8")


def workbook(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], right_to_left: bool) -> Iterator[bytes]:
    """An XLSX file of the rows, built in write-only mode (a row at a time) in a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("commitments")
    sheet.sheet_view.rightToLeft = right_to_left
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row[column] for column in columns])
    with tempfile.TemporaryFile() as file:
        book.save(file)
        file.seek(0)
        while chunk := file.read(64_000):
            yield chunk
