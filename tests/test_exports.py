"""Exports of a list: the same filters as GET /commitments, in CSV (Arabic opens in a spreadsheet),
XLSX (right to left on request) and JSON Lines, chosen by ?format= or Accept; 406 for anything else."""

import csv
import io
import json
from datetime import datetime

from openpyxl import load_workbook

from tests.conftest import Api
from tests.records import commitment
from tests.world import World


def test_a_csv_export_holds_every_commitment_the_filters_match_with_a_bom(api: Api, world: World) -> None:
    other = api.created("/commitments", commitment(world.meeting, world.iofs, status="draft",
                                                   text={"texts": {"en": "Hold a food security forum"}}))
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


def test_an_xlsx_export_reads_right_to_left_on_request(api: Api, world: World) -> None:
    answer = api.get("/commitments/export", format="xlsx", rtl="true")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.sheet_view.rightToLeft
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["id", "kind", "status", "text"]
    assert sheet.cell(2, header.index("text") + 1).value == "تنفيذ مصفوفة الأنشطة المشتركة"


def test_the_format_follows_accept_and_anything_else_is_406(api: Api, world: World) -> None:
    assert api.client.get("/commitments/export", headers={**api.headers(), "Accept": "application/x-ndjson"}
                          ).headers["content-type"].startswith("application/jsonl")
    assert api.client.get("/commitments/export", headers={**api.headers(), "Accept": "text/html;q=1, text/csv;q=0.5"}
                          ).headers["content-type"].startswith("text/csv")
    refused = api.client.get("/commitments/export", headers={**api.headers(), "Accept": "application/pdf"})
    assert refused.status_code == 406 and refused.json()["type"] == "/problems/not-acceptable"
    assert api.get("/commitments/export", format="pdf").status_code == 422
    assert api.get("/commitments/export", cursor="x").status_code == 400  # no pages: one export holds them all


def test_an_xlsx_export_writes_days_and_instants_as_date_cells(api: Api, world: World) -> None:
    api.post(f"/commitments/{world.commitment}/review", {"review_on": "2024-03-01"})
    sheet = load_workbook(io.BytesIO(api.get("/commitments/export", format="xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: sheet.cell(2, header.index(name) + 1) for name in ("made_on", "review_on", "due_at", "recorded_at")}
    assert row["made_on"].value == datetime(2022, 7, 20) and row["made_on"].is_date
    assert row["review_on"].value == datetime(2024, 3, 1) and row["review_on"].is_date
    assert row["due_at"].value == datetime(2024, 7, 20, 22, 0) and row["due_at"].is_date  # midnight in Geneva, in UTC
    assert row["recorded_at"].is_date
