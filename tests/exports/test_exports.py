"""Exports of a list: the same filters as GET /commitments, in CSV (Arabic opens in a spreadsheet),
XLSX (right to left on request) and JSON Lines, chosen by ?format= or Accept; 406 for anything else.
No exported cell is a formula, as openpyxl and LibreOffice read them, and an exported CSV imports back."""

import csv
import io
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from domain.access import Role
from tests.conftest import Api
from tests.records import commitment
from tests.world import World


def test_a_csv_export_holds_every_commitment_the_filters_match_with_a_bom(api: Api, world: World) -> None:
    other = api.created(
        "/commitments",
        commitment(world.meeting, world.iofs, status="draft", text={"texts": {"en": "Hold a food security forum"}}),
    )
    answer = api.get("/commitments/export", format="csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [world.commitment, other["id"]]
    assert rows[0]["text"] == "تنفيذ مصفوفة الأنشطة المشتركة" and rows[0]["authentic_language"] == "ar"
    assert rows[0]["text_en"] == "Implement the matrix of joint activities"
    assert rows[0]["lead_party"] == "SESRIC" and rows[0]["supporting_parties"] == "UN"
    assert rows[0]["due_as_given"] == "2 years after the meeting" and rows[0]["due_at"].startswith("2024-07-2")
    only_drafts = api.get("/commitments/export", format="csv", status="draft")
    assert [r["id"] for r in csv.DictReader(io.StringIO(only_drafts.content.decode("utf-8-sig")))] == [other["id"]]


def test_more_commitments_than_a_page_are_all_exported(api: Api, world: World) -> None:
    for n in range(205):
        api.created("/commitments", commitment(world.meeting, world.iofs, text={"texts": {"en": f"Task {n}"}}))
    lines = api.get("/commitments/export", format="jsonl", lead_party=world.iofs).content.decode().splitlines()
    assert len(lines) == 205 and json.loads(lines[-1])["text"]["texts"]["en"] == "Task 204"


def first_sheet(xlsx: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def plain_cell(sheet: Worksheet, row: int, column: int) -> Cell:
    """A cell of its own (none of the export's cells is merged)."""
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell)
    return cell


def test_an_xlsx_export_reads_right_to_left_on_request(api: Api, world: World) -> None:
    answer = api.get("/commitments/export", format="xlsx", rtl="true")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = first_sheet(answer.content)
    assert sheet.sheet_view.rightToLeft
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["id", "kind", "status", "text"]
    assert sheet.cell(2, header.index("text") + 1).value == "تنفيذ مصفوفة الأنشطة المشتركة"


def test_the_format_follows_accept_and_anything_else_is_406(api: Api, world: World) -> None:
    assert (
        api.client.get("/commitments/export", headers={**api.headers(), "Accept": "application/x-ndjson"})
        .headers["content-type"]
        .startswith("application/jsonl")
    )
    assert (
        api.client.get("/commitments/export", headers={**api.headers(), "Accept": "text/html;q=1, text/csv;q=0.5"})
        .headers["content-type"]
        .startswith("text/csv")
    )
    refused = api.client.get("/commitments/export", headers={**api.headers(), "Accept": "application/pdf"})
    assert refused.status_code == 406 and refused.json()["type"] == "/problems/not-acceptable"
    assert api.get("/commitments/export", format="pdf").status_code == 422
    assert api.get("/commitments/export", cursor="x").status_code == 400  # no pages: one export holds them all


def test_an_xlsx_export_writes_days_and_instants_as_date_cells(api: Api, world: World) -> None:
    api.post(f"/commitments/{world.commitment}/review", {"review_on": "2024-03-01"})
    sheet = first_sheet(api.get("/commitments/export", format="xlsx").content)
    header = [cell.value for cell in sheet[1]]
    row = {
        name: plain_cell(sheet, 2, header.index(name) + 1) for name in ("made_on", "review_on", "due_at", "recorded_at")
    }
    assert row["made_on"].value == datetime(2022, 7, 20) and row["made_on"].is_date
    assert row["review_on"].value == datetime(2024, 3, 1) and row["review_on"].is_date
    assert row["due_at"].value == datetime(2024, 7, 20, 22, 0) and row["due_at"].is_date  # midnight in Geneva, in UTC
    assert row["recorded_at"].is_date


FORMULAS = ["=2+3", "+4+5", "-6+7", "@SUM(8,9)", "\uff1d10+11", '=HYPERLINK("http://127.0.0.1/?"&A1,"open")']


def formula_like_commitments(api: Api, world: World) -> None:
    for text in FORMULAS:
        api.created("/commitments", commitment(world.meeting, world.iofs, text={"texts": {"en": text}}, quote=None))


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_no_exported_cell_is_a_formula_texts_are_string_cells_in_xlsx_and_behind_an_apostrophe_in_csv(
    api: Api, world: World
) -> None:
    formula_like_commitments(api, world)
    sheet = first_sheet(api.get("/commitments/export", format="xlsx", lead_party=world.iofs).content)
    column = [cell.value for cell in sheet[1]].index("text_en") + 1
    cells = [sheet.cell(row, column) for row in range(2, len(FORMULAS) + 2)]
    assert [cell.value for cell in cells] == FORMULAS and {cell.data_type for cell in cells} == {"s"}
    rows = csv_rows(api.get("/commitments/export", format="csv", lead_party=world.iofs).content)
    assert [row[rows[0].index("text_en")] for row in rows[1:]] == ["'" + text for text in FORMULAS]


def libreoffice_as_csv(path: Path, in_filter: str | None = None) -> list[list[str]]:
    """The file opened by LibreOffice Calc (headless) and saved as CSV: what a spreadsheet computes of it."""
    out = path.parent / "out"
    command = [
        "soffice",
        f"-env:UserInstallation=file://{path.parent / 'profile'}",
        "--headless",
        *([f"--infilter={in_filter}"] if in_filter else []),
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "--outdir",
        str(out),
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return csv_rows((out / (path.stem + ".csv")).read_bytes())


@pytest.mark.slow  # LibreOffice converts the files
def test_libreoffice_opening_an_export_computes_nothing_and_shows_each_text_as_written(
    api: Api, world: World, tmp_path: Path
) -> None:
    formula_like_commitments(api, world)
    (tmp_path / "export.xlsx").write_bytes(api.get("/commitments/export", format="xlsx", lead_party=world.iofs).content)
    (tmp_path / "export.csv").write_bytes(api.get("/commitments/export", format="csv", lead_party=world.iofs).content)
    from_xlsx = libreoffice_as_csv(tmp_path / "export.xlsx")
    assert [row[from_xlsx[0].index("text_en")] for row in from_xlsx[1:]] == FORMULAS
    from_csv = libreoffice_as_csv(tmp_path / "export.csv", "CSV:44,34,76,1")
    assert [row[from_csv[0].index("text_en")] for row in from_csv[1:]] == ["'" + text for text in FORMULAS]
    for row in from_xlsx[1:] + from_csv[1:]:
        assert not {"5", "9", "1", "17", "21", "open"} & set(row)  # no formula was computed


def test_an_exported_csv_imports_back_as_it_was_without_the_protective_apostrophe(api: Api, world: World) -> None:
    formula_like_commitments(api, world)
    exported = api.get("/commitments/export", format="csv", lead_party=world.iofs).content
    matrix = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {"texts": {"en": "Again"}},
        },
    )["id"]
    stored = api.client.post(
        f"/agreements/{matrix}/imports",
        files={"file": ("commitments.csv", exported)},
        data={"dry_run": "false"},
        headers=api.headers(Role.COORDINATOR),
    )
    assert stored.status_code == 200 and stored.json()["counts"]["new"] == len(FORMULAS), [
        r["refused"] for r in stored.json()["rows"]
    ]
    imported = api.get("/commitments", agreement=matrix, limit=50).json()["items"]
    assert sorted(c["text"]["texts"]["en"] for c in imported) == sorted(FORMULAS)
