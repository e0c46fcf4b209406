"""A focal point acts from its e-mail, without an account: each item of its digest carries signed links for
that contact and that commitment (acknowledge, report progress, ask for a new due, declare it delivered).
Opening one changes nothing; posting its form records the event in the contact's name, once; a link
expires, stops working when its contact is removed or unsubscribed, and cannot be altered."""

import base64
import re
import string
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import Services
from application.participation.focal_points import LinkForm, LinkNoLongerWorks
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.notices.mailing import (
    OVERDUE_MORNING,
    SITE,
    action_paths,
    add_contact,
    api,
    mailbox,
    mailing,
    overdue_by_morning,
    parts,
)
from tests.racing import race
from tests.smtp import Mailbox
from tests.world import World

__all__ = ["api", "mailbox", "mailing"]  # fixtures
LINK = re.compile(r"https://tracker\.example\.org/app/act/[\w-]+")


def links_in_digest(mailbox: Mailbox, address: str) -> dict[str, str]:
    """The digest's links to act, by the words of their action, as paths of the served site."""
    [message] = mailbox.to(address)
    text, html = parts(message)
    found = action_paths(text)
    assert sorted(SITE + path for path in found.values()) == sorted(set(LINK.findall(html))), "the HTML part's too"
    return found


@pytest.fixture
def browser(mailing: Services) -> Any:
    with TestClient(create_app(services=mailing)) as client:
        yield client


@pytest.fixture
def digest_links(mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox) -> dict[str, str]:
    """The English digest of SESRIC's focal point, which leads the world's overdue commitment: its links."""
    add_contact(api, world.sesric, "focal.point@sesric.org", language="en", name="Amina Hosseini")
    overdue_by_morning(mailing, clock)
    assert mailing.mailer.tick().sent == 1
    return links_in_digest(mailbox, "focal.point@sesric.org")


def history(api: Api, commitment: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = api.get(f"/commitments/{commitment}/history").json()["events"]
    return events


def test_each_item_of_a_digest_carries_a_link_per_action_its_party_may_take(digest_links: dict[str, str]) -> None:
    offered = ["Acknowledge", "Ask for a new due", "Comment", "Declare delivered", "Report progress"]
    assert sorted(digest_links) == offered


def test_a_party_told_of_another_partys_escalated_commitment_gets_no_links_to_act_on_it(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.oic, "desk@oic-oci.org", language="en", name="OIC desk officer")
    overdue_by_morning(mailing, clock, OVERDUE_MORNING + timedelta(days=31))  # escalated to the OIC, SESRIC's parent
    mailing.mailer.tick()
    [message] = mailbox.to("desk@oic-oci.org")
    assert "Escalated to OIC" in parts(message)[0] and not LINK.search(parts(message)[0])


def test_opening_a_link_shows_the_commitment_in_the_contacts_language_and_changes_nothing(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox, browser: TestClient
) -> None:
    add_contact(api, world.sesric, "focal.point@sesric.org", language="ar")
    overdue_by_morning(mailing, clock)
    mailing.mailer.tick()
    [message] = mailbox.to("focal.point@sesric.org")
    paths = [url.removeprefix(SITE) for url in LINK.findall(parts(message)[0])]
    assert len(paths) == 5
    before = api.get(f"/commitments/{world.commitment}").json()["version"]
    for path in paths * 2:  # a mail scanner opens every link, twice
        page = browser.get(path)
        assert page.status_code == 200 and 'dir="rtl"' in page.text and "تنفيذ مصفوفة الأنشطة المشتركة" in page.text
        assert '<form method="post"' in page.text
    assert api.get(f"/commitments/{world.commitment}").json()["version"] == before


def test_a_focal_point_reports_progress_from_its_link_once_in_its_own_name(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    link = digest_links["Report progress"]
    done = browser.post(
        link, data={"percent": "40", "note": "الورشة الأولى عقدت", "evidence_url": "https://sesric.org/w1"}
    )
    assert done.status_code == 200 and "Recorded, in your name" in done.text
    [event] = [e for e in history(api, world.commitment) if e["type"] == "ProgressReported"]
    assert event["actor"].startswith("link:") and event["payload"]["percent"] == 40
    assert event["payload"]["evidence"][0]["url"] == "https://sesric.org/w1"
    again = browser.post(link, data={"percent": "60"})
    assert again.status_code == 410 and "used already" in again.text
    assert browser.get(link).status_code == 410
    assert [e["type"] for e in history(api, world.commitment)].count("ProgressReported") == 1


def test_the_other_actions_record_their_events_and_a_binding_one_waits_for_the_other_partys_word(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    assert browser.post(digest_links["Acknowledge"], data={"note": "we are on it"}).status_code == 200
    asked = browser.post(digest_links["Ask for a new due"], data={"due": "2025-06-30", "reason": "the venue moved"})
    assert asked.status_code == 200, asked.text
    now = api.get(f"/commitments/{world.commitment}").json()
    assert now["pending"]["action"] == "revise_due" and now["pending"]["awaiting"] == [world.un]  # it binds the UN
    refused = browser.post(digest_links["Declare delivered"], data={"evidence_url": "https://sesric.org/report"})
    assert refused.status_code == 422 and "waiting for its parties" in refused.text  # the status waits too
    by_link = [e["type"] for e in history(api, world.commitment) if (e["actor"] or "").startswith("link:")]
    assert by_link == ["Acknowledged", "ConfirmationRequested"]


def test_a_refused_value_shows_the_form_again_and_the_link_still_works(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    link = digest_links["Report progress"]
    refused = browser.post(link, data={"percent": "140"})
    assert refused.status_code == 422 and 'name="percent"' in refused.text and 'value="140"' in refused.text
    assert browser.post(link, data={"percent": "100"}).status_code == 200


def test_an_altered_link_names_nothing(browser: TestClient, digest_links: dict[str, str]) -> None:
    link = digest_links["Report progress"]
    token = link.rsplit("/", 1)[1]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    alike = next(  # the same bytes, written otherwise: the last character's unused bits changed
        token[:-1] + c
        for c in string.ascii_letters + string.digits + "-_"
        if c != token[-1] and base64.urlsafe_b64decode(token[:-1] + c + "=" * (-len(token) % 4)) == raw
    )
    for altered in (
        token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        token[:30] + "x" + token[31:],
        "x" * 300,
        token + "=",  # padded
        token[:40] + "!!" + token[40:],  # characters a lenient decoder skips
        alike,
    ):
        answer = browser.post(f"/app/act/{altered}", data={"percent": "10"})
        assert answer.status_code == 404, altered
        assert browser.get(f"/app/act/{altered}").status_code == 404


def test_a_link_expires_after_the_days_the_deployment_gives_it(
    clock: FrozenClock, browser: TestClient, digest_links: dict[str, str]
) -> None:
    link = digest_links["Acknowledge"]
    clock.set(OVERDUE_MORNING + timedelta(days=13, hours=23))
    assert browser.get(link).status_code == 200
    clock.set(OVERDUE_MORNING + timedelta(days=14))
    expired = browser.post(link, data={})
    assert expired.status_code == 410 and "expired" in expired.text


def test_a_link_stops_working_when_its_contact_is_removed_or_unsubscribed(
    mailing: Services, api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    [contact] = api.get(f"/parties/{world.sesric}").json()["contacts"]
    mailing.tracker.parties.unsubscribe(world.sesric, UUID(contact["id"]))
    assert browser.get(digest_links["Acknowledge"]).status_code == 410
    removed = api.client.delete(f"/parties/{world.sesric}/contacts/{contact['id']}", headers=api.headers())
    assert removed.status_code == 200
    gone = browser.post(digest_links["Report progress"], data={"percent": "10"})
    assert gone.status_code == 410 and "no longer works" in gone.text


def test_a_contact_removed_and_added_again_does_not_bring_its_old_links_back(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    [contact] = api.get(f"/parties/{world.sesric}").json()["contacts"]
    removed = api.client.delete(f"/parties/{world.sesric}/contacts/{contact['id']}", headers=api.headers())
    assert removed.status_code == 200
    add_contact(api, world.sesric, "focal.point@sesric.org", language="en", name="Amina Hosseini")  # the same id
    assert browser.post(digest_links["Acknowledge"], data={}).status_code == 410


def test_a_link_stops_working_when_its_party_no_longer_leads_or_supports_the_commitment(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    corrected = api.post(
        f"/commitments/{world.commitment}/correction",
        {"lead_party_id": world.iofs, "reason": "IOFS leads it, as the matrix says"},
    )
    assert corrected.status_code == 200, corrected.text
    assert browser.post(digest_links["Report progress"], data={"percent": "10"}).status_code == 410


def test_two_requests_racing_with_one_link_record_it_once(
    mailing: Services, api: Api, world: World, digest_links: dict[str, str]
) -> None:
    token = digest_links["Report progress"].rsplit("/", 1)[1]

    def use(percent: int) -> str:
        try:
            mailing.focal_points.act(token, LinkForm(percent=percent))
        except LinkNoLongerWorks:
            return "refused"
        return "recorded"

    assert sorted(race([30, 31, 32], use)) == ["recorded", "refused", "refused"]
    assert [e["type"] for e in history(api, world.commitment)].count("ProgressReported") == 1


def test_a_focal_point_comments_from_its_link_in_its_own_language(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str]
) -> None:
    refused = browser.post(digest_links["Comment"], data={"text": "   "})
    assert refused.status_code == 422
    done = browser.post(digest_links["Comment"], data={"text": "Workshop two moved to May"})
    assert done.status_code == 200 and "Workshop two moved to May" in done.text
    [said] = api.get(f"/commitments/{world.commitment}").json()["comments"]
    assert said["language"] == "en" and said["actor"].startswith(f"link:{world.sesric}/")


def test_a_focal_point_sends_a_file_as_evidence_from_its_link_and_an_html_page_is_refused(
    api: Api, world: World, browser: TestClient, digest_links: dict[str, str], mailing: Services
) -> None:
    link = digest_links["Report progress"]
    form = browser.get(link).text
    assert 'enctype="multipart/form-data"' in form and 'name="evidence_file"' in form
    page = b"<html><script>fetch('/app/admin/keys')</script></html>"
    refused = browser.post(link, data={"percent": "40"}, files={"evidence_file": ("report.pdf", page)})
    assert refused.status_code == 422 and list(mailing.files.store.hashes()) == []
    pdf = b"%PDF-1.7\n% the workshops' report\n%%EOF\n"
    done = browser.post(link, data={"percent": "40"}, files={"evidence_file": ("تقرير الورشة.pdf", pdf)})
    assert done.status_code == 200, done.text
    [event] = [e for e in history(api, world.commitment) if e["type"] == "ProgressReported"]
    [cited] = event["payload"]["evidence"]
    assert cited["title"] == "تقرير الورشة.pdf" and cited["file"]["media_type"] == "application/pdf"
    assert api.get(f"/commitments/{world.commitment}/evidence/1/file").content == pdf
    commented = browser.post(
        digest_links["Comment"], data={"text": "صورة الورشة"}, files={"evidence_file": ("photo.pdf", pdf)}
    )
    assert commented.status_code == 200, commented.text
    assert api.get(f"/commitments/{world.commitment}/comments/1/files/1").content == pdf
