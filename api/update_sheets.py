"""The update sheet of a party (``application.participation.update_sheets``) as an XLSX file: its open
commitments, the columns it fills in, a list to choose the status from, and a second sheet that says what each
column and status means in the reader's language. Every text is a text (never a formula)."""

import io
from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from api.web import i18n
from api.web.labels import labeller
from application.intake.formulas import starts_a_formula
from application.participation.update_sheets import COLUMNS, EDITABLE, STATUSES
from domain.access import Principal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {"id": 38, "commitment": 60, "lead_party": 14, "due": 12, "status": 20, "note": 40, "evidence": 40}


def sheet_file(
    rows: list[dict[str, Any]],
    shown: Callable[[dict[str, Any] | None], str],
    lead_label: Callable[[str], str],
    words: dict[str, str],
    status_label: Callable[[str], str],
    right_to_left: bool,
) -> bytes:
    """``shown``: a record's text in the reader's language; ``words``: what each column means, in it."""
    book = Workbook()
    sheet = book.create_sheet("update", 0)
    book.remove(book.worksheets[1])  # the one a new workbook starts with
    sheet.sheet_view.rightToLeft = right_to_left
    sheet.freeze_panes = "C2"
    sheet.append(list(COLUMNS))
    for item in rows:
        due = item.get("due") or {}
        values = {
            "id": item["id"],
            "commitment": shown(item.get("text")),
            "lead_party": lead_label(item["lead_party_id"]),
            "due": (item.get("due_at") or "")[:10] if due else "",
            "status": item["status"],
            "progress": (item.get("progress") or {}).get("percent"),
        }
        sheet.append([values.get(column) for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and starts_a_formula(cell.value):
                cell.data_type = "s"  # a text, never run as a formula
    last = max(sheet.max_row, 2)
    status_column = get_column_letter(COLUMNS.index("status") + 1)
    listed = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
    listed.error = words.get("status", "")
    listed.add(f"{status_column}2:{status_column}{last + 500}")
    sheet.add_data_validation(listed)
    progress_column = get_column_letter(COLUMNS.index("progress") + 1)
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True)
    percent.add(f"{progress_column}2:{progress_column}{last + 500}")
    sheet.add_data_validation(percent)
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = WIDTHS.get(column, 16)
    help_sheet = book.create_sheet("help")
    help_sheet.sheet_view.rightToLeft = right_to_left
    for column in COLUMNS:
        help_sheet.append([column, words.get(column, ""), "✎" if column in EDITABLE else ""])
    help_sheet.append([])
    for status in STATUSES:
        help_sheet.append([status, status_label(status)])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 90
    with io.BytesIO() as file:
        book.save(file)
        return file.getvalue()


def party_sheet(services: Any, principal: Principal, party_id: UUID, language: str) -> Response:
    """The party's update sheet, in ``language`` (ar, en, fr), as a download."""
    party, rows = services.update_sheets.rows(principal, party_id)
    label = labeller(i18n.translations(language).gettext)
    leads: dict[str, str] = {}

    def lead_label(lead_id: str) -> str:
        if lead_id not in leads:
            leads[lead_id] = services.tracker.parties.get(lead_id).label
        return leads[lead_id]

    def shown(text: dict[str, Any] | None) -> str:
        words = i18n.shown(text, language)
        return words.text if words else ""

    data = sheet_file(
        rows,
        shown,
        lead_label,
        {column: label("sheet_column", column) for column in COLUMNS},
        lambda status: label("status", status),
        i18n.direction(language) == "rtl",
    )
    name = f"update-sheet-{party.acronym or 'party'}.xlsx".replace('"', "")
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
