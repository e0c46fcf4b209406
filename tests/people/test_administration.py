"""Administrators manage people's accounts (issue 40): an invitation e-mailed in the person's language through a
real SMTP server on loopback, sent again, a role changed and an account disabled (each ends the person's
sessions at their next request), the second factor required, repeated wrong passwords holding the account
whatever address they come from, a forgotten password reset by e-mail, the operator resetting a lost second
factor; every change an event of the person's history, with its actor."""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import cast
from uuid import UUID

import pytest

from api.bootstrap import Services, build
from api.cli import main
from application.access.people import AccountHeld
from domain.access import Principal, Role
from domain.errors import InvalidValue
from domain.people.person import person_id
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.notices.mailing import mail_settings
from tests.pages.test_web_pages import visitor_of
from tests.people.test_accounts import authenticator, choose, sign_in_form_token
from tests.server import wait_for
from tests.smtp import Mailbox
from tests.web import Page, Visitor
from tests.world import World

NAME, ADDRESS, PASSWORD = "أمينة الحسيني", "amina.hussaini@isdb.org", "قافلة الصباح تعبر الوادي 77"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as running:
        yield running


@pytest.fixture
def services(database_url: str, clock: FrozenClock, mailbox: Mailbox) -> Iterator[Services]:
    with build(mail_settings(database_url, mailbox), clock=clock) as built:
        yield built


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    [link] = re.findall(r"https://\S+/app/welcome/\S+", str(body.get_content()))
    return str(link).split("/app", 1)[1]


def invited(api: Api, body: Mapping[str, object]) -> dict[str, object]:
    response = api.post("/people", body, role=Role.ADMIN)
    assert response.status_code == 201, response.text
    answer: dict[str, object] = response.json()
    return answer


def signed_in_person(api: Api, mailbox: Mailbox, visitor: Visitor, role: str = "auditor") -> str:
    """A person invited with ``role``, who chose their password through the e-mailed link and is signed in;
    answers their id."""
    made = invited(api, {"name": NAME, "email": ADDRESS, "role": role})
    choose(visitor, link_in(mailbox.to(ADDRESS)[0]), PASSWORD)
    return str(made["person_id"])


def signed_in(visitor: Visitor, address: str, password: str) -> Page:
    token = sign_in_form_token(visitor.open("/sign-in").text)
    return visitor.post("/sign-in", {"email": address, "password": password, "token": token}, csrf=False)


def test_an_invitation_reaches_the_person_in_their_language_and_a_second_one_replaces_it(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, world: World
) -> None:
    body = {"name": NAME, "email": ADDRESS, "role": "coordinator", "party_scope": [world.sesric], "language": "ar"}
    assert api.post("/people", body, role=Role.COORDINATOR).status_code == 403  # administrators invite
    made = invited(api, body)
    assert made["mailed"] is True
    [letter] = mailbox.to(ADDRESS)
    assert letter["Subject"] == "Commitment tracker: دعوتك" and letter["Content-Language"] == "ar"
    first = link_in(letter)
    assert api.post("/people", body | {"email": ADDRESS.upper()}, role=Role.ADMIN).status_code == 409  # one person
    again = api.post(f"/people/{made['person_id']}/invitation", role=Role.ADMIN)
    assert again.status_code == 200 and again.json()["mailed"] is True
    second = link_in(mailbox.to(ADDRESS)[-1])
    assert choose(visitor, first, PASSWORD).status == 410
    assert NAME in choose(visitor, second, PASSWORD).text  # signed in
    [person] = api.get("/people", role=Role.ADMIN).json()
    assert person["standing"] == "active" and person["party_scope"] == [world.sesric]
    assert person["last_sign_in"] is not None and person["second_factor"] is False
    again = api.post(f"/people/{made['person_id']}/invitation", role=Role.ADMIN)
    assert again.status_code == 422  # a password was chosen: they reset it themselves
    history = api.get(f"/people/{made['person_id']}/history", role=Role.ADMIN).json()["events"]
    assert [e["type"] for e in history] == ["Invited", "Reinvited", "PasswordChosen"]
    assert [e["door"] for e in history] == ["api", "api", "link"]  # the invitation's link chose the password
    assert history[0]["actor"].startswith("key:") or history[0]["actor"]  # who invited
    assert PASSWORD not in str(history)


def test_a_changed_role_or_a_disabled_account_ends_the_persons_sessions_and_an_admin_cannot_lock_themself_out(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, world: World
) -> None:
    made = invited(api, {"name": NAME, "email": ADDRESS, "role": "coordinator", "language": "en"})
    pid = str(made["person_id"])
    choose(visitor, link_in(mailbox.to(ADDRESS)[0]), PASSWORD)
    assert visitor.open("/").status == 200 and "/sign-in" not in visitor.open("/").url
    changed = api.client.put(
        f"/people/{pid}/role",
        json={"role": "auditor", "reason": "moved to evaluation"},
        headers=api.headers(Role.ADMIN),
    )
    assert changed.status_code == 200 and changed.json()["role"] == "auditor"
    assert "/sign-in" in visitor.open("/").url  # the session ended at its next request
    page = signed_in(visitor, ADDRESS, PASSWORD)
    assert "auditor" in page.text.lower()  # signed in again, with the new role
    disabled = api.post(f"/people/{pid}/disable", {"reason": "left"}, role=Role.ADMIN)
    assert disabled.status_code == 200 and disabled.json()["standing"] == "disabled"
    assert "/sign-in" in visitor.open("/").url
    assert signed_in(visitor, ADDRESS, PASSWORD).status == 401
    assert api.post(f"/people/{pid}/enable", {}, role=Role.ADMIN).json()["standing"] == "active"
    assert signed_in(visitor, ADDRESS, PASSWORD).status == 200
    himself = Principal(f"person:{pid}", NAME, Role.ADMIN)  # were the person an administrator
    with pytest.raises(InvalidValue, match="your own account"):
        services.people.disable(himself, UUID(pid))


def test_repeated_wrong_passwords_hold_the_account_whatever_address_they_come_from(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    signed_in_person(api, mailbox, visitor)
    visitor.open("/")
    visitor.post("/sign-out", {})
    for _ in range(5):
        assert services.people.password_step(ADDRESS, "not the password at all") is None  # from anywhere
    held = signed_in(visitor, ADDRESS, PASSWORD)  # the right password, while the account is held
    assert held.status == 429 and "/sign-in" in held.url
    clock.advance(seconds=2)
    assert NAME in signed_in(visitor, ADDRESS, PASSWORD).text  # held a moment, then it signs in
    denials = api.get("/audit/denials", role=Role.ADMIN).json()["items"]
    assert any("held" in d["reason"] for d in denials)


def test_a_forgotten_password_is_chosen_again_through_an_e_mailed_link_and_no_one_learns_who_has_an_account(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    invited(api, {"name": NAME, "email": ADDRESS, "role": "auditor", "language": "fr"})
    choose(visitor, link_in(mailbox.to(ADDRESS)[0]), PASSWORD)
    visitor.open("/")
    visitor.post("/sign-out", {})
    for address in (ADDRESS, "nobody@isdb.org"):
        form = visitor.open("/sign-in/reset")
        asked = visitor.post("/sign-in/reset", {"email": address, "token": sign_in_form_token(form.text)}, csrf=False)
        assert asked.status == 200 and asked.all("//p[@id='asked']")  # the same answer for both
    subject = "Commitment tracker : choisir un nouveau mot de passe"  # handed over in the background

    def resets() -> list[EmailMessage]:
        return [m for m in mailbox.to(ADDRESS) if m["Subject"] == subject]

    [letter] = cast(list[EmailMessage], wait_for(resets, what="the reset link's e-mail"))
    form = visitor.open("/sign-in/reset")
    visitor.post("/sign-in/reset", {"email": ADDRESS, "token": sign_in_form_token(form.text)}, csrf=False)
    assert len(resets()) == 1 and mailbox.to("nobody@isdb.org") == []  # one link in a few minutes, none for no one
    new = PASSWORD + " et encore"
    assert NAME in choose(visitor, link_in(letter), new).text
    visitor.open("/")
    visitor.post("/sign-out", {})
    assert signed_in(visitor, ADDRESS, PASSWORD).status == 401  # the old password no longer works
    assert NAME in signed_in(visitor, ADDRESS, new).text


def test_a_required_second_factor_is_set_up_at_the_next_sign_in_and_the_operator_resets_a_lost_one(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    pid = signed_in_person(api, mailbox, visitor, "coordinator")
    required = api.client.put(f"/people/{pid}/second-factor", json={"required": True}, headers=api.headers(Role.ADMIN))
    assert required.status_code == 200 and required.json()["second_factor_required"] is True
    visitor.open("/")
    visitor.post("/sign-out", {})
    enrol = signed_in(visitor, ADDRESS, PASSWORD)
    assert "/sign-in/second-factor" in enrol.url
    app = authenticator(enrol.text)
    assert visitor.post("/sign-in/second-factor", {"code": app.at(clock())}, csrf=False).all(
        "//ul[@id='recovery-codes']"
    )
    assert visitor.open("/account").all("//section[@id='second-factor']")
    url = services.settings.database_url
    assert (
        main(["people", "reset-second-factor", "--email", ADDRESS, "--reason", "phone lost", "--database-url", url])
        == 0
    )
    assert "/sign-in" in visitor.open("/").url  # the reset ended the session
    again = signed_in(visitor, ADDRESS, PASSWORD)
    assert "/sign-in/second-factor" in again.url  # a new one to set up
    assert authenticator(again.text).secret != app.secret
    history = api.get(f"/people/{pid}/history", role=Role.ADMIN).json()["events"]
    assert [(e["type"], e["door"]) for e in history][-3:] == [
        ("SecondFactorRequired", "api"),
        ("SecondFactorEnrolled", "page"),
        ("SecondFactorReset", "cli"),
    ]


def test_the_people_page_invites_in_arabic_and_shows_who_signed_in_last(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    visitor.sign_in(api.keys[Role.ADMIN], "/admin/people")
    page = visitor.open("/admin/people", **{"Accept-Language": "ar"})
    assert page.status == 200 and page.all("//form[@id='invite']")
    form = {"name": NAME, "email": ADDRESS, "role": "coordinator", "language": "ar"}
    answer = visitor.post("/admin/people", form)
    assert answer.status == 200 and answer.all("//div[@id='invited']")
    refused = visitor.post("/admin/people", form)
    assert refused.status == 409 and refused.all("//div[@id='refusal']")
    [row] = answer.all("//table[@id='people']/tbody/tr")
    assert NAME in "".join(row.itertext())
    pid = row.get("id").removeprefix("person-")
    assert visitor.post(f"/admin/people/{pid}/disable", {}).status == 200
    assert api.get("/people", role=Role.ADMIN).json()[0]["standing"] == "disabled"
    assert len(mailbox.to(ADDRESS)) == 1  # one invitation


def test_what_a_person_does_is_shown_with_their_name_and_as_erased_once_they_are(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, world: World
) -> None:
    signed_in_person(api, mailbox, visitor, "coordinator")
    visitor.open(f"/commitments/{world.commitment}")
    said = visitor.post(f"/commitments/{world.commitment}/comments", {"text": "تم إرسال التقرير", "language": "ar"})
    assert said.status == 200
    comment = api.get(f"/commitments/{world.commitment}").json()["comments"][-1]
    assert str(comment.get("actor") or comment.get("by")).startswith("person:")  # the person, not a key
    page = visitor.open(f"/commitments/{world.commitment}")
    assert any(NAME in "".join(a.itertext()) for a in page.all("//div[@class='actor']"))
    assert page.all("//div[@class='actor'][contains(., 'on the pages')]")  # the door it came through
    pid = str(comment.get("actor") or comment.get("by")).removeprefix("person:")
    erased = api.post(f"/people/{pid}/erasure", role=Role.ADMIN)
    assert erased.status_code == 200, erased.text
    assert erased.json()["name"] == "" and erased.json()["standing"] == "disabled"
    assert "/sign-in" in visitor.open("/").url  # their session ended
    assert signed_in(visitor, ADDRESS, PASSWORD).status == 401  # their password is gone
    visitor.sign_in(api.keys[Role.AUDITOR], f"/commitments/{world.commitment}")
    shown = visitor.open(f"/commitments/{world.commitment}")
    assert NAME not in shown.text and "an erased person" in shown.text
    with services.engine.connect() as connection:
        stored = b"".join(n.state for n in services.store.recorder.select_notifications(1, 100_000))
    assert NAME.encode() not in stored and connection is not None


def test_a_key_held_by_a_person_stops_when_their_account_is_disabled_and_a_service_accounts_stays(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    made = invited(api, {"name": NAME, "email": ADDRESS, "role": "coordinator"})
    pid = str(made["person_id"])
    admin = services.keys.authenticate(api.keys[Role.ADMIN])
    assert admin is not None
    with pytest.raises(InvalidValue, match="active"):  # invited, not yet active
        services.keyring.make(admin, "coordinator", "Amina's script", owner=f"person:{pid}")
    choose(visitor, link_in(mailbox.to(ADDRESS)[0]), PASSWORD)
    _, held = services.keyring.make(admin, "coordinator", "Amina's script", owner=f"person:{pid}")
    _, service = services.keyring.make(admin, "auditor", "IATI publisher")
    with pytest.raises(InvalidValue, match="lesser"):  # a coordinator holds no administrator's key
        services.keyring.make(admin, "admin", "Amina's admin script", owner=f"person:{pid}")
    visitor.open("/")
    visitor.post("/sign-out", {})
    visitor.sign_in(api.keys[Role.ADMIN], "/admin/keys")
    keys_page = visitor.open("/admin/keys")
    assert NAME in keys_page.text and keys_page.all("//select[@id='key-owner']/option[@value='person:" + pid + "']")
    for key in (held, service):
        assert api.client.get("/parties", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert api.post(f"/people/{pid}/disable", {}, role=Role.ADMIN).status_code == 200
    assert api.client.get("/parties", headers={"Authorization": f"Bearer {held}"}).status_code == 401  # at once
    assert api.client.get("/parties", headers={"Authorization": f"Bearer {service}"}).status_code == 200


def test_guesses_sent_all_at_once_are_held_as_surely_as_one_by_one_and_an_unknown_address_alike(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    signed_in_person(api, mailbox, visitor)

    def guess(address: str) -> str:
        try:
            return "checked" if services.people.password_step(address, "not the password at all") is None else "in"
        except AccountHeld:
            return "held"

    with ThreadPoolExecutor(max_workers=8) as guessing:
        answers = list(guessing.map(guess, [ADDRESS] * 24))
    assert answers.count("checked") <= 5 and answers.count("in") == 0  # five free attempts, whatever the speed
    unknown = [guess("nobody.at.all@isdb.org") for _ in range(7)]
    assert unknown == ["checked"] * 5 + ["held"] * 2  # an address without an account is answered alike


def test_a_reset_link_changes_nothing_once_the_account_is_disabled_and_a_required_factor_ends_the_session(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    pid = signed_in_person(api, mailbox, visitor, "coordinator")
    required = api.client.put(f"/people/{pid}/second-factor", json={"required": True}, headers=api.headers(Role.ADMIN))
    assert required.status_code == 200
    assert "/sign-in" in visitor.open("/").url  # required: signed in again, they set it up first
    services.people.ask_reset(ADDRESS)
    reset = cast(list[EmailMessage], wait_for(lambda: mailbox.to(ADDRESS)[1:], what="the reset link"))[0]
    assert api.post(f"/people/{pid}/disable", {}, role=Role.ADMIN).status_code == 200
    assert choose(visitor, link_in(reset), "attacker chosen passphrase 9").status == 410  # withdrawn
    assert api.post(f"/people/{pid}/enable", {}, role=Role.ADMIN).status_code == 200
    assert services.people.password_step(ADDRESS, "attacker chosen passphrase 9") is None
    assert services.people.password_step(ADDRESS, PASSWORD) is not None  # the password stayed the person's


def test_the_people_page_shows_a_refusal_instead_of_failing_and_odd_names_are_refused(
    api: Api, services: Services, visitor: Visitor
) -> None:
    visitor.sign_in(api.keys[Role.ADMIN], "/admin/people")
    missing = visitor.post("/admin/people/00000000-0000-0000-0000-000000000000/role", {"role": "auditor"})
    assert missing.status == 404 and missing.all("//div[@id='refusal']")
    invisible = api.post("/people", {"name": "\u200f\u200f", "email": "x@isdb.org", "role": "auditor"}, role=Role.ADMIN)
    assert invisible.status_code == 422 and api.get("/people", role=Role.ADMIN).json() == []


def test_an_erased_persons_id_says_nothing_of_their_address_and_the_address_may_be_invited_again(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    first = str(invited(api, {"name": NAME, "email": ADDRESS, "role": "auditor"})["person_id"])
    assert UUID(first) != person_id(ADDRESS.casefold())  # not derived from the address: a guess confirms nothing
    assert api.post(f"/people/{first}/disable", {}, role=Role.ADMIN).status_code == 200
    assert api.post(f"/people/{first}/erasure", role=Role.ADMIN).status_code == 200
    again = invited(api, {"name": NAME, "email": ADDRESS, "role": "auditor"})
    assert again["person_id"] != first


def second_factor_set_up(visitor: Visitor, clock: FrozenClock) -> Page:
    """The signed-in person sets up a second factor from their account: the page of their recovery codes."""
    app = authenticator(visitor.open("/account/second-factor").text)
    return visitor.post("/account/second-factor", {"code": app.at(clock()), "password": PASSWORD})


def test_setting_up_a_second_factor_from_the_account_page_asks_for_the_password_again(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    signed_in_person(api, mailbox, visitor)
    app = authenticator(visitor.open("/account/second-factor").text)
    without = visitor.post("/account/second-factor", {"code": app.at(clock()), "password": "someone else's guess"})
    assert without.status == 422 and "/account/second-factor" in without.url
    right = visitor.post("/account/second-factor", {"code": app.at(clock()), "password": PASSWORD})
    assert right.all("//ul[@id='recovery-codes']")


def test_a_person_changes_their_password_and_renews_their_recovery_codes_typing_their_password(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    signed_in_person(api, mailbox, visitor)
    first = second_factor_set_up(visitor, clock)
    old_codes = [c.text for c in first.all("//ul[@id='recovery-codes']//code")]
    visitor.open("/account")
    assert visitor.post("/account/recovery-codes", {"password": "not mine at all"}).status == 422
    renewed = visitor.post("/account/recovery-codes", {"password": PASSWORD})
    new_codes = [c.text for c in renewed.all("//ul[@id='recovery-codes']//code")]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    visitor.open("/account")
    new = "كلمة مرور جديدة تماما للحساب 2027"
    wrong = visitor.post("/account/password", {"current": "a guess at it", "password": new, "repeated": new})
    assert wrong.status == 422 and wrong.all("//div[@id='refusal']")
    weak = visitor.post(
        "/account/password", {"current": PASSWORD, "password": "abcabcabcabc", "repeated": "abcabcabcabc"}
    )
    assert weak.status == 422
    changed = visitor.post("/account/password", {"current": PASSWORD, "password": new, "repeated": new})
    assert changed.all("//p[@id='password-changed']")  # still signed in, in a new session
    assert services.people.password_step(ADDRESS, PASSWORD) is None
    passed = services.people.password_step(ADDRESS, new)
    assert passed is not None and passed.step == "code"
    assert services.people.code_step(passed.person_id, old_codes[0]) is None  # the earlier codes stopped
    assert services.people.code_step(passed.person_id, new_codes[0]) is not None


def test_a_hold_never_outgrows_fifteen_minutes_and_an_address_untried_for_a_day_starts_afresh(
    services: Services, clock: FrozenClock
) -> None:
    waits = []
    for _ in range(70):  # a long, slow attack: each attempt made as soon as the hold allows it
        try:
            services.people.password_step("target@isdb.org", "a guess")
        except AccountHeld as held:
            waits.append(held.seconds)
            clock.advance(seconds=held.seconds)
    assert waits and max(waits) == 15 * 60
    clock.advance(days=2)
    for _ in range(5):  # five free attempts again
        assert services.people.password_step("target@isdb.org", "a guess") is None


def exported_rows(answer: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(answer.removeprefix("\ufeff"))))


def test_an_export_names_who_recorded_each_commitment_and_who_changed_it_last_and_an_erased_person_as_such(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, world: World
) -> None:
    pid = signed_in_person(api, mailbox, visitor, "coordinator")
    visitor.open(f"/commitments/{world.commitment}")
    said = visitor.post(f"/commitments/{world.commitment}/comments", {"text": "تم إرسال التقرير", "language": "ar"})
    assert said.status == 200
    [row] = [r for r in exported_rows(api.get("/commitments/export", format="csv").text) if r["id"] == world.commitment]
    assert row["recorded_by"] == "coordinator key" and row["changed_by"] == NAME
    on_the_page = visitor.open("/commitments/export?format=csv")  # the list page's export, in the page's language
    assert any(r["changed_by"] == NAME for r in exported_rows(on_the_page.text))
    view = api.get(f"/commitments/{world.commitment}").json()
    assert view["changed_by"] == f"person:{pid}" and view["recorded_by"].startswith("key_")
    assert api.post(f"/people/{pid}/erasure", role=Role.ADMIN).status_code == 200
    for lang, words in (("en", "an erased person"), ("ar", "شخص مُحيت بياناته")):
        answer = api.get("/commitments/export", format="csv", lang=lang).text
        [row] = [r for r in exported_rows(answer) if r["id"] == world.commitment]
        assert row["changed_by"] == words and NAME not in answer


def test_what_changed_recently_names_whose_account_changed_to_administrators_only(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor
) -> None:
    made = invited(api, {"name": NAME, "email": ADDRESS, "role": "coordinator"})
    visitor.sign_in(api.keys[Role.ADMIN], "/")
    [link] = visitor.open("/").all(f"//ol[@class='timeline']//a[@href='/app/admin/people/{made['person_id']}']")
    assert "".join(link.itertext()) == NAME
    visitor.post("/sign-out", {})
    visitor.sign_in(api.keys[Role.COORDINATOR], "/")
    shown = visitor.open("/", **{"Accept-Language": "ar"})
    assert NAME not in shown.text and "حساب" in "".join(shown.all("//ol[@class='timeline']")[0].itertext())


def test_a_page_showing_codes_or_a_key_once_offers_no_link_that_would_lose_them(
    api: Api, services: Services, mailbox: Mailbox, visitor: Visitor, clock: FrozenClock
) -> None:
    signed_in_person(api, mailbox, visitor)
    account = visitor.open("/account")
    assert account.all("//ul[@class='languages']//a") and not account.all("//p[@id='shown-once']")
    codes = second_factor_set_up(visitor, clock)
    assert codes.all("//ul[@id='recovery-codes']") and codes.all("//p[@id='shown-once']")
    assert not codes.all(
        "//a[contains(@href, '/language/') or contains(@href, '/hijri') or contains(@href, '/digits')]"
    )
    visitor.post("/sign-out", {})
    visitor.sign_in(api.keys[Role.ADMIN], "/admin/keys")
    visitor.open("/admin/keys")
    made = visitor.post("/admin/keys", {"name": "IATI publisher", "role": "auditor"})
    assert made.all("//div[contains(@class, 'secret')]") and made.all("//p[@id='shown-once']")
    assert not made.all("//ul[@class='languages']")
