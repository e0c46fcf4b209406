"""The status reports as PDF documents: made on the server in the reader's language, their words read back
from the document itself (Debian's ``pdftotext``, poppler-utils) as a reader's tools read them: Arabic in
reading order, names rather than ids, the day the report is as of and "page N of M" on every page; refused
without a session as the pages are; answered 503, saying what to install, where the engine cannot be loaded."""

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.web.i18n import Formats
from domain.access import Role
from domain.search import search_form
from infrastructure.pdf import PdfRenderer
from tests.conftest import Api, api_of, app_on, settings_for_tests
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.web import Visitor
from tests.world import World, build_world

# What is checked is the document's text and layout, not what is stored: SQLite only.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

MATRIX_TITLE = "مصفوفة الأنشطة المشتركة بين منظمة التعاون الإسلامي والأمم المتحدة"
ARABIC_PROMISE = "عقد الدورة السادسة عشرة للاجتماع العام في مقر المنظمة الإسلامية للأمن الغذائي في أستانا"
TODAY = date(2022, 7, 21)  # the tests' frozen clock


def visitor_on(services: Services) -> Iterator[Visitor]:
    with TestClient(app_on(services), follow_redirects=True) as client:
        yield Visitor(client)


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_on(services)


def signed_in(visitor: Visitor, api: Api, language: str) -> Visitor:
    visitor.sign_in(api.keys[Role.AUDITOR])
    visitor.open(f"/language/{language}")  # the switch at the top of every page: kept in a cookie
    return visitor


def pdf_text(content: bytes, folder: Path) -> str:
    """The document's text as ``pdftotext`` reads it: in reading order, a table's cells each in one piece."""
    document = folder / "report.pdf"
    document.write_bytes(content)
    done = subprocess.run(["pdftotext", str(document), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def folded(text: str) -> str:
    """As searches compare words: presentation forms to letters (NFKC), no directional marks (pdftotext puts
    them around runs of another direction), then ``search_form`` (diacritics, tatweel, hamza forms, case)."""
    text = unicodedata.normalize("NFKC", text)
    return search_form("".join(ch for ch in text if unicodedata.category(ch) != "Cf"))


def words(text: str) -> list[str]:
    """Runs of digits and runs of letters (pdftotext may write a number against the Arabic word after it)."""
    return re.findall(r"\d+|[^\W\d_]+", folded(text))


def as_poppler_writes(arabic: str) -> str:
    """Arabic as pdftotext writes it back: in reading order, except that a lam-alef (one glyph, «لا», «لأ»)
    is written alef first: poppler turns a right-to-left line's glyphs around, and a ligature's letters with
    them. Every other letter stays in its place, so the order of the words and of their letters is checked."""
    return re.sub("ل([اأإآ])", r"\1ل", arabic)


def reads(text: str, phrase: str) -> bool:
    """Whether the phrase's words stand one after another, in this order, in the text."""
    wanted, found = words(phrase), words(text)
    return any(found[i : i + len(wanted)] == wanted for i in range(len(found) - len(wanted) + 1))


def times(text: str, phrase: str) -> int:
    wanted, found = words(phrase), words(text)
    return sum(found[i : i + len(wanted)] == wanted for i in range(len(found) - len(wanted) + 1))


def matrix_of(api: Api, world: World, rows: int = 1) -> dict[str, Any]:
    agreement = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {"texts": {"ar": MATRIX_TITLE, "en": "Matrix of joint OIC–UN activities"}, "authentic": "ar"},
            "rows": [{"activity": {"texts": {"ar": ARABIC_PROMISE}}, "lead_party_id": world.iofs} for _ in range(rows)],
        },
    )
    api.created(
        "/commitments",
        commitment(
            world.meeting,
            world.iofs,
            agreement_id=agreement["id"],
            row_number=1,
            text={"texts": {"ar": ARABIC_PROMISE}, "authentic": "ar"},
        ),
    )
    return agreement


def get_pdf(visitor: Visitor, path: str, **headers: str) -> Any:
    return visitor.client.get("/app" + path, headers=headers)


def test_a_status_report_pdf_in_arabic_keeps_its_words_in_reading_order(
    recorded: tuple[Api, World], visitor: Visitor, tmp_path: Path
) -> None:
    api, world = recorded
    agreement = matrix_of(api, world)
    answer = get_pdf(signed_in(visitor, api, "ar"), f"/reports/agreements/{agreement['id']}.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    text = pdf_text(answer.content, tmp_path)
    assert reads(text, as_poppler_writes(MATRIX_TITLE)), text
    assert reads(text, as_poppler_writes(ARABIC_PROMISE)), text
    assert reads(text, "IOFS")  # the lead party by its name, never its id
    assert world.iofs not in text and agreement["id"] not in text
    day = Formats("ar").day(TODAY)  # as the page writes it: «21 يوليو 2022»
    assert reads(text, day), text
    assert reads(text, as_poppler_writes("الصفحة 1 من 1")), text
    assert times(text, day) >= 2  # in the report's head and at the foot of its page


def test_a_status_report_pdf_in_arabic_uses_the_readers_arabic_indic_digits(
    recorded: tuple[Api, World], visitor: Visitor, tmp_path: Path
) -> None:
    api, world = recorded
    agreement = matrix_of(api, world)
    signed_in(visitor, api, "ar").open("/digits?digits=arab")
    text = pdf_text(get_pdf(visitor, f"/reports/agreements/{agreement['id']}.pdf").content, tmp_path)
    assert "٢٠٢٢" in text and "يوليو" in text
    assert reads(text, as_poppler_writes("الصفحة ١ من ١")), text


def test_a_series_report_pdf_in_english_names_the_series_and_dates_and_numbers_every_page(
    recorded: tuple[Api, World], visitor: Visitor, tmp_path: Path
) -> None:
    api, world = recorded
    for number in range(40):  # more than a page holds
        api.created(
            "/commitments",
            commitment(world.meeting, world.sesric, text={"texts": {"en": f"Joint workshop number {number + 1}"}}),
        )
    answer = get_pdf(signed_in(visitor, api, "en"), "/reports/series/un-oic-general-meeting.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.content, tmp_path)
    pages = text.count("\f")
    assert pages >= 2, text
    assert "Status report: 15th UN–OIC General Meeting on Cooperation" in " ".join(text.split())
    assert "As it stands on July 21, 2022." in " ".join(text.split())
    assert "Made on Jul 21, 2022" in " ".join(text.split())
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text
    assert times(text, "As it stands on July 21, 2022") == pages + 1  # the head, and the foot of every page
    assert "Joint workshop number 40" in text and "SESRIC" in text
    assert "Commitments by status" in text and "agreed" in text  # the chart and its figures, in words


def test_a_party_report_pdf_in_french_lists_what_the_party_leads_or_supports(
    recorded: tuple[Api, World], visitor: Visitor, tmp_path: Path
) -> None:
    api, world = recorded
    answer = get_pdf(signed_in(visitor, api, "fr"), f"/reports/parties/{world.un}.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(answer.content, tmp_path).split())
    assert "Rapport d’état" in text or "Rapport d'état" in text, text
    assert "United Nations" in text  # supports the world's commitment: named, not by its id
    assert world.un not in text
    assert "21 juillet 2022" in text
    assert "Page 1 sur 1" in text
    assert reads(text, as_poppler_writes("تنفيذ مصفوفة الأنشطة المشتركة"))  # no French text: the authentic one


def test_a_report_pdf_as_of_a_past_day_says_that_day_on_every_page(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock, tmp_path: Path
) -> None:
    api, world = recorded
    clock.set(datetime(2024, 3, 5, 10, 0, tzinfo=UTC))
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 60, "note": "workshop held"})
    signed_in(visitor, api, "en")
    then = get_pdf(visitor, "/reports/series/un-oic-general-meeting.pdf?as_of=2022-08-01&axis=recorded")
    assert then.status_code == 200 and then.headers["content-type"] == "application/pdf"
    assert 'filename="status-report-un-oic-general-meeting-2022-08-01.pdf"' in then.headers["content-disposition"]
    text = " ".join(pdf_text(then.content, tmp_path).split())
    assert "As of August 1, 2022, as recorded then." in text
    assert times(text, "As of August 1, 2022") == 2  # the head and the foot of its one page
    assert "60%" not in text  # the progress came later
    assert "Made on Mar 5, 2024" in text
    now = " ".join(pdf_text(get_pdf(visitor, "/reports/series/un-oic-general-meeting.pdf").content, tmp_path).split())
    assert "As it stands on March 5, 2024." in now and "60%" in now


def test_a_report_pdf_is_refused_without_a_session_as_its_page_is(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    agreement = matrix_of(api, world)
    for path in (
        f"/reports/agreements/{agreement['id']}.pdf",
        "/reports/series/un-oic-general-meeting.pdf",
        f"/reports/parties/{world.un}.pdf",
    ):
        answer = visitor.client.get("/app" + path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/app/sign-in?next=/app/reports/")
        assert not answer.content.startswith(b"%PDF")
        with_a_key_only = visitor.client.get("/app" + path, headers=api.headers(Role.ADMIN), follow_redirects=False)
        assert with_a_key_only.status_code == 303  # the pages take a session, not an API key


def test_the_html_report_shows_its_chart_by_status_and_links_its_pdf(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    agreement = matrix_of(api, world)
    signed_in(visitor, api, "ar")
    printed = get_pdf(visitor, f"/reports/agreements/{agreement['id']}.pdf?as_of=2022-07-21&axis=recorded")
    assert printed.status_code == 200  # printed without Arabic's marks; the page keeps them
    then = visitor.open(f"/reports/agreements/{agreement['id']}?as_of=2022-07-21&axis=recorded")
    assert then.status == 200 and "كما كان مسجلًا حينها" in then.words()
    assert then.all("//a[@type='application/pdf']/@href") == [
        f"/app/reports/agreements/{agreement['id']}.pdf?as_of=2022-07-21&axis=recorded"
    ]
    page = visitor.open(f"/reports/agreements/{agreement['id']}")
    assert page.all("//figure[@id='chart-by-status']//*[local-name()='svg'][@role='img']")
    assert "متفق عليه" in page.all("//figure[@id='chart-by-status']")[0].text_content()  # the status in Arabic
    links = page.all("//a[@type='application/pdf']/@href")
    assert links == [f"/app/reports/agreements/{agreement['id']}.pdf"]
    assert visitor.open(f"/parties/{world.iofs}").all(f"//a[@href='/app/reports/parties/{world.iofs}']")
    party = visitor.open(f"/reports/parties/{world.iofs}")
    assert party.status == 200 and "IOFS" in party.words() and ARABIC_PROMISE in party.words()


@pytest.fixture
def without_the_engine(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    """Services whose PDF engine cannot be imported, as on a machine without WeasyPrint or its Pango."""
    with build(
        settings_for_tests(database_url), clock=clock, pdf=PdfRenderer("commitments_tests_no_such_engine")
    ) as built:
        yield built


def test_without_its_engine_a_report_pdf_answers_503_saying_what_to_install_and_the_page_still_works(
    without_the_engine: Services,
) -> None:
    with api_of(without_the_engine) as api:
        world = build_world(api)
        for visitor in visitor_on(without_the_engine):
            signed_in(visitor, api, "fr")
            answer = get_pdf(visitor, f"/reports/parties/{world.un}.pdf")
            assert answer.status_code == 503
            assert answer.headers["content-type"] == "application/problem+json"
            problem = answer.json()
            assert problem["status"] == 503 and problem["type"] == "/problems/pdf-unavailable"
            assert problem["instance"] == f"/app/reports/parties/{world.un}.pdf"
            assert "pip install 'commitments[pdf]'" in problem["detail"]
            assert "libpango-1.0-0 libpangoft2-1.0-0" in problem["detail"]
            assert "installez" in problem["detail"]  # in the reader's language
            assert problem["install"]["python"] == "pip install 'commitments[pdf]'"
            in_a_browser = get_pdf(visitor, f"/reports/parties/{world.un}.pdf", accept="text/html,*/*;q=0.8")
            assert in_a_browser.status_code == 503 and "commitments[pdf]" in in_a_browser.text
            assert visitor.open(f"/reports/parties/{world.un}").status == 200
            assert visitor.open("/reports/series/un-oic-general-meeting").status == 200
            assert visitor.open("/").status == 200


@pytest.fixture
def drawing_at_most_two(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    """Services whose PDFs list at most two commitments (the service's bound is 1,000)."""
    with build(settings_for_tests(database_url), clock=clock, pdf=PdfRenderer(most_commitments=2)) as built:
        yield built


def test_a_report_pdf_longer_than_the_bound_is_refused_413_before_it_is_drawn_and_its_page_still_shows(
    drawing_at_most_two: Services,
) -> None:
    with api_of(drawing_at_most_two) as api:
        world = build_world(api)
        for lead in (world.un, world.iofs):
            api.created("/commitments", commitment(world.meeting, lead))
        for visitor in visitor_on(drawing_at_most_two):
            signed_in(visitor, api, "ar")
            answer = get_pdf(visitor, "/reports/series/un-oic-general-meeting.pdf")
            assert answer.status_code == 413
            assert "لا يضم ملف PDF لتقرير الحالة أكثر من 2 التزام، وهذا التقرير يضم 3" in answer.text  # in Arabic
            assert visitor.open("/reports/series/un-oic-general-meeting").status == 200
            assert get_pdf(visitor, f"/reports/parties/{world.iofs}.pdf").status_code == 200  # two: drawn
