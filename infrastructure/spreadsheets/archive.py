"""Checking an XLSX archive before any XML parser sees it: how many parts, how large each is once
inflated and how much it was compressed (a bomb is refused from its directory, before it inflates),
no document type declaration in any XML part (entities are how XML attacks start, and a workbook
never needs them), and how many shared strings the workbook holds.

``zipfile`` never inflates a part beyond the size its directory entry states (it stops there and the
checksum fails), so the stated sizes checked here bound what any later reader can be made to inflate."""

import re
import zipfile
from collections.abc import Iterator

from application.errors import TooLarge
from domain.errors import InvalidValue
from infrastructure.spreadsheets.limits import (
    MAX_INFLATED_BYTES,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_SHARED_STRINGS,
    RATIO_FROM,
)

XML_PARTS = (".xml", ".rels", ".vml")
SHARED_STRINGS = "sharedstrings"
CHUNK = 1024 * 1024
DECLARATIONS = tuple(
    word.encode(encoding) for word in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
OVERLAP = max(len(word) for word in DECLARATIONS)
STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")  # <si>, with or without a namespace prefix


def check_archive(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise TooLarge("the workbook holds {count} parts; at most {most} are read", count=len(parts), most=MAX_PARTS)
    inflated = 0
    for part in parts:
        _check_size(part)
        inflated += part.file_size
        if inflated > MAX_INFLATED_BYTES:
            raise TooLarge(
                "the workbook inflates to more than {megabytes} MB; split it", megabytes=MAX_INFLATED_BYTES // 2**20
            )
    for part in parts:
        if part.filename.lower().endswith(XML_PARTS):
            _check_xml(archive, part)


def _check_size(part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_PART_BYTES:
        raise TooLarge(
            "the part {part} of the workbook inflates to {megabytes} MB; at most {most} MB are read",
            part=part.filename[:80],
            megabytes=part.file_size // 2**20,
            most=MAX_PART_BYTES // 2**20,
        )
    if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
        raise InvalidValue(
            "the part {part} of the workbook is compressed {ratio} times, more than any real "
            "workbook is: it is not read",
            "file",
            part=part.filename[:80],
            ratio=part.file_size // max(part.compress_size, 1),
        )


def _check_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    counting = SHARED_STRINGS in part.filename.lower()
    strings = 0
    for seen, chunk in _chunks(archive, part):
        if any(word in chunk for word in DECLARATIONS):
            raise InvalidValue(
                "the workbook declares XML entities or a document type, which no spreadsheet needs: it is not read",
                "file",
            )
        if counting:
            strings += sum(1 for item in STRING_ITEM.finditer(chunk) if item.end() > seen)
            if strings > MAX_SHARED_STRINGS:
                raise TooLarge("the workbook holds more than {most} distinct texts; split it", most=MAX_SHARED_STRINGS)


def _chunks(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[tuple[int, bytes]]:
    """The part inflated, a megabyte at a time; each chunk begins with the end of the one before (its
    length is given first), so that a word cut in two is seen whole."""
    tail = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                yield len(tail), tail + chunk
                tail = chunk[-(OVERLAP - 1) :]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise InvalidValue(
            "the workbook cannot be read ({error}): save it again as .xlsx", "file", error=type(error).__name__
        ) from None
