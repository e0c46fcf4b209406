"""Reading an uploaded spreadsheet into a ``Table``: CSV through the standard library's ``csv``
(UTF-8 with or without a byte-order mark; comma, semicolon or tab, as ``csv.Sniffer`` finds), XLSX
through openpyxl (its first sheet, values as Excel shows them: dates are dates). The header row is
the first of the first ``HEADER_SEARCH`` filled rows whose headers name the columns an import needs
(a title above the table is passed over), else the first filled row; every row keeps its line
(its row number in the sheet)."""

import csv
import io
import zipfile
from collections.abc import Iterable

from openpyxl import load_workbook

from application.imports import MAX_ROWS, Table
from domain.errors import InvalidValue
from domain.matrix_import import layout

XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX file is a zip archive
HEADER_SEARCH = 20


def read_table(data: bytes, name: str) -> Table:
    """The rows of a CSV or XLSX file (told apart by their content, not their name)."""
    if not data.strip():
        raise InvalidValue("the file is empty", "file")
    rows = _xlsx_rows(data) if data.startswith(XLSX_SIGNATURE) else _csv_rows(data)
    filled: list[tuple[int, tuple[object, ...]]] = []
    for line, cells in rows:
        if any(cell not in (None, "") for cell in cells):
            filled.append((line, cells))
        if len(filled) > MAX_ROWS + HEADER_SEARCH:
            raise InvalidValue("a file holds at most {most} rows; split it", "file", most=MAX_ROWS)
    if not filled:
        raise InvalidValue("the file has no header row", "file")
    at = next((index for index, (_, cells) in enumerate(filled[:HEADER_SEARCH]) if _names_columns(cells)), 0)
    headers = tuple(None if cell is None else str(cell) for cell in filled[at][1])
    return Table(name=name, headers=headers, rows=tuple(filled[at + 1:]))


def _names_columns(cells: tuple[object, ...]) -> bool:
    try:
        layout([None if cell is None else str(cell) for cell in cells])
    except InvalidValue:
        return False
    return True


def _csv_rows(data: bytes) -> Iterable[tuple[int, tuple[object, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidValue("the file is neither XLSX nor UTF-8 text (byte {byte}): save it as 'CSV UTF-8' or as an "
                           "Excel workbook", "file", byte=error.start) from None
    if "\x00" in text:
        raise InvalidValue("the file holds a NUL character: it is not a CSV file", "file")
    sample = text[:64 * 1024]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, tuple(cells)
    except csv.Error as error:
        raise InvalidValue("the CSV file cannot be read: {error}", "file", error=str(error)) from None


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, tuple[object, ...]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidValue("the workbook cannot be read ({error}): save it again as .xlsx", "file",
                           error=type(error).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, tuple(cells)
    finally:
        workbook.close()
