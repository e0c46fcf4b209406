"""The overview answers "where do we stand?": the work queue first, then charts drawn on the server as
accessible SVG, each linking to the list it summarises (issue 37)."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By

from api.bootstrap import Services
from domain.access import Role
from tests.browser import Browser, chromium
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.server import Server, recorded_through, un_and_oic_met
from tests.web import Page, Visitor
from tests.world import World

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # what is shown, not stored
CHARTS = ["by-status", "overdue-by-party", "progress-by-series", "progress-by-agreement", "overdue-by-month"]


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    from tests.pages.test_web_pages import visitor_of

    yield from visitor_of(services)


def late(api: Api, world: World, lead: str, due: str = "2023-06-30") -> dict[str, Any]:
    return api.created("/commitments", commitment(world.meeting, lead, due={"precision": "day", "value": due}))


def chart(page: Page, ident: str) -> Any:
    (figure,) = page.all(f"//figure[@id='chart-{ident}']")
    return figure


def grown_late(api: Api, world: World, services: Services, clock: FrozenClock) -> dict[str, Any]:
    """Two commitments of SESRIC's and IOFS's overdue by 2025, the scheduler having seen it."""
    later = late(api, world, world.iofs)
    clock.set(clock.now.replace(year=2025))
    services.scanner.tick()
    return later


def test_the_work_queue_comes_first_and_lists_each_overdue_commitment_once_with_why(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    later = grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.AUDITOR])
    page = visitor.open("/")
    sections = [s.get("aria-labelledby") for s in page.all("//main//section")]
    assert sections.index("queue-title") < sections.index("charts-title") < sections.index("party-title")
    rows = page.all("//section[@aria-labelledby='queue-title']//tbody/tr")
    assert [r.xpath(".//td[2]/a")[0].get("href") for r in rows] == [
        f"/app/commitments/{later['id']}",
        f"/app/commitments/{world.commitment}",
    ]
    assert [r.xpath("string(.//td[1])").strip() for r in rows] == ["overdue", "overdue"]
    assert all(td.get("data-label") for td in rows[0].xpath("./td"))  # named cells: cards on a phone


def test_the_overview_draws_five_charts_each_an_image_named_for_a_screen_reader_with_its_table(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.AUDITOR])
    page = visitor.open("/")
    assert [f.get("id") for f in page.all("//figure[@class='chart']")] == [f"chart-{c}" for c in CHARTS]
    for ident in CHARTS:
        figure = chart(page, ident)
        (svg,) = figure.xpath(".//*[local-name()='svg']")
        assert svg.get("role") == "img"
        for named in svg.get("aria-labelledby").split():
            assert figure.xpath(f".//*[@id='{named}']"), (ident, named)
        assert figure.xpath(".//details/table"), ident
    status = chart(page, "by-status")
    assert "agreed: 2" in status.xpath("string(.//*[local-name()='desc'])")
    assert "/app/commitments?status=agreed" in [a.get("href") for a in status.xpath(".//*[local-name()='a']")]


def test_the_overdue_by_lead_party_link_to_their_lists_and_count_what_each_leads(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.AUDITOR])
    by_party = chart(visitor.open("/"), "overdue-by-party")
    rows = by_party.xpath(".//table/tbody/tr")
    assert sorted(r.xpath("string(./th)").strip() for r in rows) == ["IOFS", "SESRIC"]
    assert {r.xpath("string(./td)").strip() for r in rows} == {"1"}
    hrefs = [a.get("href") for a in by_party.xpath(".//table//a")]
    assert f"/app/commitments?lead_party={world.sesric}&overdue=true" in hrefs
    listed = visitor.open(f"/commitments?lead_party={world.sesric}&overdue=true")
    assert "1 commitment" in listed.words()


def test_what_was_overdue_at_each_months_end_is_counted_as_recorded_then(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.AUDITOR])
    months = chart(visitor.open("/"), "overdue-by-month").xpath(".//table/tbody/tr")
    assert len(months) == 24
    counted = [int(r.xpath("string(./td)").strip()) for r in months]
    assert counted[-1] == 2 and counted[:-1] == [0] * 23  # the scheduler marked them overdue this month
    link = months[-1].xpath(".//a")[0].get("href")
    assert "overdue=true" in link and "as_of=" in link


def test_a_key_scoped_to_a_party_sees_the_figures_of_its_party_only(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.ADMIN])
    made = visitor.post("/admin/keys", {"name": "SESRIC desk", "role": "coordinator", "party_scope": [world.sesric]})
    scoped = made.all("//code[@id='new-key']")[0].text
    visitor.sign_in(scoped)
    page = visitor.open("/")
    by_party = chart(page, "overdue-by-party")
    assert [r.xpath("string(./th)").strip() for r in by_party.xpath(".//table/tbody/tr")] == ["SESRIC"]
    queue = page.all("//section[@aria-labelledby='queue-title']//tbody/tr//td[2]/a")
    assert [a.get("href") for a in queue] == [f"/app/commitments/{world.commitment}"]


@SQLITE_ONLY
def test_the_arabic_overview_mirrors_its_charts(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    grown_late(api, world, services, clock)
    visitor.sign_in(api.keys[Role.AUDITOR])
    page = visitor.open("/", **{"Accept-Language": "ar"})
    for ident in CHARTS:
        (svg,) = chart(page, ident).xpath(".//*[local-name()='svg']")
        assert svg.get("direction") == "rtl", ident


def test_what_changed_recently_shows_each_change_as_soon_as_it_is_recorded(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(api.keys[Role.AUDITOR])

    def latest() -> list[str]:
        section = visitor.open("/").all("//section[@aria-labelledby='recent-title']")[0]
        return [a.get("href") for a in section.xpath(".//a[contains(@href, '/commitments/')]")]

    before = latest()
    made = api.created("/commitments", commitment(world.meeting, world.iofs))
    assert f"/app/commitments/{made['id']}" in latest() and latest() != before
    again = api.created("/commitments", commitment(world.meeting, world.un))
    assert f"/app/commitments/{again['id']}" in latest()


@pytest.mark.slow
def test_in_a_browser_the_overview_fits_a_phone_draws_its_charts_and_a_bar_leads_to_its_list(
    served: tuple[Server, str], database_url: str
) -> None:
    server, key = served
    engine = database_url.split(":")[0].split("+")[0]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as api:
        un, oic, meeting_id = un_and_oic_met(api)
        for lead, due in ((un, "2024-03-31"), (oic, "2024-09-30"), (oic, "2031-01-31")):
            recorded_through(api, "/commitments", commitment(meeting_id, lead, due={"precision": "day", "value": due}))
    with chromium(390, 900) as driver:
        browser = Browser(driver, server.url)
        browser.sign_in(key)
        browser.wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#chart-by-status svg"), "the overview")
        for language in ("ar", "en"):
            browser.open(f"/app/language/{language}?next=/app/")
            wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{language}: the page is {wide} px wider than a phone"
            queue = browser.field("queue-title").location["y"]
            charts = browser.field("charts-title").location["y"]
            assert queue < charts  # the queue first
            for figure in driver.find_elements(By.CSS_SELECTOR, "figure.chart svg"):
                assert figure.size["width"] > 200 and figure.size["height"] > 20
            browser.screenshot(f"overview-phone-{language}-{engine}")
        driver.set_window_size(1280, 1000)
        bar = driver.find_element(By.CSS_SELECTOR, "#chart-by-status svg a")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
        bar.find_element(By.CSS_SELECTOR, "rect").click()  # a bar, clicked, is a link
        browser.wait_for(lambda: "status=agreed" in browser.path(), "the list of the bar's status")
        assert browser.path().startswith("/app/commitments?status=agreed")
        assert "3 commitments" in browser.text()
