"""In a real browser (Debian's Chromium), against a real server: a coordinator records the 15th UN–OIC
general meeting from its Arabic report through the forms, finds it by Arabic words, reports progress
and delivery, looks at the past; an auditor can change nothing, and a forged form is refused.
Screenshots of the key pages, in Arabic and English, are saved in ``tests/screenshots``."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.browser import Browser, chromium, party_options
from tests.records import SESSION_QUOTE
from tests.server import Server

pytestmark = pytest.mark.slow  # Chromium against a real server

PARTIES = [  # acronym, Arabic name, English name, authentic language, kind
    ("UN", "الأمم المتحدة", "United Nations", "en", "international_organisation"),
    ("OIC", "منظمة التعاون الإسلامي", "Organisation of Islamic Cooperation", "ar", "international_organisation"),
    (
        "SESRIC",
        "مركز الأبحاث الإحصائية والاقتصادية والاجتماعية والتدريب للدول الإسلامية",
        "Statistical, Economic and Social Research and Training Centre for Islamic Countries",
        "ar",
        "subsidiary_organ",
    ),
    (
        "IOFS",
        "المنظمة الإسلامية للأمن الغذائي",
        "Islamic Organization for Food Security",
        "ar",
        "specialised_institution",
    ),
]
FOLLOW_UP_AR = "عقد الدورة السادسة عشرة للاجتماع العام للتعاون في 2024 في مقر المنظمة الإسلامية للأمن الغذائي في أستانا"


def sign_in(browser: Browser, key: str) -> None:
    browser.open("/")  # the service's address leads to the pages, which ask for a key first
    assert "/app/sign-in" in browser.path()
    browser.type("key", key)
    browser.press("Sign in", within="//form[@id='with-key']")  # the key's form, not the password's


def record_party(browser: Browser, acronym: str, arabic: str, english: str, authentic: str, kind: str) -> None:
    browser.unfold("Not found? Record a new party")
    browser.type("acronym", acronym)
    browser.type("name_ar", arabic)
    browser.type("name_en", english)
    browser.choose("name_authentic", authentic)
    browser.choose("party-kind", kind)
    browser.press("Record the party")


def participant(browser: Browser, acronym: str) -> str:
    """The id of a chosen party, read off its participant box."""
    box = browser.driver.find_element(By.XPATH, f"//label[normalize-space()='{acronym}']/input[@name='participant']")
    value = box.get_attribute("value")
    assert value is not None
    return value


def test_a_coordinator_records_a_meeting_report_and_follows_it_up_and_an_auditor_changes_nothing(
    served: tuple[Server, str], database_url: str
) -> None:
    server, admin_key = served
    engine = database_url.split(":")[0].split("+")[0]
    with chromium() as driver:
        browser = Browser(driver, server.url)
        sign_in(browser, admin_key)
        assert "Overview" in browser.text()

        # The report, recorded through the forms: who took part (recorded on the way), the meeting...
        browser.open("/app/record")
        for acronym, arabic, english, authentic, kind in PARTIES:
            record_party(browser, acronym, arabic, english, authentic, kind)
        ids = {acronym: participant(browser, acronym) for acronym, *_ in PARTIES}
        browser.type("title_ar", "الاجتماع العام الخامس عشر للأمم المتحدة ومنظمة التعاون الإسلامي بشأن التعاون")
        browser.type("title_en", "15th General Meeting on Cooperation between the UN and the OIC")
        browser.choose("title_authentic", "ar")
        browser.choose("kind", "general_meeting")
        browser.type("series", "un-oic-general-meeting")
        browser.type("session_number", "15")
        browser.set_date("starts_on", "2022-07-18")
        browser.set_date("ends_on", "2022-07-20")
        browser.type("venue_name", "Palais des Nations")
        browser.type("venue_city", "Geneva")
        browser.type("venue_country", "Switzerland")
        browser.type("time_zone", "Europe/Zurich")
        browser.choose(f"role_{ids['UN']}", "co_chair")
        browser.choose(f"role_{ids['OIC']}", "co_chair")
        browser.tick(f"//input[@name='participant'][@value='{ids['IOFS']}']", on=False)  # it hosts the next one
        browser.press("Record the meeting")
        meeting_path = browser.path()
        assert re.fullmatch(r"/app/record/[0-9a-f-]{36}", meeting_path), browser.text()

        # ... its matrix of joint activities ...
        browser.type("title_ar", "مصفوفة الأنشطة المشتركة بين منظمة التعاون الإسلامي والأمم المتحدة")
        browser.type("title_en", "Matrix of joint OIC–UN activities")
        browser.choose("agreement-kind", "action_matrix")
        browser.tick(f"//input[@name='adopted_by'][@value='{ids['SESRIC']}']", on=False)
        browser.type("row1_activity_en", "Joint statistical capacity-building programme")
        browser.choose("row1_activity_authentic", "en")
        party_options(browser, "row1-lead", "SESRIC")
        party_options(browser, "row1-partners", "UN")
        browser.choose("row1_precision", "year")
        browser.type("row1_value", "2024")
        browser.press("Record the agreement")
        assert "Joint statistical capacity-building programme" in browser.text()
        browser.press("Make an agreed commitment of every row that has none")

        # ... and the follow-up session it agreed on, with the report's own words.
        browser.type("text_ar", FOLLOW_UP_AR)
        browser.type("text_en", "Hold the 16th session of the General Meeting in 2024 at the IOFS headquarters")
        browser.choose("text_authentic", "ar")
        browser.choose("c-kind", "follow_up_session")
        browser.choose("c-status", "agreed")
        party_options(browser, "c-lead", "IOFS")
        party_options(browser, "c-supporting", "OIC", "UN")
        browser.choose("due_precision", "year")
        browser.type("due_value", "2024")
        browser.type("c-session", "16")
        browser.type("quote_ar", SESSION_QUOTE)
        browser.press("Record the commitment")
        assert "Recorded." in browser.text()
        browser.screenshot(f"record-meeting-en-{engine}")

        # Parties are found as one types, in Arabic, with or without the article.
        browser.open("/app/record")
        browser.field("add").send_keys("الامن الغذائي")
        browser.wait_for(
            lambda: driver.find_elements(By.XPATH, "//datalist[@id='party-options']/option[@value='IOFS']"),
            "the type-ahead to offer IOFS",
        )

        # Found by Arabic words, with and without the article.
        for words in ("الأمن الغذائي", "أمن غذائي"):
            browser.open("/app/commitments")
            browser.type("q", words)
            browser.press("Find")
            assert "1 commitment" in browser.text(), words
            assert "Hold the 16th session" in browser.text()

        # Progress with evidence, then the delivery, on the matrix row's commitment.
        browser.open("/app/commitments")
        browser.type("q", "statistical")
        browser.press("Find")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Joint statistical capacity-building").click()
        row_path = browser.path()
        browser.unfold("Report progress")
        browser.type("report_progress-percent", "60")
        browser.type("report_progress-note", "أُنجزت ثلاث ورش من خمس")
        browser.type("report_progress-ev-title", "تقرير الورشة الثالثة")
        browser.type("report_progress-ev-url", "https://www.sesric.org/workshops/3")
        browser.press("Report progress", "//form[contains(@action, '/report_progress')]")
        assert "Done: Report progress." in browser.text()
        browser.unfold("Deliver")
        browser.type("deliver-ev-title", "Final programme report")
        browser.type("deliver-ev-url", "https://www.sesric.org/programme/final")
        browser.press("Deliver", "//form[contains(@action, '/deliver')]")
        assert "delivered" in browser.driver.find_element(By.CSS_SELECTOR, "dl.facts .status").text
        browser.screenshot(f"commitment-en-{engine}")

        # The past: as of the day after the meeting, on the effective axis, it was agreed, with no progress.
        browser.set_date("as_of", "2022-07-21")
        browser.choose("axis", "effective")
        browser.press("Show")
        assert "as_of=2022-07-21" in browser.path()
        assert browser.driver.find_element(By.CSS_SELECTOR, "dl.facts .status").text == "agreed"
        assert not driver.find_elements(By.TAG_NAME, "meter")

        # The same pages in Arabic, right to left.
        browser.open(f"/app/language/ar?next={row_path}")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
        assert "مُسلَّم" in browser.text()
        browser.screenshot(f"commitment-ar-{engine}")
        browser.open("/app/")
        browser.screenshot(f"overview-ar-{engine}")
        browser.open("/app/commitments?q=" + "مصفوفة")
        browser.screenshot(f"commitments-ar-{engine}")
        browser.open(meeting_path.replace("/record/", "/meetings/"))
        agreement = driver.find_element(By.XPATH, "//a[contains(@href, '/reports/agreements/')]").get_attribute("href")
        assert agreement is not None
        driver.get(agreement)
        assert "تقرير الحالة" in browser.text() and "SESRIC" in browser.text()
        browser.screenshot(f"status-report-ar-{engine}")
        browser.open("/app/language/en?next=/app/")
        browser.screenshot(f"overview-en-{engine}")

        # The keyboard reaches the page first by the skip link, and focus shows.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        focused = driver.switch_to.active_element
        assert focused.get_attribute("class") == "skip"
        assert driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused) == "solid"

        # An auditor's key, made on the administration page, reads everything and changes nothing.
        browser.open("/app/admin/keys")
        browser.type("key-name", "donor audit")
        browser.choose("key-role", "auditor")
        browser.press("Create the key")
        auditor_key = browser.field("new-key").text
        browser.press("Sign out")
        assert "You are signed out." in browser.text()
        browser.open(row_path)
        assert "/app/sign-in" in browser.path()

        sign_in(browser, auditor_key)
        browser.open(row_path)
        assert not driver.find_elements(By.XPATH, "//main//form[@method='post']")
        forged = (
            "var f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
            "var i = document.createElement('input'); i.name = 'reason'; i.value = 'x'; f.appendChild(i);"
            "if (arguments[1]) { var c = document.createElement('input'); c.name = 'csrf';"
            " c.value = document.querySelector('input[name=csrf]').value; f.appendChild(c); }"
            "document.body.appendChild(f); f.submit();"
        )
        for with_token, refusal in ((False, "no valid CSRF token"), (True, "can read but not change anything")):
            old = driver.find_element(By.TAG_NAME, "html")
            driver.execute_script(forged, f"{row_path}/reopen", with_token)

            def replaced(page: WebElement = old) -> bool:
                return not _attached(page)

            browser.wait_for(replaced, "the refusal")
            assert refusal in browser.text()
            browser.open(row_path)
        assert "delivered" in browser.driver.find_element(By.CSS_SELECTOR, "dl.facts .status").text
        browser.press("Sign out")


def _attached(element: WebElement) -> bool:
    try:
        element.is_enabled()
        return True
    except Exception:  # noqa: BLE001 - a stale element is the sign of the next page
        return False
