"""A party updates its commitments by spreadsheet: it downloads the sheet of its open commitments, fills in
status, progress, note, evidence and a new due, and brings it back; the dry run shows each row's changes or
why the lifecycle refuses them and stores nothing; the import records the same events the API records, with
the file as the reason, and a change that binds other parties waits for their word."""

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api
from tests.records import commitment
from tests.world import World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(api: Api, party: str, lang: str = "en") -> Workbook:
    answer = api.get("/commitments/update-sheet", party=party, lang=lang)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(answer.content))


def rows_of(book: Workbook) -> list[dict[str, Any]]:
    sheet = book["update"]
    header = [str(cell.value) for cell in sheet[1]]
    return [dict(zip(header, [cell.value for cell in row], strict=False)) for row in sheet.iter_rows(min_row=2)]


def fill(book: Workbook, commitment_id: str, **values: Any) -> None:
    sheet = book["update"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == commitment_id:
            for name, value in values.items():
                row[header.index(name)].value = value


def upload(api: Api, book: Workbook, dry_run: bool, key: str | None = None) -> dict[str, Any]:
    data = io.BytesIO()
    book.save(data)
    headers = {"Authorization": f"Bearer {key}"} if key else api.headers()
    answer = api.client.post(
        "/commitments/update-sheet",
        files={"file": ("update-sheet-SESRIC.xlsx", data.getvalue(), XLSX)},
        data={"dry_run": "true" if dry_run else "false"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def test_the_sheet_lists_the_partys_open_commitments_with_a_list_of_statuses_and_help_in_its_language(
    api: Api, world: World
) -> None:
    book = download(api, world.sesric, lang="ar")
    [row] = rows_of(book)
    assert row["id"] == world.commitment and row["status"] == "agreed" and row["lead_party"] == "SESRIC"
    assert row["commitment"] == "تنفيذ مصفوفة الأنشطة المشتركة"
    sheet = book["update"]
    assert sheet.sheet_view.rightToLeft
    [statuses, _] = sheet.data_validations.dataValidation
    assert "in_progress" in statuses.formula1 and "E2" in str(statuses.sqref)
    help_rows = [r for r in book["help"].iter_rows(values_only=True) if r and r[0] == "in_progress"]
    assert help_rows and help_rows[0][1] == "قيد التنفيذ"


def test_a_dry_run_shows_each_change_and_stores_nothing_and_the_import_records_it_with_the_file_as_reason(
    services: Services, api: Api, world: World
) -> None:
    book = download(api, world.sesric)
    fill(book, world.commitment, status="in_progress", progress=40, note="two workshops held")
    before = services.store.recorder.max_notification_id()
    dry = upload(api, book, dry_run=True)
    [row] = dry["rows"]
    assert row["outcome"] == "changed" and dry["counts"]["changed"] == 1
    assert {(c["what"], c["before"], c["after"]) for c in row["changes"]} == {
        ("progress", None, 40),
        ("status", "agreed", "in_progress"),
    }
    assert services.store.recorder.max_notification_id() == before
    done = upload(api, book, dry_run=False)
    assert done["rows"][0]["recorded"] == 2
    now = api.get(f"/commitments/{world.commitment}").json()
    assert now["status"] == "in_progress" and now["progress"]["percent"] == 40
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    [started] = [e for e in events if e["type"] == "Started"]
    assert started["reason"] == "update sheet update-sheet-SESRIC.xlsx"
    again = upload(api, book, dry_run=True)
    assert again["rows"][0]["outcome"] == "unchanged"  # the round trip updates, it does not duplicate


def test_a_row_the_lifecycle_refuses_says_why_and_the_others_go_on(services: Services, api: Api, world: World) -> None:
    other = api.created("/commitments", commitment(world.meeting, world.sesric))["id"]
    book = download(api, world.sesric)
    fill(book, world.commitment, status="delivered")  # delivering needs evidence
    fill(book, other, status="suspended")  # suspending needs a decision reference: the page
    sheet = book["update"]
    sheet.append(["not-an-id", None, None, None, "cancelled"])
    sheet.append([world.commitment, None, None, None, None, 90])  # the same commitment again
    report = upload(api, book, dry_run=False)
    outcomes = {r["commitment_id"]: r for r in report["rows"]}
    assert outcomes[world.commitment]["outcome"] == "refused"
    assert outcomes[world.commitment]["refusal"]["template"] == "delivery needs at least one piece of evidence"
    assert outcomes[other]["refusal"]["field"] == "status"
    refused_ids = [r["refusal"]["template"] for r in report["rows"] if r["commitment_id"] is None]
    assert len(refused_ids) == 2 and any("earlier row" in template for template in refused_ids)
    assert api.get(f"/commitments/{world.commitment}").json()["status"] == "agreed"


def test_a_delivery_by_a_partys_own_key_from_the_sheet_waits_for_the_other_party(
    services: Services, api: Api, world: World
) -> None:
    _, key = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    book = download(api, world.sesric)
    fill(book, world.commitment, status="delivered", evidence="https://sesric.org/report")
    dry = upload(api, book, dry_run=True, key=key)
    assert dry["rows"][0]["outcome"] == "waits" and dry["rows"][0]["awaiting"] == [world.un]
    upload(api, book, dry_run=False, key=key)
    now = api.get(f"/commitments/{world.commitment}").json()
    assert now["status"] == "agreed" and now["pending"]["action"] == "deliver"


def test_a_text_that_looks_like_a_formula_is_written_as_text(api: Api, world: World) -> None:
    formula = {"texts": {"en": '=HYPERLINK("http://x")'}, "authentic": "en"}
    body = commitment(world.meeting, world.sesric, text=formula)
    made = api.created("/commitments", body)["id"]
    book = download(api, world.sesric)
    [cell] = [row[1] for row in book["update"].iter_rows(min_row=2) if row[0].value == made]
    assert cell.data_type == "s" and str(cell.value).startswith("=HYPERLINK")
