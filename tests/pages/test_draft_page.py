"""The page "From a report" reads like an annotation tool: the report beside the draft, each proposal's
words marked in place (right to left for Arabic) and linked to its row; any passage added as a party,
a participant, the meeting's dates, a commitment or a follow-up session (by its sentence without
script, by selecting its words with script); a summary of what will be recorded above the one button
that records it. In Chromium against a real server: words selected in the report become a commitment,
recorded with them."""

import re
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from api.bootstrap import Services
from domain.access import Role
from tests.browser import Browser, chromium
from tests.conftest import Api
from tests.deployment import Corpus, SystemWords, arabic_findings
from tests.server import Server
from tests.web import Page, Visitor
from tests.world import World

# Invented reports, short, in the genre.
ARABIC = (
    "اجتماع اللجنة المشتركة الثالث بين الأمم المتحدة ومنظمة التعاون الإسلامي\n"
    "عُقد الاجتماع في جنيف، سويسرا في 12-13 مارس 2022.\n"
    "واتفق الجانبان على إعداد دراسة مشتركة عن الأمن الغذائي بحلول 2023.\n"
    "كما أبدت المنظمة الإسلامية للأمن الغذائي استعدادها لاستضافة ورشة للخبراء الوطنيين في أستانا.\n"
    "واتفق على عقد الاجتماع الرابع في 2023."
)
ENGLISH = (
    "Third Joint Committee of the United Nations and the Organisation of Islamic Cooperation\n"
    "The committee met in Geneva, Switzerland, on 12-13 March 2022.\n"
    "The two sides agreed to prepare a joint study on food security by 2023.\n"
    "The Islamic Organization for Food Security (IOFS) offered to host a workshop for national experts.\n"
    "They agreed to hold the fourth meeting in 2023."
)
HOSTILE = (
    "Joint meeting of the United Nations and the OIC in Geneva on 12 March 2022.\n"
    'The sides agreed to publish <script>alert("marked")</script> a joint report by 2023.\n'
    'They noted the "><img src=x onerror=alert(1)> annex & its <b>tables</b>.'
)
WORKSHOP_AR = "لاستضافة ورشة للخبراء الوطنيين"


def sign_in(visitor: Visitor, api: Api, language: str) -> None:
    visitor.client.headers["Accept-Language"] = language
    visitor.sign_in(api.keys[Role.COORDINATOR], "/drafts")


def read(visitor: Visitor, text: str) -> Page:
    page = visitor.post("/drafts", {"text": text, "published_on": "2022-03-20"})
    assert page.status == 200, page.words()[:500]
    return page


def fields(page: Page, unticked: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The confirming form as a browser sends it (boxes named in ``unticked`` left unticked)."""
    form: list[tuple[str, str]] = []
    for element in page.all("//form[@id='confirmation']//*[@name]"):
        name = element.get("name")
        if name == "csrf" or element.tag == "button":
            continue
        if element.tag == "select":
            form += [(name, o.get("value")) for o in element.xpath(".//option[@selected]")]
        elif element.tag == "textarea":
            form.append((name, element.text or ""))
        elif element.get("type") in ("checkbox", "radio"):
            if element.get("checked") is not None and name not in unticked:
                form.append((name, element.get("value")))
        else:
            form.append((name, element.get("value") or ""))
    return form


def without(form: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return [(name, sent) for name, sent in form if name not in names]


def marked(page: Page) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Each mark of the report (its kind and row) with the spans of text its pieces hold."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for mark in page.all("//div[@id='report']//mark"):
        kind = next(c for c in mark.get("class").split() if c.startswith("k-"))[2:]
        runs = mark.xpath(".//span[@data-start]")
        start = int(runs[0].get("data-start"))
        spans.setdefault((kind, mark.get("data-row")), []).append((start, start + len(mark.text_content())))
    return spans


def joined(pieces: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The span pieces make when each begins where the one before ends."""
    pieces = sorted(pieces)
    if any(a[1] != b[0] for a, b in zip(pieces, pieces[1:], strict=False)):
        return None
    return pieces[0][0], pieces[-1][1]


def sentence_value(page: Page, words: str) -> str:
    [option] = page.all(f"//select[@name='add_passage']/option[contains(., '{words}')]")
    value: str = option.get("value")
    return value


def test_the_report_is_shown_beside_the_draft_right_to_left_with_every_proposal_marked_and_linked_to_its_row(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    draft = api.post("/drafts", {"text": ARABIC, "published_on": "2022-03-20"}).json()
    for visitor in visitor_of(services):
        sign_in(visitor, api, "ar")
        page = read(visitor, ARABIC)
        [report] = page.all("//section[@class='report-pane']/div[@id='report']")
        assert (report.get("lang"), report.get("dir")) == ("ar", "rtl")
        assert report.text_content() == ARABIC  # the marks add no words, and lose none
        runs = report.xpath(".//span[@data-start]")
        assert all(ARABIC[int(r.get("data-start")) :].startswith(r.text_content()) for r in runs)
        assert all(m.getparent().tag in ("div", "mark") for m in report.xpath(".//mark"))  # nested, never crossing
        spans: dict[str, list[tuple[int, int] | None]] = {}
        for (kind, _), pieces in marked(page).items():
            spans.setdefault(kind, []).append(joined(pieces))
        proposals = [("meetings", draft["meeting"])] + [
            (kind, p)
            for kind in ("parties", "participants", "agreements", "commitments", "follow_ups", "recurrences")
            for p in draft[kind]
        ]
        assert len(proposals) >= 5
        for kind, proposal in proposals:
            span = (proposal["span"]["start"], proposal["span"]["end"])
            assert span in spans.get(kind, []), (kind, proposal["quote"])
        for i, _ in enumerate(draft["confirmation"]["commitments"]):
            assert page.all(f"//mark[@id='mark-c{i}'][@data-row='c{i}'][contains(@class, 'k-commitments')]")
            assert page.all(f"//tr[@id='c{i}']//a[@href='#mark-c{i}']")  # and the row links back
        system = SystemWords()
        corpus = Corpus(system)
        corpus.add(ARABIC, draft, [f"{role.value} key" for role in Role])
        assert arabic_findings(page.tree, system, corpus) == []


def test_proposals_whose_words_cross_are_marked_in_pieces_that_never_overlap() -> None:
    from api.web.pages.drafting import Mark, runs_of

    text = "The sides agreed to meet again in Rabat in 2023."
    marks = [Mark(4, 33, "commitments", "c0", "mark-c0"), Mark(20, 48, "follow_ups", "f0", "mark-f0")]
    marks.append(Mark(34, 39, "parties", "p0", "mark-p0"))
    html = ""
    for run in runs_of(text, marks):
        if run.mark:
            html += f'<mark data-row="{run.mark.row}"' + (f' id="{run.mark.id}"' if run.first else "") + ">"
        elif run.close:
            html += "</mark>"
        else:
            html += f'<span data-start="{run.start}">{run.text}</span>'
    page = Page(200, f"<div id='report'>{html}</div>", "")
    assert page.all("//div")[0].text_content() == text
    pieces = {row: [m.text_content() for m in page.all(f"//mark[@data-row='{row}']")] for row in ("c0", "f0", "p0")}
    assert "".join(pieces["c0"]) == text[4:33] and "".join(pieces["f0"]) == text[20:48]
    assert pieces["p0"] == ["Rabat"] and len(page.all("//mark[@id='mark-f0']")) == 1
    assert page.all("//mark[@data-row='f0']/mark[@data-row='p0']")  # held inside the mark that holds it


def test_a_hostile_report_is_shown_as_its_text_and_never_as_markup(api: Api, world: World, services: Services) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        sign_in(visitor, api, "en")
        page = read(visitor, HOSTILE)
        [report] = page.all("//div[@id='report']")
        assert report.text_content() == HOSTILE
        assert not page.all("//script[not(@src)]") and not page.all("//img") and not page.all("//b")
        assert not page.all("//*[@onerror]")
        assert '<script>alert("marked")</script>' in report.text_content()
        assert any("<script>" in o.text_content() for o in page.all("//select[@name='add_passage']/option"))


def test_a_sentence_added_as_a_commitment_without_script_is_in_the_draft_marked_as_added_and_recorded_with_its_words(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        sign_in(visitor, api, "ar")
        page = read(visitor, ARABIC)
        before = int(page.all("//input[@name='n_c']")[0].get("value"))
        chosen = sentence_value(page, WORKSHOP_AR)
        start, end = map(int, chosen.split("-"))
        adding = without(fields(page), "add_passage", "add_kind", "add_lead") + [
            ("add_passage", chosen),
            ("add_kind", "commitments"),
            ("add_lead", world.oic),
            ("add_due_precision", "year"),
            ("add_due_value", "2023"),
        ]
        added = visitor.post("/drafts/add", adding)
        assert added.status == 200, added.words()[:800]
        row = f"c{before}"
        assert added.all(f"//a[@href='#{row}']")  # "added to the draft", linking to its row
        [line] = added.all(f"//tr[@id='{row}'][contains(@class, 'added')]")
        assert WORKSHOP_AR in line.xpath(".//blockquote")[0].text_content()
        assert line.xpath(f".//select[@name='{row}_lead']/option[@selected]")[0].get("value") == world.oic
        [mark] = added.all(f"//div[@id='report']//mark[@id='mark-{row}']")
        assert "added" in mark.get("class").split() and WORKSHOP_AR in mark.text_content()
        assert marked(added)[("commitments", row)] == [(start, end)]
        assert added.all(f"//section[@id='summary']//li[@data-row='{row}']")
        counts = {p: int(added.all(f"//input[@name='n_{p}']")[0].get("value")) for p in "cf"}
        leads = [f"{p}{i}_lead" for p, n in counts.items() for i in range(n)]  # each given its lead party
        series = ["m_series"] + [f"f{i}_series" for i in range(counts["f"])]  # a follow-up session awaits its series'
        corrected = without(fields(added), *leads, *series) + [(n, world.un) for n in leads if n != f"{row}_lead"]
        corrected += [(n, "joint-committee") for n in series]
        recorded = visitor.post("/drafts/confirm", corrected + [(f"{row}_lead", world.oic)])
        assert recorded.status == 200 and "/app/meetings/" in recorded.url, recorded.words()[:800]
    made = api.get("/commitments", meeting=recorded.url.rsplit("/", 1)[-1], limit=100).json()["items"]
    [workshop] = [c for c in made if WORKSHOP_AR in str(c["provenance"])]
    assert workshop["lead_party_id"] == world.oic
    assert ARABIC[start:end] in str(workshop["provenance"])


def test_the_summary_above_the_record_button_counts_what_will_be_recorded(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    draft = api.post("/drafts", {"text": ENGLISH, "published_on": "2022-03-20"}).json()["confirmation"]
    for visitor in visitor_of(services):
        sign_in(visitor, api, "en")
        page = read(visitor, ENGLISH)

        def counted(shown: Page) -> dict[str, int]:
            return {
                group.get("data-group"): int(group.xpath("./span[@class='n']")[0].text)
                for group in shown.all("//section[@id='summary']//li[@data-group]")
            }

        assert counted(page) == {
            name: len(draft[name]) for name in ("parties", "participants", "agreements", "commitments", "follow_ups")
        }
        [summary] = page.all("//section[@id='summary']")
        assert summary.getnext().get("id") == "record-button"  # just above the one button that records
        assert "Geneva" in summary.text_content() and "March 12, 2022" in " ".join(summary.text_content().split())
        # An unticked commitment leaves the summary; a party added from the report comes in.
        chosen = sentence_value(page, "offered to host")
        form = without(fields(page, unticked=("c0_keep",)), "add_passage", "add_kind") + [
            ("add_passage", chosen),
            ("add_kind", "parties"),
            ("add_party_name", "National Experts Network"),
            ("add_party_acronym", "NEN"),
        ]
        added = visitor.post("/drafts/add", form)
        assert added.status == 200, added.words()[:800]
        counts = counted(added)
        assert counts["commitments"] == len(draft["commitments"]) - 1
        assert counts["parties"] == len(draft["parties"]) + 1
        assert added.all("//section[@id='summary']//li[@data-row='c0'][@hidden]")
        assert added.all("//tr[@id='c0']//input[@name='c0_keep'][not(@checked)]")  # unticking stays as it was
        assert "NEN" in added.all("//section[@id='summary']//li[@data-group='parties']")[0].text_content()
        assert added.all("//select[@name='add_lead']/option[@value='new:NEN']")  # the new party may now lead


def test_a_sentence_added_as_the_meeting_s_dates_or_as_a_participant_changes_the_draft_and_its_summary(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        sign_in(visitor, api, "en")
        page = read(visitor, ENGLISH)
        dated = visitor.post(
            "/drafts/add",
            without(fields(page), "add_passage", "add_kind")
            + [
                ("add_passage", sentence_value(page, "The committee met")),
                ("add_kind", "dates"),
                ("add_starts_on", "2022-03-14"),
                ("add_ends_on", "2022-03-15"),
            ],
        )
        assert dated.status == 200, dated.words()[:800]
        assert dated.all("//input[@name='m_starts_on'][@value='2022-03-14']")
        assert dated.all("//input[@name='m_ends_on'][@value='2022-03-15']")
        [mark] = dated.all("//mark[@id='mark-dates'][@data-row='meeting']")
        assert mark.text_content().startswith("The committee met") and "added" in mark.get("class")
        assert "March 14, 2022" in " ".join(dated.all("//section[@id='summary']")[0].text_content().split())
        participants = int(dated.all("//input[@name='n_u']")[0].get("value"))
        joined_in = visitor.post(
            "/drafts/add",
            without(fields(dated), "add_passage", "add_kind", "add_participant_party")
            + [
                ("add_passage", sentence_value(dated, "They agreed to hold")),
                ("add_kind", "participants"),
                ("add_person", "Ms Amina Haddad"),
                ("add_participant_party", world.un),
                ("add_role", "head_of_delegation"),
            ],
        )
        assert joined_in.status == 200, joined_in.words()[:800]
        row = f"u{participants}"
        assert joined_in.all(f"//div[@id='{row}'][contains(@class, 'added')]//input[@value='Ms Amina Haddad']")
        assert joined_in.all("//input[@name='m_starts_on'][@value='2022-03-14']")  # the dates added before stay
        [summary] = joined_in.all(f"//section[@id='summary']//li[@data-row='{row}']")
        assert "Ms Amina Haddad" in summary.text_content() and "head of delegation" in summary.text_content()


def test_a_passage_in_the_part_of_the_report_of_another_meeting_belongs_to_that_meeting() -> None:
    from starlette.datastructures import FormData

    from api.web.pages.drafting import add_passage

    text = "The first meeting was held in Rabat.\nIn Doha, the second meeting agreed to share data by 2023."
    second = text.index("In Doha")
    made: list[dict[str, Any]] = []
    rows: dict[str, Any] = {"text": text, "language": "en", "commitments": made, "meeting": {}}
    form = FormData([("add_passage", f"{second}-{len(text)}"), ("add_kind", "commitments"), ("add_lead", "new:OIC")])
    draft = {"parts": [{"start": 0, "end": second}, {"start": second, "end": len(text)}]}
    assert add_passage(form, rows, [("new:OIC", "OIC")], draft) == ("commitments", "c0")
    [added] = made
    assert added["meeting"] == 1 and added["quote"] == text[second:] and added["added"]


def test_adding_without_choosing_a_passage_says_so_and_keeps_the_draft(
    api: Api, world: World, services: Services
) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(services):
        sign_in(visitor, api, "ar")
        page = read(visitor, ARABIC)
        refused = visitor.post("/drafts/add", without(fields(page, unticked=("c0_keep",)), "add_passage"))
        assert refused.status == 422 and refused.all("//*[@id='refusal']")
        assert refused.all("//input[@name='c0_keep'][not(@checked)]") and refused.all("//div[@id='report']//mark")


# -- in a real browser -------------------------------------------------------------------------------------


def select_words(driver: WebDriver, words: str) -> None:
    """Selects the words in the report, as a person drags over them."""
    driver.execute_script(
        """
        var report = document.getElementById('report'), words = arguments[0];
        var walker = document.createTreeWalker(report, NodeFilter.SHOW_TEXT), node;
        while ((node = walker.nextNode())) {
          var at = node.data.indexOf(words);
          if (at >= 0) {
            var range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return;
          }
        }
        throw new Error('not in the report: ' + words);
        """,
        words,
    )


@pytest.mark.slow
def test_words_selected_in_the_report_are_added_as_a_commitment_and_recorded_with_them(
    served: tuple[Server, str], database_url: str
) -> None:
    server, key = served
    engine = database_url.split(":")[0].split("+")[0]
    words = "host a workshop for national experts"
    with chromium() as driver:
        browser = Browser(driver, server.url)
        browser.sign_in(key)
        browser.open("/app/drafts")
        browser.type("draft-text", ENGLISH)
        browser.set_date("draft-published", "2022-03-20")
        browser.press("Read it (nothing is stored)")
        assert browser.field("report").get_attribute("dir") == "ltr"
        rows = len(driver.find_elements(By.CSS_SELECTOR, "#commitments tbody tr"))

        select_words(driver, words)
        tools = browser.field("passage-tools")
        browser.wait_for(tools.is_displayed, "the toolbar by the selected words")
        browser.screenshot(f"draft-selection-en-{engine}")
        tools.find_element(By.XPATH, ".//button[@data-kind='commitments']").click()
        chosen = Select(browser.field("add-passage-choice")).first_selected_option
        assert chosen.get_attribute("data-selection") is not None and words in chosen.text
        assert not browser.field("add-lead").find_element(By.XPATH, "ancestor::div[1]").get_attribute("hidden")
        assert not browser.field("add-person").is_displayed()  # only the fields of a commitment show
        browser.choose("add-lead", "new:IOFS")
        browser.press("Add to the draft")

        row = f"c{rows}"
        added = browser.field(row)
        assert "added" in (added.get_attribute("class") or "")
        assert added.find_element(By.CSS_SELECTOR, "blockquote").text == words
        mark = browser.field(f"mark-{row}")
        assert mark.text == words and "added" in (mark.get_attribute("class") or "")
        summary = browser.field("summary").text
        assert f"Commitments: {rows + 1}" in summary
        browser.screenshot(f"draft-added-en-{engine}")
        for i in range(rows):  # the commitments read from the report are left out: the summary says so at once
            browser.tick(f"//input[@name='c{i}_keep']", on=False)
        for box in driver.find_elements(By.CSS_SELECTOR, "#follow-ups input[type=checkbox]"):
            box.click()
        browser.wait_for(lambda: "Commitments: 1" in browser.field("summary").text, "one commitment in the summary")
        browser.press("Confirm and record it all")
        assert re.fullmatch(r"/app/meetings/[0-9a-f-]{36}", browser.path()), browser.text()[:500]
        driver.find_element(By.PARTIAL_LINK_TEXT, words[:20]).click()
        assert "/app/commitments/" in browser.path()
        assert words in browser.text()
