"""The parties' contacts hear by e-mail, once a day or once a week and in their language, of what is
due soon, overdue and escalated for their party; each digest is sent once, to a real SMTP server on
loopback, and its link unsubscribes the contact without signing in."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import getaddresses
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from api.app import create_app
from api.bootstrap import Services, build
from domain.access import Role
from domain.parties.contact import Contact, DigestTime, Frequency, contact_id, digest_period
from domain.parties.party import Party
from infrastructure.mail.tables import mail_digests
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, api_of
from tests.fakes import FrozenClock
from tests.notices.mailing import (  # the fixtures, and what the tests of mail share
    OVERDUE_MORNING,
    add_contact,
    api,
    mail_settings,
    mailbox,
    mailing,
    overdue_by_morning,
    parts,
)
from tests.racing import race
from tests.smtp import Mailbox, Received
from tests.world import World

__all__ = ["api", "mailbox", "mailing"]  # fixtures

# -- the periods, a rule of the domain ------------------------------------------------------------------


@pytest.mark.parametrize(
    "now, frequency, period",
    [
        (datetime(2026, 12, 2, 6, 59, tzinfo=UTC), Frequency.DAILY, "daily:2026-12-01"),  # before the hour: yesterday's
        (datetime(2026, 12, 2, 7, 0, tzinfo=UTC), Frequency.DAILY, "daily:2026-12-02"),
        (datetime(2026, 11, 30, 6, 0, tzinfo=UTC), Frequency.WEEKLY, "weekly:2026-11-23"),  # Monday before the hour
        (datetime(2026, 11, 30, 7, 0, tzinfo=UTC), Frequency.WEEKLY, "weekly:2026-11-30"),
        (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), Frequency.WEEKLY, "weekly:2026-11-30"),
        (datetime(2026, 12, 2, 5, 0, tzinfo=UTC), Frequency.NONE, None),
    ],
)
def test_a_digest_belongs_to_the_day_or_week_whose_sending_hour_passed_last(
    now: datetime, frequency: Frequency, period: str | None
) -> None:
    assert digest_period(frequency, now, DigestTime(hour=7)) == period


def test_the_sending_hour_is_kept_in_the_deployment_time_zone() -> None:
    riyadh = DigestTime(hour=7, time_zone="Asia/Riyadh")  # 07:00 in Riyadh is 04:00 UTC
    assert digest_period(Frequency.DAILY, datetime(2026, 12, 2, 4, 0, tzinfo=UTC), riyadh) == "daily:2026-12-02"
    assert digest_period(Frequency.DAILY, datetime(2026, 12, 2, 3, 59, tzinfo=UTC), riyadh) == "daily:2026-12-01"


# -- sending, on both engines ---------------------------------------------------------------------------


def test_a_contact_gets_one_digest_a_day_in_arabic_right_to_left_with_a_plain_text_part(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "focal.point@sesric.org")
    overdue_by_morning(mailing, clock)
    assert mailing.mailer.tick().sent == 1
    [message] = mailbox.to("focal.point@sesric.org")
    assert message["Subject"] == "SESRIC: التزام واحد يحتاج إلى متابعة"
    assert message["Content-Language"] == "ar"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://tracker.example.org/app/unsubscribe/")
    text, html = parts(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert "تنفيذ مصفوفة الأنشطة المشتركة" in html and "تنفيذ مصفوفة الأنشطة المشتركة" in text
    assert "https://tracker.example.org/app/commitments/" + world.commitment in text
    assert "<" not in text  # the plain part holds no markup
    clock.set(OVERDUE_MORNING + timedelta(hours=6))
    assert mailing.mailer.tick().sent == 0  # once for the day
    clock.set(OVERDUE_MORNING + timedelta(days=1))
    assert mailing.mailer.tick().sent == 1
    assert len(mailbox.to("focal.point@sesric.org")) == 2
    [first, second] = mailbox.to("focal.point@sesric.org")
    assert first["Message-ID"] != second["Message-ID"]


def test_an_english_contact_reads_the_digest_in_english_and_the_escalated_section_first(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.oic, "desk@oic-oci.org", language="en", name="OIC desk officer")
    overdue_by_morning(mailing, clock, OVERDUE_MORNING + timedelta(days=31))  # a month: the parent organisation is told
    mailing.mailer.tick()
    [message] = mailbox.to("desk@oic-oci.org")
    text, html = parts(message)
    assert message["Subject"] == "OIC: 1 commitment needs attention"
    assert '<html lang="en" dir="ltr">' in html
    assert "Escalated to OIC (1)" in text and "Lead party: SESRIC" in text and "level 2" in text


def test_no_digest_is_sent_when_nothing_is_due_and_none_to_a_contact_who_wants_none(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.iofs, "info@iofs.org", language="fr")  # the IOFS leads nothing
    add_contact(api, world.sesric, "archive@sesric.org", frequency="none")
    overdue_by_morning(mailing, clock)
    result = mailing.mailer.tick()
    assert (result.sent, result.empty) == (0, 1)
    assert mailbox.messages == []
    assert [row["status"] for row in api.get(f"/parties/{world.iofs}/digests").json()] == ["empty"]


def test_a_weekly_digest_is_sent_on_its_day_once_a_week(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "weekly@sesric.org", frequency="weekly")
    overdue_by_morning(mailing, clock, OVERDUE_MORNING - timedelta(days=1))  # Sunday: the week began the Monday before
    for day, sent in [(0, 1), (1, 0), (3, 0), (7, 1), (8, 0)]:
        overdue_by_morning(mailing, clock, OVERDUE_MORNING + timedelta(days=day))
        assert mailing.mailer.tick().sent == sent, day


def test_a_refused_sending_is_tried_again_at_the_next_look(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "focal.point@sesric.org")
    overdue_by_morning(mailing, clock)
    mailbox.refuse = 1
    assert mailing.mailer.tick().failed == 1
    [row] = api.get(f"/parties/{world.sesric}/digests").json()
    assert row["status"] == "failed" and "451" in row["error"]
    assert mailing.mailer.tick().sent == 1
    assert len(mailbox.messages) == 1


def test_racing_mailers_send_each_digest_once(
    database_url: str, clock: FrozenClock, mailbox: Mailbox, mailing: Services, api: Api, world: World
) -> None:
    addresses = [f"contact{n}@sesric.org" for n in range(6)]
    for address in addresses:
        add_contact(api, world.sesric, address, name=address)
    overdue_by_morning(mailing, clock)
    others = [build(mail_settings(database_url, mailbox), clock=clock) for _ in range(2)]
    try:
        totals = race([mailing, *others], lambda services: services.mailer.tick().sent)
    finally:
        for services in others:
            services.close()
    assert sum(totals) == len(addresses)
    assert sorted(str(m["To"]).split("<")[1].rstrip(">") for m in mailbox.messages) == sorted(addresses)


def test_the_unsubscribe_link_stops_the_digests_without_signing_in(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "focal.point@sesric.org")
    overdue_by_morning(mailing, clock)
    mailing.mailer.tick()
    [message] = mailbox.messages
    link = message["List-Unsubscribe"].strip("<>").removeprefix("https://tracker.example.org")
    with TestClient(create_app(services=mailing)) as browser:
        page = browser.get(link)
        assert page.status_code == 200 and "focal.point@sesric.org" in page.text and 'dir="rtl"' in page.text
        forged = browser.post(link[:-4] + "AAAA", data={"List-Unsubscribe": "One-Click"})
        assert forged.status_code == 404
        one_click = browser.post(link, data={"List-Unsubscribe": "One-Click"})  # as a mail program sends it
        assert one_click.status_code == 200 and "لن" in one_click.text
    [contact] = api.get(f"/parties/{world.sesric}").json()["contacts"]
    assert contact["frequency"] == "none"
    history = api.get(f"/parties/{world.sesric}/history").json()["events"]
    assert history[-1]["type"] == "ContactUnsubscribed" and history[-1]["actor"] == "unsubscribe-link"
    clock.set(OVERDUE_MORNING + timedelta(days=1))
    assert mailing.mailer.tick().sent == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "Focal point", "address": "not an address", "language": "ar"}, "address"),
        ({"name": "Focal point", "address": "fp@sesric.org", "language": "klingon"}, "language"),
        ({"name": "Focal point", "address": "fp@sesric.org", "language": "ar", "frequency": "hourly"}, "frequency"),
        ({"name": "", "address": "fp@sesric.org", "language": "ar"}, "name"),
        ({"name": "Focal point\r\nBcc: spy@evil.example", "address": "fp@sesric.org", "language": "ar"}, "name"),
        ({"name": "Focal point", "address": "fp@sesric.org\r\nBcc: spy@evil.example", "language": "ar"}, "address"),
    ],
)
def test_a_contact_that_cannot_be_written_to_is_refused_and_stores_nothing(
    mailing: Services,
    api: Api,
    world: World,
    body: dict[str, Any],
    field: str,
) -> None:
    before = mailing.store.recorder.max_notification_id()
    response = api.post(f"/parties/{world.sesric}/contacts", body)
    assert_problem(response, 422, "invalid-value")
    assert response.json()["field"] == field
    assert mailing.store.recorder.max_notification_id() == before


def test_a_key_limited_to_a_party_keeps_that_party_contacts_only(mailing: Services, api: Api, world: World) -> None:
    _, scoped = mailing.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    headers = {"Authorization": f"Bearer {scoped}"}
    body = {"name": "Focal point", "address": "FP@SESRIC.org", "language": "ar", "frequency": "weekly"}
    assert api.client.post(f"/parties/{world.sesric}/contacts", json=body, headers=headers).status_code == 200
    refused = api.client.post(f"/parties/{world.oic}/contacts", json=body, headers=headers)
    assert_problem(refused, 403, "forbidden")
    again = api.client.post(f"/parties/{world.sesric}/contacts", json={**body, "frequency": "daily"}, headers=headers)
    [contact] = again.json()["contacts"]  # the same address (in any case) is the same contact, changed
    assert (contact["address"], contact["frequency"]) == ("FP@sesric.org", "daily")
    removed = api.client.delete(f"/parties/{world.sesric}/contacts/{contact['id']}", headers=headers)
    assert removed.status_code == 200 and removed.json()["contacts"] == []


def test_a_coordinator_adds_a_contact_on_the_party_page(mailing: Services, api: Api, world: World) -> None:
    from tests.pages.test_web_pages import visitor_of

    for visitor in visitor_of(mailing):
        visitor.sign_in(api.keys[Role.COORDINATOR])
        refused = visitor.post(
            f"/parties/{world.sesric}/contacts",
            {"name": "Focal point", "address": "nowhere", "language": "ar", "frequency": "daily"},
        )
        assert refused.status == 422 and 'value="nowhere"' in refused.text
        kept = visitor.post(
            f"/parties/{world.sesric}/contacts",
            {"name": "Focal point", "address": "fp@sesric.org", "language": "ar", "frequency": "weekly"},
        )
        assert kept.status == 200 and "fp@sesric.org" in kept.text
        shown = visitor.open(f"/parties/{world.sesric}", **{"Accept-Language": "ar"})
        assert "جهات الاتصال" in shown.words()
    assert api.get(f"/parties/{world.sesric}").json()["contacts"][0]["frequency"] == "weekly"


def test_removing_a_contact_the_party_does_not_have_is_not_found(mailing: Services, api: Api, world: World) -> None:
    response = api.client.delete(f"/parties/{world.sesric}/contacts/{world.un}", headers=api.headers())
    assert_problem(response, 404, "not-found")


# -- what a contact's record says cannot break a digest -------------------------------------------------


def recorded_before_the_rules(mailing: Services, party_id: str, name: str, address: str) -> None:
    """A contact as an event stored before names were one line (events replay as they were stored)."""

    def keep(found: Party, when: datetime) -> None:
        found.keep_contact(Contact(contact_id(found.id, address), name, address, "en", Frequency.DAILY), "legacy", when)

    mailing.tracker.parties.records.change(Party, party_id, None, keep)


def received_by(mailbox: Mailbox, address: str) -> Received:
    [received] = [r for r in mailbox.received if address in r.recipients]
    return received


def header_lines(raw: bytes, name: str) -> list[str]:
    """The lines of a header as they came over the wire, its folded continuation lines included."""
    lines = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8").split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(name.lower() + ":"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i][:1].isspace()), len(lines))
    return lines[start:end]


def test_a_display_name_holding_addresses_is_quoted_and_the_digest_goes_to_its_contact_only(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "latin@sesric.org", language="en", name="Evil <boss@evil.example>, Bob")
    add_contact(api, world.sesric, "arabic@sesric.org", name="أحمد <boss@evil.example>، بوب, Ali")
    overdue_by_morning(mailing, clock)
    assert mailing.mailer.tick().sent == 2
    for address in ("latin@sesric.org", "arabic@sesric.org"):
        received = received_by(mailbox, address)
        assert received.recipients == [address]
        message = message_from_bytes(received.raw, policy=policy.default)
        assert [a for _, a in getaddresses([str(message["To"])])] == [address]  # as a mail program reads it
    assert (
        message_from_bytes(received_by(mailbox, "latin@sesric.org").raw, policy=policy.default)["To"]
        .addresses[0]
        .display_name
        == "Evil <boss@evil.example>, Bob"
    )


def test_the_unsubscribe_headers_are_single_unencoded_lines(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "focal.point@sesric.org")
    overdue_by_morning(mailing, clock)
    mailing.mailer.tick()
    raw = received_by(mailbox, "focal.point@sesric.org").raw
    [unsubscribe] = header_lines(raw, "List-Unsubscribe")
    assert re.fullmatch(r"List-Unsubscribe: <https://tracker\.example\.org/app/unsubscribe/[\w\-./=]+>", unsubscribe)
    assert header_lines(raw, "List-Unsubscribe-Post") == ["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def test_an_international_address_is_sent_with_smtputf8_and_an_international_domain_in_punycode(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.sesric, "jöran@exämple.org")
    add_contact(api, world.sesric, "desk@exämple.org")
    overdue_by_morning(mailing, clock)
    assert mailing.mailer.tick().sent == 2
    international = received_by(mailbox, "jöran@exämple.org")
    assert "SMTPUTF8" in international.options
    assert "SMTPUTF8" not in received_by(mailbox, "desk@xn--exmple-cua.org").options  # its ASCII form serves


def test_where_the_server_offers_no_smtputf8_only_that_contacts_digest_fails_with_the_reason(
    database_url: str, clock: FrozenClock
) -> None:
    from tests.world import build_world

    with (
        Mailbox(smtputf8=False) as plain,
        build(mail_settings(database_url, plain), clock=clock) as mailing,
        api_of(mailing) as api,
    ):
        world = build_world(api)
        add_contact(api, world.sesric, "jöran@exämple.org")
        add_contact(api, world.sesric, "focal.point@sesric.org")
        overdue_by_morning(mailing, clock)
        done = mailing.mailer.tick()
        assert (done.sent, done.failed) == (1, 1)
        rows = {row["address"]: row for row in api.get(f"/parties/{world.sesric}/digests").json()}
        assert rows["focal.point@sesric.org"]["status"] == "sent"
        assert rows["jöran@exämple.org"]["status"] == "failed" and "SMTPUTF8" in rows["jöran@exämple.org"]["error"]
        assert [r.recipients for r in plain.received] == [["focal.point@sesric.org"]]


def test_a_contact_recorded_with_a_line_break_in_its_name_gets_a_digest_with_one_to_line(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    recorded_before_the_rules(mailing, world.sesric, "Focal point\r\nBcc: spy@evil.example", "fp@sesric.org")
    overdue_by_morning(mailing, clock)
    assert mailing.mailer.tick().sent == 1
    received = received_by(mailbox, "fp@sesric.org")
    assert received.recipients == ["fp@sesric.org"]
    assert header_lines(received.raw, "To") == ['To: "Focal point Bcc: spy@evil.example" <fp@sesric.org>']
    assert not [line for line in received.raw.split(b"\r\n\r\n")[0].split(b"\r\n") if line.startswith(b"Bcc")]


def test_a_digest_that_cannot_be_written_is_failed_with_its_reason_and_the_round_goes_on(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    recorded_before_the_rules(mailing, world.sesric, "Broken", "broken@sesric.org\r\nBcc: spy@evil.example")
    add_contact(api, world.sesric, "focal.point@sesric.org")
    overdue_by_morning(mailing, clock)
    done = mailing.mailer.tick()
    assert (done.sent, done.failed) == (1, 1)
    rows = {row["address"]: row for row in api.get(f"/parties/{world.sesric}/digests").json()}
    broken = rows["broken@sesric.org\r\nBcc: spy@evil.example"]
    assert broken["status"] == "failed" and broken["error"].startswith("ValueError")
    assert [r.recipients for r in mailbox.received] == [["focal.point@sesric.org"]]


def test_a_digest_whose_last_attempt_was_abandoned_is_failed_not_left_sending(
    mailing: Services, api: Api, clock: FrozenClock, world: World
) -> None:
    contact = add_contact(api, world.sesric, "focal.point@sesric.org")["contacts"][0]
    overdue_by_morning(mailing, clock)
    with mailing.engine.begin() as connection:  # a worker claimed the fifth attempt, then stopped
        connection.execute(
            insert(mail_digests).values(
                contact_id=contact["id"],
                period=digest_period(Frequency.DAILY, clock(), DigestTime()),
                party_id=world.sesric,
                status="sending",
                attempts=5,
                address="focal.point@sesric.org",
                lease_until=clock() - timedelta(minutes=1),
                updated_at=clock() - timedelta(minutes=6),
            )
        )
    mailing.mailer.tick()
    [row] = api.get(f"/parties/{world.sesric}/digests").json()
    assert row["status"] == "failed" and "given up after 5 attempts" in row["error"]


def test_a_contact_is_told_once_in_its_next_digest_that_its_partys_commitments_were_made_public(
    mailing: Services, api: Api, clock: FrozenClock, world: World, mailbox: Mailbox
) -> None:
    add_contact(api, world.iofs, "info@iofs.org", language="fr", name="Point focal")  # the IOFS leads nothing
    clock.set(OVERDUE_MORNING)
    assert mailing.mailer.tick().empty == 1  # nothing to tell yet
    published = api.client.put(
        f"/publications/party/{world.iofs}", json={"reason": "annual report"}, headers=api.headers(Role.ADMIN)
    )
    assert published.status_code == 200, published.text
    clock.set(OVERDUE_MORNING + timedelta(days=1))
    assert mailing.mailer.tick().sent == 1  # publications alone make a digest worth sending
    [message] = mailbox.to("info@iofs.org")
    assert message["Subject"] == "IOFS : des dossiers rendus publics"
    text, html = parts(message)
    assert "Rendu public (1)" in text
    assert f"https://tracker.example.org/public/parties/{world.iofs}" in text and "<a href=" in html
    clock.set(OVERDUE_MORNING + timedelta(days=2))
    assert mailing.mailer.tick().empty == 1  # told once
