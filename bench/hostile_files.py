"""Spreadsheets made to hurt a reader: each is small on the wire and costly to a careless parser. The
bench measures what they cost the service; the tests check that each is refused."""

import io
import random
import string
import zipfile
from collections.abc import Callable, Iterable

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Matrix" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>
</Relationships>"""
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER = ("Activity", "Lead", "Due")
NO_STRINGS = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>'


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, texts: tuple[str, ...]) -> str:
    cells = "".join(_cell(f"{chr(ord('A') + column)}{number}", text) for column, text in enumerate(texts))
    return f'<row r="{number}">{cells}</row>'


def workbook(sheet: str | Iterable[bytes], shared_strings: str | Iterable[bytes] = NO_STRINGS) -> bytes:
    """An XLSX holding one sheet written as given (a text, or its bytes piece by piece), compressed as
    Excel compresses it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, content in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared_strings)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in [content.encode()] if isinstance(content, str) else content:
                    part.write(piece)
    return buffer.getvalue()


def matrix(rows: int) -> bytes:
    """A real matrix of ``rows`` rows under its header: what an honest file of that length holds."""
    body = "".join(_row(number + 2, (f"Activity {number}", "UNDP", "2027-03-31")) for number in range(rows))
    return workbook(f"{SHEET_START}<sheetData>{_row(1, HEADER)}{body}</sheetData></worksheet>")


def sparse_range() -> bytes:
    """Two rows, a sheet that declares every cell Excel can address, and one cell at its far corner."""
    sheet = (
        f'{SHEET_START}<dimension ref="A1:XFD1048576"/><sheetData>{_row(1, HEADER)}'
        f"{_row(2, ('Open the office', 'UNDP', '2027-03-31'))}"
        f'<row r="1048576">{_cell("XFD1048576", "x")}</row></sheetData></worksheet>'
    )
    return workbook(sheet)


def whitespace_bomb(megabytes: int = 600) -> bytes:
    """Hundreds of megabytes of spaces between two rows, a megabyte or so once compressed."""
    spaces = b" " * (1024 * 1024)
    sheet = [
        f"{SHEET_START}<sheetData>{_row(1, HEADER)}".encode(),
        *([spaces] * megabytes),
        f"{_row(2, ('Open the office', 'UNDP', '2027-03-31'))}</sheetData></worksheet>".encode(),
    ]
    return workbook(sheet)


def shared_strings_bomb(strings: int = 600_000) -> bytes:
    """More distinct shared strings than rows could use (a megabyte or two compressed), behind a
    sheet of two rows."""
    items = "".join(f"<si><t>{number}</t></si>" for number in range(strings))
    shared = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{strings}" '
        f'uniqueCount="{strings}">{items}</sst>'
    )
    sheet = (
        f'{SHEET_START}<sheetData>{_row(1, HEADER)}<row r="2"><c r="A2" t="s"><v>{strings - 1}</v></c>'
        f"</row></sheetData></worksheet>"
    )
    return workbook(sheet, shared)


def entities() -> bytes:
    """A sheet that declares XML entities and uses them: one that expands (the first step of a
    "billion laughs"), one that reads a file of the server's."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        f'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY host SYSTEM "file:///etc/hostname">]>'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{_row(1, HEADER)}{_row(2, ('&b;', '&host;', '2027-03-31'))}</sheetData></worksheet>"
    )
    return workbook(sheet)


def huge_cell(megabytes: float = 10) -> bytes:
    """One cell holding megabytes of text that does not compress much (letters at random)."""
    text = "".join(random.Random(0).choices(string.ascii_letters, k=int(megabytes * 1024 * 1024)))
    sheet = f"{SHEET_START}<sheetData>{_row(1, HEADER)}{_row(2, (text, 'UNDP', '2027-03-31'))}</sheetData></worksheet>"
    return workbook(sheet)


def too_many_rows() -> bytes:
    """200,000 honest rows: ten times what one import takes."""
    return matrix(200_000)


def quote_trap() -> bytes:
    """A CSV whose first line is a header and whose second is a comma, a quote and a letter, again and
    again: the standard library's separator sniffer costs the square of what it is shown."""
    return b"Activity,Lead,Due\n" + b',"a' * 200_000


# name: how to make it
HOSTILE: dict[str, Callable[[], bytes]] = {
    "sparse range": sparse_range,
    "whitespace bomb": whitespace_bomb,
    "shared-strings bomb": shared_strings_bomb,
    "entities": entities,
    "10 MB cell": huge_cell,
    "200,000 rows": too_many_rows,
    "quote trap (CSV)": quote_trap,
}
