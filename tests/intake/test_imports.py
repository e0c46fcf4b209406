"""Importing an action matrix from a spreadsheet, through the API and the CLI, on both engines: a
dry run says each row's outcome and stores nothing; the import stores what it said; the same file
again changes nothing; a corrected file corrects by events, never a second commitment; a failure
part-way leaves whole batches, and importing again resumes."""

import csv
import io
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from api.bootstrap import Services
from api.cli import main as cli
from application.inputs import TextInput
from domain.access import Role
from tests.actors import acting
from tests.conftest import Api
from tests.world import World

HEADERS = [
    "الرقم",
    "النشاط",
    "Activity (en)",
    "الجهة المسؤولة",
    "الجهات الشريكة",
    "الإطار الزمني",
    "ملاحظات",
    "الميزانية",
]
ROWS = [
    [
        "1",
        "برنامج مشترك لبناء القدرات الإحصائية",
        "Joint statistical capacity-building programme",
        "مركز الابحاث الاحصائية والاقتصادية والاجتماعية والتدريب للدول الاسلامية",
        "UN",
        "للسنتين القادمتين",
        "",
        "100000",
    ],
    [
        "2",
        "منتدى الأمن الغذائي",
        "Food security forum",
        "iofs",
        "الأمم المتحدة ومنظمة التعاون الإسلامي",
        "2024",
        "يعقد في أستانا",
        "",
    ],
    ["3", "تبادل الخبرات", "", "OIC", "UNESCO", "2023-Q4", "", ""],
    ["4", "ورشة عمل", "Workshop", "UN", "", "soon", "", ""],
]


def csv_of(rows: list[list[str]], separator: str = ";", headers: list[str] = HEADERS) -> bytes:
    lines = [separator.join(headers), *(separator.join(row) for row in rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def agreement(api: Api, world: World) -> str:
    return str(
        api.created(
            "/agreements",
            {
                "meeting_id": world.meeting,
                "kind": "action_matrix",
                "adopted_by": [world.un, world.oic],
                "title": {"texts": {"ar": "مصفوفة الأنشطة المشتركة"}},
            },
        )["id"]
    )


def upload(api: Api, agreement_id: str, data: bytes, name: str = "matrix.csv", **form: str) -> Any:
    return api.client.post(
        f"/agreements/{agreement_id}/imports",
        files={"file": (name, data, "text/csv")},
        data=form,
        headers=api.headers(Role.COORDINATOR),
    )


def events(services: Services) -> int:
    return services.store.recorder.max_notification_id() or 0


def test_a_dry_run_shows_the_mapping_and_each_rows_outcome_and_stores_nothing(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    before = events(services)
    answer = upload(api, matrix, csv_of(ROWS))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert events(services) == before and report["dry_run"] is True
    assert [(c["column"], c["field"], c["language"]) for c in report["columns"]] == [
        ("A", "key", None),
        ("B", "activity", None),
        ("C", "activity", "en"),
        ("D", "lead", None),
        ("E", "partners", None),
        ("F", "due", None),
        ("G", "notes", None),
    ]
    assert report["ignored_columns"] == ["الميزانية"]
    outcomes = {row["key"]: row for row in report["rows"]}
    assert outcomes["1"]["outcome"] == outcomes["2"]["outcome"] == "new"
    assert outcomes["3"]["outcome"] == "refused" and outcomes["3"]["refused"][0]["field"] == "partners"
    assert "UNESCO" in outcomes["3"]["refused"][0]["reason"]
    assert outcomes["4"]["refused"][0]["field"] == "due" and "soon" in outcomes["4"]["refused"][0]["reason"]
    assert report["unknown_parties"] == [{"name": "UNESCO", "lines": [4]}]
    assert report["counts"] == {"new": 2, "unchanged": 0, "changed": 0, "refused": 2}
    assert api.get("/commitments", agreement=matrix).json()["items"] == []


def test_the_import_stores_the_accepted_rows_as_the_dry_run_said_and_again_changes_nothing(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    plan = upload(api, matrix, csv_of(ROWS)).json()["plan"]
    stored = upload(api, matrix, csv_of(ROWS), dry_run="false", status="agreed", plan=plan).json()
    assert stored["counts"]["new"] == 2 and [r["stored"] for r in stored["rows"]] == [True, True, False, False]
    made = {c["provenance"]["clause"]: c for c in api.get("/commitments", agreement=matrix).json()["items"]}
    assert sorted(made) == ["row 1", "row 2"]
    forum = made["row 2"]
    assert forum["text"]["texts"] == {"ar": "منتدى الأمن الغذائي", "en": "Food security forum"}
    assert forum["text"]["authentic"] == "ar" and forum["status"] == "agreed" and forum["notes"] == "يعقد في أستانا"
    assert forum["lead_party_id"] == world.iofs and forum["supporting_party_ids"] == [world.un, world.oic]
    assert (forum["due"]["precision"], forum["due"]["value"], forum["due"]["time_zone"]) == (
        "year",
        "2024",
        "Europe/Zurich",
    )
    assert made["row 1"]["due"]["precision"] == "relative" and made["row 1"]["due"]["amount"] == 2
    before = events(services)
    again = upload(api, matrix, csv_of(ROWS), dry_run="false").json()
    assert again["counts"] == {"new": 0, "unchanged": 2, "changed": 0, "refused": 2} and events(services) == before


def test_a_corrected_file_corrects_the_same_commitments_by_events(api: Api, world: World) -> None:
    matrix = agreement(api, world)
    upload(api, matrix, csv_of(ROWS[:2]), dry_run="false")
    first = {c["provenance"]["clause"]: c["id"] for c in api.get("/commitments", agreement=matrix).json()["items"]}
    corrected = [list(row) for row in ROWS[:2]]
    corrected[0][2] = "Joint statistical capacity-building programme (phase I)"
    corrected[0][5] = "2025-06"
    corrected[1][4] = "UN"
    corrected[1][6] = ""
    dry = upload(api, matrix, csv_of(corrected)).json()
    assert [(r["outcome"], r["changed"]) for r in dry["rows"]] == [
        ("changed", ["activity", "due"]),
        ("changed", ["partners", "notes"]),
    ]
    upload(api, matrix, csv_of(corrected), dry_run="false", plan=dry["plan"])
    now = {c["provenance"]["clause"]: c for c in api.get("/commitments", agreement=matrix).json()["items"]}
    assert {clause: c["id"] for clause, c in now.items()} == first  # the same commitments, no second one
    assert now["row 1"]["text"]["texts"]["en"].endswith("(phase I)") and now["row 1"]["due"]["value"] == "2025-06"
    assert now["row 2"]["supporting_party_ids"] == [world.un] and now["row 2"]["notes"] is None
    history = api.get(f"/commitments/{first['row 1']}/history").json()["events"]
    assert [e["type"] for e in history][-2:] == ["Corrected", "DueRevised"]
    assert history[-1]["reason"] == history[-2]["reason"] == "corrected by importing matrix.csv"
    assert history[-2]["payload"]["fields"] == ["text"]


def test_imported_rows_are_rows_of_their_matrix_in_key_order_with_lead_partners_and_timeframe_as_written(
    api: Api, world: World
) -> None:
    matrix = agreement(api, world)
    by_hand = api.post(
        f"/agreements/{matrix}/rows",
        {
            "activity": {"texts": {"en": "Statistical yearbook"}},
            "lead_party_id": world.sesric,
            "timeframe": {"precision": "year", "value": "2025"},
        },
    ).json()["rows"][0]
    keyed = [
        ["10", "ورشة عمل", "Workshop", "UN", "OIC", "Q3 2025", "", ""],  # 10 after 1.1 and 1.2
        ["1.1", *ROWS[0][1:]],
        ["1.2", *ROWS[1][1:]],
    ]
    report = upload(api, matrix, csv_of(keyed), dry_run="false", status="agreed").json()
    assert report["counts"]["new"] == 3
    rows = api.get(f"/agreements/{matrix}").json()["rows"]
    assert [(r["key"], r["number"]) for r in rows] == [(None, 1), ("1.1", 3), ("1.2", 4), ("10", 2)]
    assert by_hand["number"] == 1
    forum = rows[2]
    assert forum["activity"]["texts"] == {"ar": "منتدى الأمن الغذائي", "en": "Food security forum"}
    assert forum["lead_party_id"] == world.iofs and forum["partner_party_ids"] == [world.un, world.oic]
    assert forum["written"] == "2024" and forum["timeframe"]["value"] == "2024"
    assert rows[3]["written"] == "Q3 2025" and rows[3]["timeframe"]["value"] == "2025-Q3"
    assert rows[1]["written"] == "للسنتين القادمتين" and rows[1]["timeframe"]["precision"] == "relative"
    made = {c["provenance"]["clause"]: c for c in api.get("/commitments", agreement=matrix).json()["items"]}
    assert {clause: c["provenance"]["row_number"] for clause, c in made.items()} == {
        "row 10": 2,
        "row 1.1": 3,
        "row 1.2": 4,
    }

    corrected = [list(row) for row in keyed]
    corrected[1][4] = "OIC"
    corrected[2][5] = "2024-Q4"
    upload(api, matrix, csv_of(corrected), dry_run="false")
    rows = api.get(f"/agreements/{matrix}").json()["rows"]
    assert [(r["key"], r["number"]) for r in rows] == [(None, 1), ("1.1", 3), ("1.2", 4), ("10", 2)]
    assert rows[1]["partner_party_ids"] == [world.oic]
    assert rows[2]["written"] == "2024-Q4" and rows[2]["timeframe"]["value"] == "2024-Q4"
    history = [e["type"] for e in api.get(f"/agreements/{matrix}/history").json()["events"]]
    assert history == ["Adopted", "RowAdded", "RowsImported", "RowsRevised"]


def test_a_file_whose_keys_are_the_numbers_of_rows_recorded_by_hand_updates_those_rows(api: Api, world: World) -> None:
    matrix = agreement(api, world)
    for activity in ("Joint statistical capacity-building programme", "Food security forum"):
        row = api.post(
            f"/agreements/{matrix}/rows", {"activity": {"texts": {"en": activity}}, "lead_party_id": world.sesric}
        ).json()["rows"][-1]
        api.created(
            "/commitments",
            {
                "meeting_id": world.meeting,
                "agreement_id": matrix,
                "row_number": row["number"],
                "lead_party_id": world.sesric,
                "status": "agreed",
                "text": {"texts": {"en": activity}},
            },
        )
    dry = upload(api, matrix, csv_of(ROWS[:3])).json()
    assert [(r["key"], r["outcome"]) for r in dry["rows"]] == [("1", "changed"), ("2", "changed"), ("3", "refused")]
    upload(api, matrix, csv_of(ROWS[:2]), dry_run="false", plan=upload(api, matrix, csv_of(ROWS[:2])).json()["plan"])
    assert len(api.get("/commitments", agreement=matrix).json()["items"]) == 2  # no second commitment of a row
    rows = api.get(f"/agreements/{matrix}").json()["rows"]
    assert [(r["number"], r["key"]) for r in rows] == [(1, "1"), (2, "2")]  # the same rows, now keyed
    assert rows[1]["lead_party_id"] == world.iofs


def test_imported_rows_show_on_the_agreement_page_its_report_and_its_iati_export(
    api: Api, world: World, services: Services
) -> None:
    from lxml import etree

    from tests.exports.test_iati import SCHEMA
    from tests.pages.test_web_pages import visitor_of

    matrix = agreement(api, world)
    upload(api, matrix, csv_of(ROWS[:2]), dry_run="false", status="agreed")
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.AUDITOR])
        for language in ("ar", "en", "fr"):
            visitor.client.headers["Accept-Language"] = language
            for path in (f"/agreements/{matrix}", f"/reports/agreements/{matrix}"):
                page = visitor.open(path)
                assert page.status == 200, (path, language, page.words()[:300])
                tables = "//main//table[not(ancestor::details)][1]/tbody/tr"  # not a chart's table
                cells = [" ".join(row.text_content().split()) for row in page.all(tables)]
                assert cells[0].startswith("1 ") and "SESRIC" in cells[0] and "للسنتين القادمتين" in cells[0]
                assert cells[1].startswith("2 ") and "IOFS" in cells[1] and "UN" in cells[1] and "2024" in cells[1]
    exported = etree.fromstring(api.get(f"/agreements/{matrix}/iati").content)
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(exported)
    rows = exported.findall("iati-activity/other-identifier")
    numbers = []
    for r in rows:
        ref = r.get("ref")
        assert ref is not None
        numbers.append(ref.rsplit("-row-", 1)[1])
    assert sorted(numbers) == ["1", "2"]


def test_the_status_report_of_an_agreement_without_matrix_rows_lists_its_commitments_in_every_language(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    recommendations = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "recommendations",
            "adopted_by": [world.un, world.oic],
            "title": {"texts": {"ar": "توصيات الاجتماع", "en": "Recommendations"}, "authentic": "ar"},
        },
    )["id"]
    api.created(
        "/commitments",
        {
            "meeting_id": world.meeting,
            "agreement_id": recommendations,
            "clause": "3",
            "lead_party_id": world.oic,
            "status": "agreed",
            "text": {"texts": {"ar": "تعزيز تبادل البيانات"}},
        },
    )
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.AUDITOR])
        for language in ("ar", "en", "fr"):
            visitor.client.headers["Accept-Language"] = language
            page = visitor.open(f"/reports/agreements/{recommendations}")
            assert page.status == 200 and "تعزيز تبادل البيانات" in page.words(), language


def test_an_import_whose_records_changed_since_its_dry_run_is_refused(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    plan = upload(api, matrix, csv_of(ROWS[:1])).json()["plan"]
    upload(api, matrix, csv_of(ROWS[:1]), dry_run="false")  # someone imported it meanwhile
    before = events(services)
    refused = upload(api, matrix, csv_of(ROWS[:1]), dry_run="false", plan=plan)
    assert refused.status_code == 412 and refused.json()["type"] == "/problems/plan-changed"
    assert events(services) == before


def test_an_xlsx_matrix_with_english_headers_and_date_cells_is_imported(api: Api, world: World) -> None:
    matrix = agreement(api, world)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on a worksheet
    sheet.append(["Matrix of joint activities"])  # a title row: the headers are on the first full row after it
    sheet.append([])
    sheet.append(["No", "Activity", "Lead party", "Partners", "Deadline"])
    sheet.append([1, "Train statisticians", "sesric", "United Nations", datetime(2024, 3, 31)])
    sheet.append([2, "Publish a joint report", "OIC", None, "ongoing"])
    data = io.BytesIO()
    book.save(data)
    report = upload(api, matrix, data.getvalue(), name="matrix.xlsx", dry_run="false").json()
    assert [(r["line"], r["outcome"]) for r in report["rows"]] == [(4, "new"), (5, "new")]
    made = {c["provenance"]["clause"]: c for c in api.get("/commitments", agreement=matrix).json()["items"]}
    assert made["row 1"]["due"]["value"] == "2024-03-31" and made["row 2"]["due"] is None


def test_files_that_cannot_be_read_are_refused_with_a_problem_and_store_nothing(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    before = events(services)
    for data, expected in (
        (b"", "the file is empty"),
        ("النشاط".encode("cp1256") + b"\n", "neither XLSX nor UTF-8"),
        (b"PK\x03\x04broken", "the workbook cannot be read"),
        (csv_of([], headers=["activity", "partners"]), "no column holds the lead"),
    ):
        refused = upload(api, matrix, data, dry_run="false")
        assert refused.status_code == 422 and expected in refused.json()["detail"], refused.text
    assert upload(api, "00000000-0000-0000-0000-000000000000", csv_of(ROWS)).status_code == 404
    limited = api.client.post(
        f"/agreements/{matrix}/imports", files={"file": ("m.csv", csv_of(ROWS))}, headers=api.headers(Role.AUDITOR)
    )
    assert limited.status_code == 403
    assert events(services) == before


def test_a_failure_part_way_leaves_whole_batches_and_importing_again_resumes(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    rows = [[str(n), f"Activity {n}", f"Activity {n}", "UN", "", "2030", "", ""] for n in range(1, 121)]
    table = services.spreadsheets.read(csv_of(rows), "big.csv")
    plan = services.imports.run(acting("coordinator"), matrix, table)
    collider = next(r for r in plan.rows if r.key == "70")

    def collide(phase: str, done: int, total: int) -> None:
        if phase == "storing" and done == 50:  # someone records row 70 while the second batch is being stored
            services.tracker.commitments.record(
                acting("other"),
                TextInput({"en": "Activity 70"}),
                UUID(world.un),
                UUID(world.meeting),
                agreement_id=UUID(matrix),
                commitment_id=UUID(collider.commitment_id),
            )

    stopped = services.imports.run(acting("coordinator"), matrix, table, dry_run=False, batch_size=50, progress=collide)
    assert stopped.stopped is not None and stopped.stopped["batch"] == 2 and stopped.batches_stored == 1
    assert stopped.stopped["first_line"] == 52 and stopped.stopped["last_line"] == 101
    listed = api.get("/commitments", agreement=matrix, limit=200).json()["items"]
    assert len(listed) == 51  # the first batch whole, nothing of the second (and the row recorded meanwhile)
    assert len(api.get(f"/agreements/{matrix}").json()["rows"]) == 120  # the matrix's rows came with the first
    resumed = services.imports.run(acting("coordinator"), matrix, table, dry_run=False, batch_size=50)
    assert resumed.stopped is None
    assert resumed.counts == {"new": 69, "unchanged": 50, "changed": 1, "refused": 0}  # row 70: its due
    made = api.get("/commitments", agreement=matrix, limit=200).json()["items"]
    assert len(made) == 120 and len(api.get(f"/agreements/{matrix}").json()["rows"]) == 120
    assert len({c["provenance"]["row_number"] for c in made} - {None}) == 119  # row 70's was recorded by hand


def test_the_cli_imports_a_file_after_its_dry_run(
    services: Services, api: Api, world: World, tmp_path: Any, capsys: Any
) -> None:
    matrix = agreement(api, world)
    path = tmp_path / "matrix.csv"
    path.write_bytes(csv_of(ROWS[:2], separator=","))
    url = services.settings.database_url
    assert cli(["import", matrix, str(path), "--database-url", url]) == 0
    said = capsys.readouterr().out
    assert "dry run: 2 new" in said and "nothing stored" in said
    assert api.get("/commitments", agreement=matrix).json()["items"] == []
    assert cli(["import", matrix, str(path), "--apply", "--database-url", url]) == 0
    assert "stored 1 of 1 batches: 2 new" in capsys.readouterr().out
    assert len(api.get("/commitments", agreement=matrix).json()["items"]) == 2


def test_a_coordinator_imports_a_matrix_through_the_pages_after_reading_its_dry_run_in_arabic(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    matrix = agreement(api, world)
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.COORDINATOR], f"/agreements/{matrix}")
        assert visitor.open(f"/agreements/{matrix}").all(f"//a[@href='/app/agreements/{matrix}/import']")
        visitor.client.headers["Accept-Language"] = "ar"
        visitor.open(f"/agreements/{matrix}/import")
        dry = visitor.upload(f"/agreements/{matrix}/import", ("matrix.csv", csv_of(ROWS)), {"status": "agreed"})
        empty = visitor.upload(f"/agreements/{matrix}/import", ("matrix.csv", b""), {})
        assert empty.status == 422 and "الملف فارغ" in empty.words()  # the refusal in the reader's language
        assert dry.status == 200 and "لم يُحفظ شيء بعد" in dry.words()
        assert [row.get("class") for row in dry.all("//table[@id='rows']/tbody/tr")] == [
            "outcome-new",
            "outcome-new",
            "outcome-refused",
            "outcome-refused",
        ]
        assert "UNESCO" in dry.words()
        assert api.get("/commitments", agreement=matrix).json()["items"] == []
        confirm = {field.get("name"): field.get("value") for field in dry.all("//form[.//input[@name='apply']]//input")}
        stored = visitor.client.post(
            f"/app/agreements/{matrix}/import", files={k: (None, v) for k, v in confirm.items()}
        )
        assert stored.status_code == 200 and "حُفظ كل صف مقبول." in stored.text
        assert len(api.get("/commitments", agreement=matrix).json()["items"]) == 2


@pytest.mark.slow  # 5000 rows stored
def test_a_file_of_5000_rows_imports_in_one_call_in_batches(api: Api, world: World) -> None:
    matrix = agreement(api, world)
    rows = [
        [str(n), f"نشاط رقم {n}", f"Activity {n}", "SESRIC", "UN, OIC", f"{2025 + n % 4}-Q{1 + n % 4}", "", ""]
        for n in range(1, 5001)
    ]
    answer = upload(api, matrix, csv_of(rows), dry_run="false", status="agreed")
    assert answer.status_code == 200, answer.text[:500]
    report = answer.json()
    assert report["counts"]["new"] == 5000 and report["batches"] == report["batches_stored"] == 10
    assert api.get("/commitments", agreement=matrix, limit=1).json()["total"] == 5000


def test_a_file_name_that_would_reach_the_log_passes_the_checks_every_name_passes(
    api: Api, world: World, services: Services
) -> None:
    matrix = agreement(api, world)
    before = events(services)
    for name, words in (("matrix\u202egpj.csv", "direction override"), ("mat\u200brix.csv", "invisible")):
        refused = upload(api, matrix, csv_of(ROWS), name=name, dry_run="false")
        assert refused.status_code == 422 and refused.json()["field"] == "file", refused.text
        assert words in refused.json()["detail"]
    assert events(services) == before


def test_line_breaks_in_one_line_cells_become_spaces_and_are_said_while_notes_keep_theirs(
    api: Api, world: World
) -> None:
    matrix = agreement(api, world)
    written = io.StringIO()
    csv.writer(written).writerows(
        [HEADERS, ["7\n", "نشاط", "Activity", "UN", "", "Q3\n2025", "first line\nsecond line", ""]]
    )
    file = written.getvalue().encode()
    dry = upload(api, matrix, file).json()
    [row] = dry["rows"]
    assert (row["outcome"], row["key"], sorted(row["folded"])) == ("new", "7", ["due", "key"])
    upload(api, matrix, file, dry_run="false")
    [made] = api.get("/commitments", agreement=matrix).json()["items"]
    assert made["due"]["precision"] == "quarter" and made["notes"] == "first line\nsecond line"
    [matrix_row] = api.get(f"/agreements/{matrix}").json()["rows"]
    assert "\n" not in matrix_row["written"]
