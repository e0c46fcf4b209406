"""In a real browser (Chromium) against a real server, on both engines: the operator makes the first
administrator, who chooses a password and sets up a second factor from the QR code's key; they invite a
coordinator through the people page in Arabic; the coordinator's invitation arrives through a real SMTP server on
loopback, they choose a password, change a record and sign out; the administrator signs in again with their
password and their authenticator's code. And signing in through an organisation: a real OpenID provider on
loopback (oidc-provider) signs a person in at its own page, and the service lets in the one its rule admits."""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from selenium.webdriver.common.by import By

from api.cli import main
from tests.browser import Browser, chromium
from tests.pages.test_browser import record_party
from tests.people.provider import IdentityProvider
from tests.server import Server
from tests.smtp import Mailbox, free_port

pytestmark = pytest.mark.slow  # Chromium against a real server

ADMIN, ADMIN_ADDRESS, ADMIN_PASSWORD = "Hala Mansouri", "hala.mansouri@sesric.org", "three bridges over the Nile 1984"
COORDINATOR, COORDINATOR_ADDRESS = "أمينة الحسيني", "amina.hussaini@isdb.org"
COORDINATOR_PASSWORD = "قافلة الصباح تعبر الوادي 77"
ORGANISATION_ACCOUNTS = {
    "amina": {"email": "amina.hussaini@isdb.org", "name": "أمينة الحسيني", "groups": ["coordinators"], "amr": ["pwd"]},
    "bob": {"email": "bob@visitors.example.org", "name": "Bob Visitor", "groups": ["guests"], "amr": ["pwd"]},
}


@pytest.fixture
def running(tmp_path: Path, database_url: str) -> Iterator[tuple[Server, Mailbox]]:
    with Mailbox() as mailbox:
        env = {
            "COMMITMENTS_SMTP_HOST": "127.0.0.1",
            "COMMITMENTS_SMTP_PORT": str(mailbox.port),
            "COMMITMENTS_SMTP_SECURITY": "none",
            "COMMITMENTS_MAIL_FROM": "Commitment tracker <accounts@tracker.example.org>",
        }
        server = Server(database_url, cwd=tmp_path, env=env)
        try:
            yield server, mailbox
        finally:
            server.stop()


def code_of(browser: Browser) -> pyotp.TOTP:
    return pyotp.TOTP(browser.field("totp-secret").text)


def welcome_path(text: str) -> str:
    found = re.search(r"https?://\S+(/app/welcome/\S+)", text)
    assert found is not None, text
    return found.group(1)


def test_a_person_is_invited_chooses_a_password_sets_up_a_second_factor_signs_in_changes_a_record_and_signs_out(
    running: tuple[Server, Mailbox], database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server, mailbox = running
    capsys.readouterr()
    made = ["people", "create-admin", "--name", ADMIN, "--email", ADMIN_ADDRESS, "--database-url", database_url]
    assert main(made) == 0
    first_link = welcome_path(capsys.readouterr().out)
    with chromium() as driver:
        browser = Browser(driver, server.url)
        browser.open(first_link)
        browser.type("password", ADMIN_PASSWORD)
        browser.type("repeated", ADMIN_PASSWORD)
        browser.press("Keep this password and sign in")
        assert browser.path().startswith("/app/sign-in/second-factor")  # an administrator sets one up first
        assert driver.find_elements(By.CSS_SELECTOR, "figure.qr svg")  # the QR code to scan
        authenticator = code_of(browser)
        browser.type("code", authenticator.now())
        browser.press("Confirm and continue")
        codes = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
        assert len(codes) == 10
        driver.find_element(By.LINK_TEXT, "I kept them: continue").click()
        browser.wait_for(lambda: "Overview" in browser.text(), "the overview, signed in")

        browser.open("/app/language/ar?next=/app/admin/people")
        browser.type("person-name", COORDINATOR)
        browser.type("person-email", COORDINATOR_ADDRESS)
        browser.choose("person-role", "coordinator")
        browser.choose("person-language", "ar")
        browser.press("إرسال الدعوة")
        assert browser.field("invited").is_displayed()
        assert "Second factor" not in browser.text() and "العامل الثاني" in browser.text()  # no English word
        browser.press("تسجيل الخروج")

        letter = browser.wait_for(lambda: mailbox.to(COORDINATOR_ADDRESS), "the invitation in the mailbox")[0]
        assert letter["Subject"].endswith("دعوتك")
        body = letter.get_body(("plain",))
        assert body is not None
        browser.open(welcome_path(body.get_content()))
        browser.type("password", COORDINATOR_PASSWORD)
        browser.type("repeated", COORDINATOR_PASSWORD)
        browser.press(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").text)
        assert COORDINATOR in browser.text()  # signed in as themself, no second factor asked of a coordinator

        browser.open("/app/language/en?next=/app/record")  # a change: the Islamic Development Bank recorded
        record_party(
            browser, "IsDB", "البنك الإسلامي للتنمية", "Islamic Development Bank", "ar", "specialised_institution"
        )
        browser.open("/app/parties")
        assert "Islamic Development Bank" in browser.text()
        browser.press("Sign out")
        assert "/app/sign-in" in browser.path()

        browser.type("email", ADMIN_ADDRESS)
        browser.type("password", ADMIN_PASSWORD)
        browser.press("Sign in", within="//form[@id='with-password']")
        assert browser.path().startswith("/app/sign-in/code")
        browser.type("code", authenticator.at(time.time() + 30))  # the next code: the current one was used
        browser.press("Sign in")
        browser.open("/app/admin/people")
        rows = driver.find_elements(By.CSS_SELECTOR, "#people tbody tr")
        assert len(rows) == 2 and COORDINATOR in rows[1].text


def at_the_provider(server: Server, account: str) -> str:
    """In a browser of their own (the provider remembers whom it signed in), a person follows "Sign in through
    OIC Identity", signs in at the provider's page as ``account``, and comes back: signed in, or refused."""
    with chromium() as driver:
        browser = Browser(driver, server.url)
        browser.open("/app/sign-in")
        driver.find_element(By.LINK_TEXT, "Sign in through OIC Identity").click()
        browser.wait_for(lambda: driver.find_elements(By.NAME, "login"), "the provider's sign-in form")
        driver.find_element(By.NAME, "login").send_keys(account)
        browser.press("Sign in")  # the provider's own button
        return str(
            browser.wait_for(
                lambda: (
                    "refused"
                    if driver.find_elements(By.ID, "organisation-refused")
                    else "signed in"
                    if driver.find_elements(By.CSS_SELECTOR, "form.sign-out")
                    else None
                ),
                "back from the provider",
            )
        )


def test_a_person_signs_in_through_their_organisation_in_a_browser_and_someone_it_does_not_admit_is_refused(
    tmp_path: Path, database_url: str
) -> None:
    port = free_port()
    back = f"http://127.0.0.1:{port}/app/sign-in/organisation/back"
    provider = IdentityProvider("commitments", "the deployment's secret", back, ORGANISATION_ACCOUNTS)
    try:
        env = {
            "COMMITMENTS_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "COMMITMENTS_OIDC_ISSUER": provider.issuer,
            "COMMITMENTS_OIDC_CLIENT_ID": provider.client_id,
            "COMMITMENTS_OIDC_CLIENT_SECRET": provider.client_secret,
            "COMMITMENTS_OIDC_SCOPES": "openid email profile groups",
            "COMMITMENTS_OIDC_RULES": "group:coordinators=coordinator",
            "COMMITMENTS_OIDC_NAME": "OIC Identity",
        }
        server = Server(database_url, cwd=tmp_path, env=env, port=port)
        try:
            assert at_the_provider(server, "bob") == "refused"  # its group no rule admits
            assert at_the_provider(server, "amina") == "signed in"
        finally:
            server.stop()
    finally:
        provider.stop()
