"""Evidence files: sent once, kept by their SHA-256, cited by a delivery or a progress report whose event holds
the hash, size, type and name; downloaded byte for byte, never run in the reader's browser. Their type is read
from their bytes: a page of HTML or an SVG drawing named as a PDF is refused, and nothing is kept."""

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, update

from api.bootstrap import Services
from api.cli import main
from application.records.evidence_files import EvidenceFiles, FileLimits
from domain.access import Role
from infrastructure.files.detection import detected_type
from infrastructure.files.quota import UploadCounts
from infrastructure.files.stores import FolderFiles
from infrastructure.files.tables import evidence_files
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.history.test_audit_chain import run_verifier
from tests.pages.test_web_pages import visitor_of
from tests.web import Visitor
from tests.world import World

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def sent(api: Api, name: str, data: bytes, role: Role = Role.COORDINATOR) -> httpx.Response:
    answer: httpx.Response = api.client.post(
        "/files", files={"file": (name, data, "application/octet-stream")}, headers=api.headers(role)
    )
    return answer


def kept(services: Services) -> list[str]:
    return list(services.files.store.hashes())


def test_a_file_cited_by_a_delivery_is_kept_once_and_downloaded_byte_for_byte_under_its_arabic_name(
    api: Api, world: World, services: Services
) -> None:
    first = sent(api, "تقرير التنفيذ.pdf", PDF)
    assert first.status_code == 201, first.text
    described = first.json()
    assert described == {
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
        "media_type": "application/pdf",
        "name": "تقرير التنفيذ.pdf",
    }
    assert sent(api, "again.pdf", PDF).status_code == 201 and kept(services) == [described["sha256"]]
    evidence = {"title": "تقرير التنفيذ", "file": {"sha256": described["sha256"], "name": described["name"]}}
    delivered = api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [evidence]})
    assert delivered.status_code == 200, delivered.text
    [cited] = api.get(f"/commitments/{world.commitment}").json()["evidence"]
    assert cited["file"] == described

    download = api.get(f"/commitments/{world.commitment}/evidence/1/file", role=Role.AUDITOR)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in download.headers["content-security-policy"]
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D8%AA%D9%82" in disposition
    assert api.get(f"/commitments/{world.commitment}/evidence/2/file").status_code == 404


def test_an_image_reported_with_progress_is_shown_and_the_size_and_type_are_the_bytes_not_the_clients_word(
    api: Api, world: World
) -> None:
    digest = sent(api, "photo.jpg", PNG).json()  # named a JPEG, its bytes are a PNG
    assert digest["media_type"] == "image/png"
    evidence: dict[str, Any] = {
        "title": "Workshop",
        "file": {"sha256": digest["sha256"], "size": 1, "media_type": "application/pdf"},
    }
    reported = api.post(f"/commitments/{world.commitment}/progress", {"percent": 40, "evidence": [evidence]})
    assert reported.status_code == 422  # a file is cited by its hash and name only
    del evidence["file"]["size"], evidence["file"]["media_type"]
    reported = api.post(f"/commitments/{world.commitment}/progress", {"percent": 40, "evidence": [evidence]})
    assert reported.status_code == 200, reported.text
    [cited] = reported.json()["evidence"]
    assert cited["file"] == {
        "sha256": digest["sha256"],
        "size": len(PNG),
        "media_type": "image/png",
        "name": "Workshop.png",
    }
    shown = api.get(f"/commitments/{world.commitment}/evidence/1/file")
    assert shown.headers["content-disposition"].startswith("inline;") and shown.content == PNG


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("chart.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("minutes.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("archive.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40),
        ("notes.txt", "ملاحظات\x00\x01".encode()),
        ("empty.pdf", b""),
        ("note.txt", "\u00a0<html><body>ملاحظة</body></html>".encode()),  # markup after a space
        ("note.txt", b"x" * 70_000 + b"<script>alert(1)</script>"),  # markup far in
        ("note.txt", b"see <img src=x onerror=alert(1)>"),
    ],
)
def test_a_file_whose_bytes_are_not_a_document_an_image_or_text_is_refused_whatever_its_name(
    api: Api, services: Services, name: str, data: bytes
) -> None:
    refused = sent(api, name, data)
    assert refused.status_code == 422 and refused.json()["field"] == "file", refused.text
    assert kept(services) == []


def test_a_file_is_sent_by_a_key_that_records_and_cited_only_once_it_was_sent(
    api: Api, world: World, services: Services
) -> None:
    assert sent(api, "report.pdf", PDF, role=Role.AUDITOR).status_code == 403
    never = {"title": "Report", "file": {"sha256": hashlib.sha256(b"never sent").hexdigest()}}
    before = services.store.recorder.max_notification_id()
    refused = api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [never]})
    assert refused.status_code == 422 and refused.json()["field"] == "evidence[0].file", refused.text
    assert services.store.recorder.max_notification_id() == before


def test_a_file_larger_than_the_setting_is_refused_and_a_partys_links_send_at_most_their_day(
    services: Services, world: World, clock: FrozenClock
) -> None:
    limits = FileLimits(most_bytes=2048, link_files_per_day=2, link_bytes_per_day=len(PDF) * 2)
    files = EvidenceFiles(services.files.store, detected_type, limits, UploadCounts(services.engine, clock))
    with pytest.raises(Exception, match="at most 2048 bytes"):
        files.keep_from_link(world.sesric, "big.pdf", PDF + b"\x00" * 4096)
    files.keep_from_link(world.sesric, "one.pdf", PDF)
    files.keep_from_link(world.sesric, "two.pdf", PDF)
    with pytest.raises(Exception, match="sent what they may today"):
        files.keep_from_link(world.sesric, "three.pdf", PDF)
    files.keep_from_link(world.iofs, "other party.pdf", PDF)  # each party has its own day
    clock.advance(days=1)
    files.keep_from_link(world.sesric, "three.pdf", PDF)  # and a new day


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def test_a_coordinator_delivers_with_a_file_on_the_arabic_page_and_its_readers_download_it(
    api: Api, world: World, services: Services, visitor: Visitor
) -> None:
    visitor.sign_in(api.keys[Role.COORDINATOR])
    page = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
    [form] = page.all("//form[contains(@action, '/deliver')]")
    assert form.get("enctype") == "multipart/form-data" and form.xpath(".//input[@type='file']")
    version = form.xpath(".//input[@name='version']")[0].get("value")
    refused = visitor.upload(
        f"/commitments/{world.commitment}/deliver",
        ("محضر.pdf", b"<html></html>"),
        {"version": version},
        "evidence_file_1",
    )
    assert refused.status == 422 and kept(services) == []
    done = visitor.upload(
        f"/commitments/{world.commitment}/deliver", ("محضر الاجتماع.pdf", PDF), {"version": version}, "evidence_file_1"
    )
    assert done.status == 200, done.words()[:500]
    shown = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
    [link] = shown.all("//section[@aria-labelledby='evidence-title']//a[@class='file']")
    assert link.text_content().strip().endswith("محضر الاجتماع.pdf")
    download = visitor.client.get(link.get("href"))
    assert download.status_code == 200 and download.content == PDF


def tamper_with_file(services: Services, sha256: str, data: bytes | None) -> None:
    """What someone with the disk or the database does to a kept file: rewrites it, or removes it."""
    store = services.files.store
    if isinstance(store, FolderFiles):
        path = store.folder / sha256[:2] / sha256
        path.unlink() if data is None else path.write_bytes(data)
        return
    with services.engine.begin() as connection:
        chosen = evidence_files.c.sha256 == sha256
        connection.execute(
            delete(evidence_files).where(chosen)
            if data is None
            else update(evidence_files).where(chosen).values(content=data)
        )


def test_the_audit_reports_a_cited_file_altered_or_missing_on_either_engine(
    api: Api, world: World, services: Services, clock: FrozenClock
) -> None:
    digest = sent(api, "report.pdf", PDF).json()["sha256"]
    evidence = {"title": "Report", "file": {"sha256": digest}}
    assert api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [evidence]}).status_code == 200
    verified = api.get("/audit/verify", role=Role.AUDITOR).json()
    assert verified["intact"] and verified["files"] == {"files": 1, "missing": [], "altered": []}

    tamper_with_file(services, digest, PDF.replace(b"Catalog", b"Katalog"))
    assert api.get("/audit/verify", role=Role.AUDITOR).json()["intact"]  # checked already within the interval
    clock.advance(seconds=services.settings.audit_full_check_interval + 1)
    altered = api.get("/audit/verify", role=Role.AUDITOR).json()
    assert not altered["intact"] and [f["sha256"] for f in altered["files"]["altered"]] == [digest]
    assert api.get(f"/commitments/{world.commitment}/evidence/1/file").status_code == 404  # never served altered

    tamper_with_file(services, digest, None)
    missing = api.get("/audit/verify", role=Role.AUDITOR).json()  # a file gone is seen at once
    assert [f["sha256"] for f in missing["files"]["missing"]] == [digest] and "missing" in missing["problem"]


def test_the_offline_bundle_carries_the_cited_files_and_its_verifier_finds_one_altered_or_missing(
    api: Api, world: World, services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = sent(api, "report.pdf", PDF).json()["sha256"]
    evidence = {"title": "Report", "file": {"sha256": digest}}
    assert api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [evidence]}).status_code == 200
    zipped = api.get("/audit/export", role=Role.AUDITOR, files="true")
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert f"audit-bundle/files/{digest}" in names

    bundle = tmp_path / "bundle"
    url = services.settings.database_url
    assert main(["audit", "export", "--with-files", "--output", str(bundle), "--database-url", url]) == 0
    intact = run_verifier(bundle)
    assert intact.returncode == 0 and "1 file(s) cited, each one the bytes its hash names" in intact.stdout
    (bundle / "files" / digest).write_bytes(PDF + b"%")
    altered = run_verifier(bundle)
    assert altered.returncode == 1 and f"the file {digest}" in altered.stdout and "not the one cited" in altered.stdout
    (bundle / "files" / digest).unlink()
    assert "missing from the bundle" in run_verifier(bundle).stdout
    without = tmp_path / "without"
    assert main(["audit", "export", "--output", str(without), "--database-url", url]) == 0
    assert "not included" in run_verifier(without).stdout


def test_a_comment_carries_files_and_a_hidden_comment_gives_none(api: Api, world: World) -> None:
    digest = sent(api, "صورة الورشة.png", PNG).json()
    body = {
        "text": "صور الورشة الأولى",
        "language": "ar",
        "files": [{"sha256": digest["sha256"], "name": digest["name"]}],
    }
    commented = api.post(f"/commitments/{world.commitment}/comments", body)
    assert commented.status_code == 200, commented.text
    [comment] = commented.json()["comments"]
    assert comment["files"] == [digest]
    path = f"/commitments/{world.commitment}/comments/1/files/1"
    assert api.get(path, role=Role.AUDITOR).content == PNG
    too_many = {"text": "six", "files": [{"sha256": digest["sha256"]}] * 6}
    assert api.post(f"/commitments/{world.commitment}/comments", too_many).status_code == 422
    hidden = api.post(
        f"/commitments/{world.commitment}/comments/1/hiding", {"reason": "a private photo"}, role=Role.ADMIN
    )
    assert hidden.status_code == 200 and hidden.json()["comments"][0]["files"] == []
    assert api.get(path).status_code == 404
    [event] = [
        e for e in api.get(f"/commitments/{world.commitment}/history").json()["events"] if e["type"] == "Commented"
    ]
    assert event["payload"]["files"] == [] and event["payload"]["hidden"]  # its hash is not shown to cite again


def test_a_comment_on_the_page_carries_the_file_chosen_with_it(api: Api, world: World, visitor: Visitor) -> None:
    visitor.sign_in(api.keys[Role.COORDINATOR])
    visitor.open(f"/commitments/{world.commitment}")
    done = visitor.upload(
        f"/commitments/{world.commitment}/comments", ("minutes.pdf", PDF), {"text": "the minutes", "language": "en"}
    )
    assert done.status == 200
    [link] = visitor.open(f"/commitments/{world.commitment}").all("//li[@id='comment-1']//a[@class='file']")
    assert visitor.client.get(link.get("href")).content == PDF


def test_a_meeting_document_is_kept_as_a_file_through_the_api_and_the_arabic_page(
    api: Api, world: World, visitor: Visitor
) -> None:
    digest = sent(api, "التقرير الختامي.pdf", PDF).json()
    document = {"text": "التقرير الختامي للاجتماع", "language": "ar", "file": {"sha256": digest["sha256"]}}
    added = api.post(f"/meetings/{world.meeting}/documents", document, role=Role.ADMIN)
    assert added.status_code == 200, added.text
    [kept] = [d for d in added.json()["documents"] if d.get("file")]
    assert kept["file"]["media_type"] == "application/pdf"
    number = added.json()["documents"].index(kept) + 1
    assert api.get(f"/meetings/{world.meeting}/documents/{number}/file").content == PDF

    visitor.sign_in(api.keys[Role.ADMIN])
    page = visitor.open(f"/meetings/{world.meeting}", **{"Accept-Language": "ar"})
    assert page.all("//form[contains(@action, '/documents')][@enctype='multipart/form-data']")
    done = visitor.upload(
        f"/meetings/{world.meeting}/documents", ("البيان.png", PNG), {"title": "البيان الختامي", "language": "ar"}
    )
    assert done.status == 200
    links = visitor.open(f"/meetings/{world.meeting}").all("//section[@id='documents']//a[@class='file']")
    assert [visitor.client.get(link.get("href")).content for link in links] == [PDF, PNG]


def test_a_damaged_file_is_refused_when_cited_and_repaired_by_sending_it_again(
    api: Api, world: World, services: Services
) -> None:
    digest = sent(api, "report.pdf", PDF).json()["sha256"]
    tamper_with_file(services, digest, PDF.replace(b"Catalog", b"Katalog"))
    evidence = {"title": "Report", "file": {"sha256": digest}}
    refused = api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [evidence]})
    assert refused.status_code == 422 and "damaged" in refused.json()["detail"]
    assert sent(api, "report.pdf", PDF).status_code == 201
    assert api.post(f"/commitments/{world.commitment}/deliver", {"evidence": [evidence]}).status_code == 200
    assert api.get(f"/commitments/{world.commitment}/evidence/1/file").content == PDF


def test_a_file_is_offered_under_a_name_that_ends_as_its_type_does(api: Api, world: World) -> None:
    pdf = sent(api, "report", PDF).json()
    text = sent(api, "notes.txt", "ملاحظات الاجتماع".encode()).json()
    assert pdf["name"] == "report.pdf"
    evidence = [
        {"title": "Workshop report", "file": {"sha256": pdf["sha256"]}},
        {"title": "Notes", "file": {"sha256": text["sha256"], "name": 'a"b;c.html'}},
    ]
    reported = api.post(f"/commitments/{world.commitment}/progress", {"percent": 10, "evidence": evidence}).json()
    assert [e["file"]["name"] for e in reported["evidence"]] == ["Workshop report.pdf", 'a"b;c.html.txt']
    saved = api.get(f"/commitments/{world.commitment}/evidence/2/file").headers["content-disposition"]
    assert saved.startswith('attachment; filename="a_b_c.html.txt"')


def test_a_process_reads_four_uploads_at_once_and_answers_one_more_busy_without_reading_it() -> None:
    """The bug: thirty files of 25 MiB sent together held 2.3 GB in one process."""
    import asyncio

    from api.guards import UPLOADS_AT_ONCE, RequestGuard

    release, arrived = asyncio.Event(), []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        arrived.append(scope["path"])
        await release.wait()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guarded = RequestGuard(app, max_body_bytes=1024, forms_under="/app", max_upload_bytes=1 << 20)
    headers = {"content-type": "multipart/form-data; boundary=x"}

    async def uploads() -> list[int]:
        transport = httpx.ASGITransport(app=guarded)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            held = [asyncio.create_task(client.post("/files", content=b"--x--", headers=headers)) for _ in range(4)]
            for _ in range(10_000):  # the loop turns until the four reach the app (no time passes)
                if len(arrived) == UPLOADS_AT_ONCE:
                    break
                await asyncio.sleep(0)
            assert len(arrived) == UPLOADS_AT_ONCE
            one_more = await client.post("/files", content=b"--x--", headers=headers)
            release.set()
            return [one_more.status_code, *[(await task).status_code for task in held]]

    assert asyncio.run(uploads()) == [503, 201, 201, 201, 201]
