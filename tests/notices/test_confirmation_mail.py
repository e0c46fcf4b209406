"""When a change waits for a party's word, that party's contacts are asked at once, whatever their digest's
frequency, with signed links to confirm or object; each is asked once per change."""

from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.notices.mailing import OVERDUE_MORNING, action_paths, add_contact, api, mailbox, mailing, parts
from tests.smtp import Mailbox
from tests.world import World

__all__ = ["api", "mailbox", "mailing"]  # fixtures


def declared_by_sesric(mailing: Services, api: Api, world: World) -> None:
    _, key = mailing.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    evidence = [{"title": "Workshop report", "url": "https://sesric.org/report"}]
    answer = api.client.post(
        f"/commitments/{world.commitment}/deliver",
        json={"evidence": evidence},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.json()["pending"]["awaiting"] == [world.un], answer.text


def asked(mailbox: Mailbox, address: str) -> dict[str, str]:
    [message] = mailbox.to(address)
    assert message["Subject"] == "UN: a change waits for your confirmation"
    text = parts(message)[0]
    return action_paths(text)


def test_the_awaited_partys_contacts_are_asked_at_once_and_confirm_from_the_email(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    clock.set(OVERDUE_MORNING)
    add_contact(api, world.un, "desk@un.org", language="en", frequency="weekly", name="UN desk")
    declared_by_sesric(mailing, api, world)
    mailing.mailer.tick()
    links = asked(mailbox, "desk@un.org")
    assert {"Confirm the change", "Object to the change"} <= set(links)
    clock.advance(minutes=5)
    mailing.mailer.tick()
    assert len(mailbox.to("desk@un.org")) == 1  # asked once per change
    with TestClient(create_app(services=mailing)) as browser:
        opened = browser.get(links["Confirm the change"])
        assert opened.status_code == 200 and "Waiting for the parties" in opened.text
        assert browser.post(links["Confirm the change"], data={}).status_code == 200
    now = api.get(f"/commitments/{world.commitment}").json()
    assert now["status"] == "delivered" and now["pending"] is None
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    [given] = [e for e in events if e["type"] == "ConfirmationGiven"]
    assert given["actor"].startswith(f"link:{world.un}/")


def test_an_objection_from_the_email_disputes_the_change(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    clock.set(OVERDUE_MORNING)
    add_contact(api, world.un, "desk@un.org", language="en", frequency="daily", name="UN desk")
    declared_by_sesric(mailing, api, world)
    mailing.mailer.tick()
    links = asked(mailbox, "desk@un.org")
    with TestClient(create_app(services=mailing)) as browser:
        assert browser.post(links["Object to the change"], data={}).status_code == 422  # a reason is needed
        assert browser.post(links["Object to the change"], data={"reason": "the report is a draft"}).status_code == 200
    pending = api.get(f"/commitments/{world.commitment}").json()["pending"]
    assert pending["disputed"] and pending["objections"][0]["reason"] == "the report is a draft"
