"""A real browser for the end-to-end tests: Debian's Chromium, driven by Selenium through Debian's
chromedriver (nothing is downloaded), headless, with a fresh profile and no background traffic."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).parent / "screenshots"  # kept after the run (not in git); the README shows copies

T = TypeVar("T")


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
        ):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


class Browser:
    """A person at the browser: opens pages, fills in fields by their labels' ids, presses buttons."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def field(self, element_id: str) -> WebElement:
        return self.driver.find_element(By.ID, element_id)

    def type(self, element_id: str, text: str) -> None:
        field = self.field(element_id)
        field.clear()
        field.send_keys(text)

    def set_date(self, element_id: str, day: str) -> None:
        """A date field's value (typing into it depends on the browser's locale; a person picks it)."""
        self.driver.execute_script("arguments[0].value = arguments[1]", self.field(element_id), day)

    def choose(self, element_id: str, *values: str) -> None:
        select = Select(self.field(element_id))
        if select.is_multiple:
            select.deselect_all()
        for value in values:
            select.select_by_value(value)

    def tick(self, xpath: str, on: bool = True) -> None:
        box = self.driver.find_element(By.XPATH, xpath)
        if box.is_selected() != on:
            box.click()

    def press(self, text: str, within: str = "//body") -> None:
        """The button with this text, within the part of the page the XPath names; waits for the next page."""
        button = self.driver.find_element(By.XPATH, f"{within}//button[normalize-space()='{text}']")
        old = self.driver.find_element(By.TAG_NAME, "html")
        button.click()
        # While the old page is being replaced, Chrome may answer that the element "does not belong
        # to the document" instead of "stale": asked again, it says stale.
        WebDriverWait(self.driver, 20, ignored_exceptions=[WebDriverException]).until(
            expected_conditions.staleness_of(old)
        )

    def sign_in(self, key: str) -> None:
        """Sign in with a key on the sign-in page; the next page is the overview."""
        self.open("/app/sign-in")
        self.type("key", key)
        self.press("Sign in", within="//form[@id='with-key']")  # the key's form, not the password's

    def unfold(self, summary: str) -> None:
        found = self.driver.find_element(By.XPATH, f"//summary[normalize-space()='{summary}']")
        if found.find_element(By.XPATH, "..").get_attribute("open") is None:
            found.click()

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(target))
        return target

    def wait_for(self, condition: Callable[[], T], what: str, seconds: float = 20) -> T:
        return WebDriverWait(self.driver, seconds, poll_frequency=0.1).until(lambda _: condition(), what)


def party_options(browser: Browser, select_id: str, *acronyms: str) -> None:
    """Choose parties in a select by their acronyms (each option reads "ACRONYM — name")."""
    select = Select(browser.field(select_id))
    if select.is_multiple:
        select.deselect_all()
    for acronym in acronyms:
        option = next(o for o in select.options if o.text.split(" — ")[0] == acronym)
        value = option.get_attribute("value")
        assert value is not None
        select.select_by_value(value)
