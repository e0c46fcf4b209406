"""The rows of an uploaded spreadsheet, read at a cost linear in what the file really holds: CSV
through the standard library's ``csv`` (UTF-8 with or without a byte-order mark; comma, semicolon or
tab, as ``csv.Sniffer`` finds in the first lines), XLSX through openpyxl (its first sheet, values as Excel shows them:
dates are dates) once ``archive.check_archive`` has passed it.

A sheet's declared range is never used: rows are read as the file holds them, at most
``MAX_COLUMNS`` cells each and then the header's columns; ``EMPTY_RUN`` empty rows in a row end the
table. The header row is the first of the first ``HEADER_SEARCH`` filled rows whose headers name the
columns an import needs (a title above the table is passed over), else the first filled row; every
row keeps its line (its row number in the sheet), and a text the apostrophe that protected it from
being read as a formula is taken off (``formulas``). This runs in the reading process
(``infrastructure.spreadsheets.reader``), never in the service's own."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from application.errors import TooLarge
from application.intake.formulas import unprotected
from application.intake.tables import MAX_ROWS
from domain.errors import InvalidValue
from domain.meetings.matrix_import import layout
from infrastructure.spreadsheets.archive import check_archive
from infrastructure.spreadsheets.limits import (
    EMPTY_RUN,
    HEADER_SEARCH,
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
    MAX_FILLED_ROWS,
)

XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX file is a zip archive
SNIFF_CHARACTERS = 4096  # the header and the first rows, to tell the separator by
Row = tuple[int, tuple[object, ...]]


@dataclass(frozen=True)
class Sheet:
    """The header row and each filled row below it, with its line in the file."""

    headers: tuple[str | None, ...]
    rows: tuple[Row, ...]


def read_sheet(data: bytes) -> Sheet:
    """The table of a CSV or XLSX file (told apart by their content, not their name)."""
    if not data.strip():
        raise InvalidValue("the file is empty", "file")
    filled = _filled(_xlsx_rows(data) if data.startswith(XLSX_SIGNATURE) else _csv_rows(data))
    if not filled:
        raise InvalidValue("the file has no header row", "file")
    at = next((index for index, (_, cells) in enumerate(filled[:HEADER_SEARCH]) if _names_columns(cells)), 0)
    header = _trimmed(filled[at][1])
    width = len(header)
    headers = tuple(None if cell is None else str(cell) for cell in header)
    return Sheet(headers=headers, rows=tuple((line, cells[:width]) for line, cells in filled[at + 1 :]))


def _filled(rows: Iterable[Row]) -> list[Row]:
    """The rows that hold something, until ``EMPTY_RUN`` empty rows in a row end the table."""
    filled: list[Row] = []
    empty = 0
    for line, cells in rows:
        if not any(cell not in (None, "") for cell in cells):
            empty += 1
            if empty >= EMPTY_RUN:
                break
            continue
        empty = 0
        cells = tuple(unprotected(cell) for cell in cells)
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARACTERS:
                raise InvalidValue(
                    "the cell on line {line} holds {count} characters; a cell holds at most {most}",
                    "file",
                    line=line,
                    count=len(cell),
                    most=MAX_CELL_CHARACTERS,
                )
        filled.append((line, cells))
        if len(filled) > MAX_FILLED_ROWS:
            raise TooLarge("a file holds at most {most} rows; split it", most=MAX_ROWS)
    return filled


def _trimmed(cells: tuple[object, ...]) -> tuple[object, ...]:
    """A header row without the empty cells at its end."""
    end = len(cells)
    while end and cells[end - 1] in (None, ""):
        end -= 1
    return cells[:end]


def _names_columns(cells: tuple[object, ...]) -> bool:
    try:
        layout([None if cell is None else str(cell) for cell in cells])
    except InvalidValue:
        return False
    return True


def _csv_rows(data: bytes) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidValue(
            "the file is neither XLSX nor UTF-8 text (byte {byte}): save it as 'CSV UTF-8' or as an Excel workbook",
            "file",
            byte=error.start,
        ) from None
    if "\x00" in text:
        raise InvalidValue("the file holds a NUL character: it is not a CSV file", "file")
    sample = text[:SNIFF_CHARACTERS]  # the sniffer's cost grows with the square of its sample
    sample = sample[: sample.rfind("\n") + 1] or sample
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, tuple(cells[:MAX_COLUMNS])
    except csv.Error as error:
        raise InvalidValue("the CSV file cannot be read: {error}", "file", error=str(error)) from None


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    from openpyxl import load_workbook  # only the reading process needs it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InvalidValue(
            "the workbook cannot be read ({error}): save it again as .xlsx", "file", error=type(error).__name__
        ) from None
    check_archive(archive)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the range a sheet declares is not read: only its rows
        for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            yield line, tuple(cells)
    except MemoryError:
        raise  # the reading process says it was stopped
    except Exception as error:  # noqa: BLE001 - whatever a parser makes of a hostile file, it is refused
        raise InvalidValue(
            "the workbook cannot be read ({error}): save it again as .xlsx", "file", error=type(error).__name__
        ) from None
