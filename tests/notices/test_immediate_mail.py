"""A contact who chose ``immediate`` is told of each change of state of what its party leads or supports, in
its language, gathered at each look of the mailer: many changes between two looks are one e-mail, and each
e-mail is sent once however many workers look."""

import re
from uuid import UUID

from api.bootstrap import Services, build
from domain.access import Principal, Role
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.notices.mailing import OVERDUE_MORNING, add_contact, api, mail_settings, mailbox, mailing, parts
from tests.racing import race
from tests.records import commitment
from tests.smtp import Mailbox
from tests.world import World

__all__ = ["api", "mailbox", "mailing"]  # fixtures
ADMIN = Principal("key_test_admin", "test admin", Role.ADMIN)


def told_from_now(mailing: Services, api: Api, clock: FrozenClock, world: World, language: str = "en") -> None:
    """SESRIC's focal point chooses to be told at once; the mailer's first look marks from when."""
    clock.set(OVERDUE_MORNING)
    add_contact(api, world.sesric, "focal.point@sesric.org", language=language, frequency="immediate", name="Amina")
    assert mailing.mailer.tick().sent == 0
    clock.advance(minutes=2)


def test_an_immediate_contact_is_told_of_the_changes_since_its_last_email_once(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    told_from_now(mailing, api, clock, world)
    assert api.post(f"/commitments/{world.commitment}/start", {}).status_code == 200
    clock.advance(minutes=1)
    assert api.post(f"/commitments/{world.commitment}/stall", {"reason": "funding"}).status_code == 200
    clock.advance(minutes=5)
    assert mailing.mailer.tick().sent == 1
    [message] = mailbox.to("focal.point@sesric.org")
    assert message["Subject"] == "SESRIC: 2 changes to its commitments"
    text, html = parts(message)
    assert "agreed → in progress" in text and "in progress → stalled" in text
    assert "/app/act/" in text  # its party leads it: the links to act come with the news
    clock.advance(minutes=5)
    assert mailing.mailer.tick().sent == 0  # nothing new
    assert api.post(f"/commitments/{world.commitment}/resume", {}).status_code == 200
    clock.advance(minutes=5)
    assert mailing.mailer.tick().sent == 1
    assert "stalled → in progress" in parts(mailbox.to("focal.point@sesric.org")[1])[0]


def test_a_change_to_what_the_party_only_supports_is_told_and_another_partys_is_not(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    clock.set(OVERDUE_MORNING)
    add_contact(api, world.un, "desk@un.org", language="fr", frequency="immediate", name="Bureau")
    add_contact(api, world.iofs, "info@iofs.org", language="ar", frequency="immediate", name="IOFS")
    mailing.mailer.tick()
    clock.advance(minutes=1)
    api.post(f"/commitments/{world.commitment}/start", {})  # SESRIC leads it, the UN supports it
    clock.advance(minutes=2)
    assert mailing.mailer.tick().sent == 1
    [message] = mailbox.messages
    assert "desk@un.org" in str(message["To"]) and message["Content-Language"] == "fr"
    assert "en cours" in parts(message)[0]


def test_an_import_of_many_commitments_is_one_email_not_one_per_row(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    told_from_now(mailing, api, clock, world, language="ar")
    body = commitment(world.meeting, world.sesric)
    for number in range(120):
        body["text"] = {"texts": {"ar": f"نشاط رقم {number}"}, "authentic": "ar"}
        assert api.post("/commitments", body).status_code == 201
    clock.advance(minutes=5)
    assert mailing.mailer.tick().sent == 1
    [message] = mailbox.messages
    text = parts(message)[0]
    assert "120" in message["Subject"] or "١٢٠" in message["Subject"]
    assert len(re.findall(r"/app/commitments/[0-9a-f-]{36}\r?$", text, re.M)) == 50  # the latest 50, and a link to all
    assert f"/app/commitments?party={world.sesric}" in text


def test_racing_mailers_send_each_immediate_email_once(
    database_url: str, mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    told_from_now(mailing, api, clock, world)
    api.post(f"/commitments/{world.commitment}/start", {})
    clock.advance(minutes=2)
    others = [build(mail_settings(database_url, mailbox), clock=clock) for _ in range(2)]
    try:
        sent = race([mailing, *others], lambda services: services.mailer.tick().sent)
    finally:
        for services in others:
            services.close()
    assert sum(sent) == 1 and len(mailbox.messages) == 1


def test_a_refused_immediate_email_is_sent_again_with_the_same_changes(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    told_from_now(mailing, api, clock, world)
    api.post(f"/commitments/{world.commitment}/start", {})
    clock.advance(minutes=2)
    mailbox.refuse = 1
    assert mailing.mailer.tick().failed == 1
    api.post(f"/commitments/{world.commitment}/stall", {"reason": "funding"})  # after the window it failed with
    clock.advance(minutes=2)
    assert mailing.mailer.tick().sent == 1
    [first] = mailbox.messages
    assert "agreed → in progress" in parts(first)[0] and "stalled" not in parts(first)[0]
    clock.advance(minutes=2)
    assert mailing.mailer.tick().sent == 1
    assert "in progress → stalled" in parts(mailbox.messages[1])[0]


def test_a_contact_asks_for_immediate_mail_through_the_api(api: Api, world: World) -> None:
    contact = add_contact(api, world.sesric, "fp@sesric.org", frequency="immediate")
    assert [c["frequency"] for c in contact["contacts"]] == ["immediate"]
    assert UUID(contact["contacts"][0]["id"])


def test_a_party_named_in_a_comment_is_told_in_its_next_digest_or_at_once_if_it_chose(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    told_from_now(mailing, api, clock, world)  # SESRIC: at once
    add_contact(api, world.oic, "desk@oic-oci.org", language="en", name="OIC desk officer")  # the OIC: daily
    words = "نحتاج إلى بيانات المنظمة قبل الورشة الثانية"
    said = {"text": words, "language": "ar", "mentions": [world.oic, world.sesric]}
    assert api.post(f"/commitments/{world.commitment}/comments", said).status_code == 200
    clock.advance(minutes=2)
    mailing.mailer.tick()
    [at_once] = mailbox.to("focal.point@sesric.org")
    [daily] = mailbox.to("desk@oic-oci.org")
    assert "Comments that name SESRIC" in parts(at_once)[0] and words in parts(at_once)[0]
    assert "Comments that name OIC" in parts(daily)[0] and words in parts(daily)[1]
    clock.advance(days=1)
    mailing.mailer.tick()
    assert len(mailbox.to("desk@oic-oci.org")) == 1  # told once: the next day there is nothing new for the OIC
