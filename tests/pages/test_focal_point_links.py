"""End to end, as a focal point at a ministry lives it: the digest arrives at a real SMTP server on loopback,
its link is followed in Chromium, the form is sent, and the event is in the commitment's history in the
contact's name; the same link replayed, or altered, is refused."""

import re

import httpx
import pytest
from selenium.webdriver.common.by import By

from api.bootstrap import build
from tests.browser import Browser, chromium
from tests.conftest import settings_for_tests
from tests.notices.mailing import parts
from tests.records import commitment, party
from tests.server import Server, recorded_through, un_and_oic_met
from tests.smtp import Mailbox

pytestmark = pytest.mark.slow  # Chromium against a real server

PROMISE_AR = "إعداد تقرير مشترك عن الأمن الغذائي في الدول الأعضاء"


def test_a_focal_point_reports_progress_from_the_digest_in_chromium_and_a_replayed_link_is_refused(
    served: tuple[Server, str], database_url: str
) -> None:
    server, key = served
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as api:
        un, oic, meeting_id = un_and_oic_met(api)
        sesric = recorded_through(api, "/parties", party("SESRIC", oic))
        text = {"texts": {"ar": PROMISE_AR}, "authentic": "ar"}
        due = {"precision": "day", "value": "2024-09-30"}  # overdue by now
        promised = recorded_through(
            api, "/commitments", commitment(meeting_id, sesric, supporting_party_ids=[un], text=text, due=due)
        )
        contact = {"name": "أمينة الحسيني", "address": "focal.point@sesric.org", "language": "ar"}
        assert api.post(f"/parties/{sesric}/contacts", json=contact).status_code == 200
        with Mailbox() as mailbox:
            settings = settings_for_tests(
                database_url, smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_security="none", port=server.port
            )
            with build(settings) as worker:  # what ``commitments worker`` does, at one look
                worker.scanner.tick()
                assert worker.mailer.tick().sent == 1
            [message] = mailbox.messages
        text_part = parts(message)[0]
        links = re.findall(rf"{re.escape(server.url)}/app/act/[\w-]+", text_part)
        assert len(links) == 5, text_part
        progress = links[1].removeprefix(server.url)  # acknowledge, report progress, ask for a new due, deliver
        with chromium() as driver:
            browser = Browser(driver, server.url)
            browser.open(progress)
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
            assert PROMISE_AR in browser.text()
            assert driver.get_cookies() == []  # no session: the link is the credential
            browser.type("percent", "60")
            browser.type("note", "عُقدت ورشتا العمل الأولى والثانية")
            browser.type("evidence_url", "https://sesric.org/workshops")
            browser.screenshot("focal-point-link-ar")
            old = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(By.CSS_SELECTOR, "form.act-by-link button").click()
            browser.wait_for(lambda: old != driver.find_element(By.TAG_NAME, "html"), "the page after sending")
            assert driver.find_elements(By.CSS_SELECTOR, "p.notice[role=status]")
            events = api.get(f"/commitments/{promised}/history").json()["events"]
            [reported] = [e for e in events if e["type"] == "ProgressReported"]
            assert reported["actor"].startswith(f"link:{sesric}/") and reported["payload"]["percent"] == 60
            browser.open(progress)  # replayed
            assert "410" in driver.title or "used already" in browser.text() or "مرة" in browser.text()
            assert not driver.find_elements(By.CSS_SELECTOR, "form.act-by-link")
            browser.open(progress[:-3] + ("AAA" if not progress.endswith("AAA") else "BBB"))  # altered
            assert not driver.find_elements(By.CSS_SELECTOR, "form.act-by-link")
            browser.sign_in(key)
            browser.open(f"/app/commitments/{promised}")
            assert "أمينة الحسيني of SESRIC, by a link of their e-mail" in browser.text()
        assert api.get(f"/commitments/{promised}").json()["progress"]["percent"] == 60
