"""Spreadsheets made to hurt the reader (a zip bomb, a shared-strings bomb, entities, a huge cell,
ten times the rows an import takes, a sheet declaring every cell Excel can address) cost only what
their real content costs: each is refused with a problem through the API and the pages on both
engines and stores nothing, and the reading runs in a process the kernel limits."""

import json
import subprocess

import pytest

from application.errors import ReadersBusy, TooLarge
from bench import hostile_files
from domain.access import Role
from infrastructure.spreadsheets.reader import SpreadsheetReader
from tests.conftest import Standing
from tests.pages.test_web_pages import visitor_of

pytestmark = pytest.mark.slow  # hostile files read by processes of their own, through a real server

# file: (status, words of the refusal)
REFUSED = {
    "whitespace bomb": (413, "the part xl/worksheets/sheet1.xml of the workbook inflates to 600 MB; at most 128 MB"),
    "shared-strings bomb": (413, "the workbook holds more than 500000 distinct texts"),
    "entities": (422, "the workbook declares XML entities or a document type"),
    "10 MB cell": (422, "the cell on line 2 holds 10485760 characters; a cell holds at most 32767"),
    "200,000 rows": (413, "a file holds at most 20000 rows"),
}


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {name: make() for name, make in hostile_files.HOSTILE.items()}


@pytest.fixture(scope="module")
def matrix(standing: Standing) -> str:
    world = standing.world
    return str(
        standing.api.created(
            "/agreements",
            {
                "meeting_id": world.meeting,
                "kind": "action_matrix",
                "adopted_by": [world.un, world.oic],
                "title": {"texts": {"en": "Joint activities"}},
            },
        )["id"]
    )


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_spreadsheet_is_refused_through_the_api_with_a_problem_naming_the_limit(
    standing: Standing, matrix: str, standing_unchanged: None, files: dict[str, bytes], name: str
) -> None:
    status, words = REFUSED[name]
    for dry_run in ("true", "false"):
        answer = standing.api.client.post(
            f"/agreements/{matrix}/imports",
            files={"file": ("matrix.xlsx", files[name])},
            data={"dry_run": dry_run},
            headers=standing.api.headers(Role.COORDINATOR),
        )
        assert answer.status_code == status and words in answer.json()["detail"], answer.text[:300]
        assert answer.headers["content-type"] == "application/problem+json"


def test_hostile_spreadsheets_are_refused_on_the_import_page_in_the_readers_words(
    standing: Standing, matrix: str, standing_unchanged: None, files: dict[str, bytes]
) -> None:
    for visitor in visitor_of(standing.services):
        visitor.sign_in(standing.api.keys[Role.COORDINATOR], f"/agreements/{matrix}/import")
        for name, (status, words) in REFUSED.items():
            page = visitor.upload(f"/agreements/{matrix}/import", ("matrix.xlsx", files[name]), {})
            assert page.status == status and words in page.words(), name


def test_a_sheets_declared_range_is_not_read_only_its_rows(
    standing: Standing, matrix: str, standing_unchanged: None, files: dict[str, bytes]
) -> None:
    answer = standing.api.client.post(
        f"/agreements/{matrix}/imports",
        files={"file": ("matrix.xlsx", files["sparse range"])},
        headers=standing.api.headers(Role.COORDINATOR),
    )
    assert answer.status_code == 200, answer.text[:300]
    assert [row["line"] for row in answer.json()["rows"]] == [2]  # the cell at XFD1048576 is past 1,000 empty rows


def test_a_bomb_is_refused_from_the_sizes_its_archive_states_before_anything_inflates_it(
    files: dict[str, bytes],
) -> None:
    # A reader with too little memory to hold the part inflated still refuses it by its stated size.
    with pytest.raises(TooLarge, match="inflates to 600 MB"):
        SpreadsheetReader(memory_bytes=256 * 2**20).read(files["whitespace bomb"], "bomb.xlsx")


def test_the_process_that_reads_files_runs_under_the_kernels_limits() -> None:
    reader = SpreadsheetReader(cpu_seconds=7, memory_bytes=300 * 2**20)
    limits = json.loads(subprocess.run(reader.command("--limits"), capture_output=True, check=True).stdout)
    assert limits == {"cpu_seconds": 7, "memory_bytes": 300 * 2**20, "open_files": 16}
    assert (
        json.loads(subprocess.run(SpreadsheetReader().command("--limits"), capture_output=True, check=True).stdout)[
            "memory_bytes"
        ]
        == 2**30
    )


def test_the_process_that_reads_a_file_starts_without_loading_the_use_cases_or_the_event_store() -> None:
    """A process starts for each file: it loads what reads a sheet, not the application (3 × slower)."""
    python, *reading = SpreadsheetReader().command()
    loaded = subprocess.run(
        [python, "-X", "importtime", *reading],
        input=b"activity,lead\nA study,UN\n",
        capture_output=True,
        check=True,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in loaded.stderr.decode().splitlines()}
    assert json.loads(loaded.stdout)["rows"] == [[2, ["A study", "UN"]]]
    assert "infrastructure.spreadsheets.rows" in modules
    assert not {m for m in modules if m.startswith(("application.listing", "application.records", "eventsourcing"))}


def test_a_file_that_needs_more_memory_than_a_reader_has_is_refused_not_an_error() -> None:
    reader = SpreadsheetReader(memory_bytes=48 * 2**20)  # enough for a small file, not for 20,000 rows
    assert len(reader.read(hostile_files.matrix(2), "matrix.xlsx").rows) == 2
    with pytest.raises(TooLarge, match="or the 48 MB of memory that one file may take"):
        reader.read(hostile_files.matrix(20_000), "matrix.xlsx")


def test_when_every_reader_is_busy_a_request_is_told_to_retry() -> None:
    reader = SpreadsheetReader(parallel=1, wait=0.0)
    reader.slots.acquire()
    with pytest.raises(ReadersBusy):
        reader.read(hostile_files.matrix(2), "matrix.xlsx")
    reader.slots.release()
    assert len(reader.read(hostile_files.matrix(2), "matrix.xlsx").rows) == 2
