"""What the tests of mail share: a real SMTP server on loopback, services that send through it, a contact
added through the API, and the morning the world's commitment is overdue."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from api.bootstrap import Services, build
from infrastructure.settings import Settings
from tests.conftest import Api, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.smtp import Mailbox

OVERDUE_MORNING = datetime(2024, 7, 22, 8, 0, tzinfo=UTC)  # a Monday: the world's commitment is two days overdue
LADDER = "0:lead_party,30:parent_organisation,90:meeting_chairs"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as running:
        yield running


def mail_settings(database_url: str, mailbox: Mailbox) -> Settings:
    return settings_for_tests(
        database_url,
        escalation_ladder=LADDER,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_security="none",
        mail_from="Commitment tracker <digests@tracker.example.org>",
        public_url=SITE,
    )


@pytest.fixture
def mailing(database_url: str, clock: FrozenClock, mailbox: Mailbox) -> Iterator[Services]:
    with build(mail_settings(database_url, mailbox), clock=clock) as built:
        yield built


@pytest.fixture
def api(mailing: Services) -> Iterator[Api]:
    with api_of(mailing) as client:
        yield client


def add_contact(
    api: Api,
    party_id: str,
    address: str,
    language: str = "ar",
    frequency: str = "daily",
    name: str = "د. أمينة الحسيني",
) -> dict[str, Any]:
    response = api.post(
        f"/parties/{party_id}/contacts",
        {"name": name, "address": address, "language": language, "frequency": frequency},
    )
    assert response.status_code == 200, response.text
    contact: dict[str, Any] = response.json()
    return contact


def overdue_by_morning(mailing: Services, clock: FrozenClock, at: datetime = OVERDUE_MORNING) -> None:
    """The clock at ``at``, and the scanner has looked."""
    clock.set(at)
    mailing.scanner.tick()


SITE = "https://tracker.example.org"  # the public address the mail settings give the links


def action_paths(text: str) -> dict[str, str]:
    """The links to act of a plain-text part, by the words of their action, as paths of the served site."""
    found = re.findall(r"^\s+([^:\n]+): (https://tracker\.example\.org/app/act/[\w-]+)\r?$", text, re.M)
    return {words: url.removeprefix(SITE) for words, url in found}


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
