"""People's accounts (issue 40, its foundation): the first administrator made by the operator, a person
invited by an administrator, a password chosen once through the invitation (at least 12 characters, not among
the commonest leaked ones, not their own name or address), kept as an Argon2id hash beside the log and never in
an event, and a person found by their address and password while their account is active."""

import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pyotp
import pytest
from sqlalchemy import select

from api.bootstrap import Services, build
from api.cli import main, operator
from application.errors import AlreadyExists
from application.participation.focal_points import LinkNoLongerWorks
from domain.access import Role
from domain.errors import InvalidValue
from infrastructure.people.tables import person_credentials
from tests.conftest import Api, settings_for_tests
from tests.fakes import FrozenClock
from tests.pages.test_web_pages import visitor_of
from tests.web import Page, Visitor
from tests.world import World

NAME, ADDRESS, PASSWORD = "هالة المنصوري", "Hala.Mansouri@sesric.org", "ثلاثة جسور فوق النيل 1984"


def stored_states(services: Services) -> bytes:
    return b"".join(n.state for n in services.store.recorder.select_notifications(1, 100_000))


def test_the_first_administrator_chooses_a_password_once_and_signs_in_with_it(services: Services) -> None:
    people = services.people
    invitation = people.create_admin(NAME, ADDRESS, "ar")
    assert people.password_step(ADDRESS, PASSWORD) is None  # invited: no password yet
    for refused, why in (
        ("short pass", "at least 12"),
        ("qwerty123456", "commonest"),
        ("abcabcabcabc", "easy to guess"),  # a repeat
        ("123456789012", "easy to guess"),  # a sequence
        ("hala.mansouri-2026", "your name or your address"),
    ):
        with pytest.raises(InvalidValue, match=why):
            people.choose_password(invitation.token, refused)
    passed = people.choose_password(invitation.token, PASSWORD)
    assert passed.principal.role is Role.ADMIN and passed.principal.id == f"person:{invitation.person_id}"
    assert passed.step == "enrol"  # an administrator sets up a second factor before being signed in
    with pytest.raises(LinkNoLongerWorks):
        people.choose_password(invitation.token, PASSWORD + "!")  # an invitation works once
    found = people.password_step("hala.mansouri@SESRIC.org", PASSWORD)  # an address is one person, whatever its case
    assert found is not None and found.principal.name == NAME
    assert people.password_step(ADDRESS, PASSWORD[:-1]) is None
    assert people.password_step("nobody@sesric.org", PASSWORD) is None
    with services.engine.connect() as connection:
        hashed = connection.execute(select(person_credentials.c.password_hash)).scalar_one()
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    states = stored_states(services)
    assert PASSWORD.encode() not in states and hashed.encode() not in states  # never in an event
    assert NAME.encode() not in states and ADDRESS.lower().encode() not in states  # sealed per person
    with pytest.raises(AlreadyExists):
        people.create_admin("someone", ADDRESS)


def test_an_administrator_invites_a_coordinator_limited_to_a_party_and_an_invitation_expires(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    admin = services.keys.authenticate(api.keys[Role.ADMIN])
    coordinator = services.keys.authenticate(api.keys[Role.COORDINATOR])
    assert admin is not None and coordinator is not None
    sesric = UUID(world.sesric)
    with pytest.raises(Exception, match="administer|admin"):
        services.people.invite(coordinator, "Omar", "omar@sesric.org", "coordinator")
    late = services.people.invite(admin, "Omar Haddad", "omar@sesric.org", "coordinator", [sesric], "fr")
    clock.advance(days=8)
    with pytest.raises(LinkNoLongerWorks, match="expired"):
        services.people.choose_password(late.token, PASSWORD)  # past its seven days
    with pytest.raises(Exception, match="names nothing"):
        services.people.choose_password("not-a-token", PASSWORD)
    assert timedelta(days=7) == services.people.valid_for


@pytest.fixture
def services(database_url: str, clock: FrozenClock) -> Iterator[Services]:
    """As deployed: the sign-in page takes keys only until the first person account exists."""
    with build(settings_for_tests(database_url, key_sign_in="auto"), clock=clock) as built:
        yield built


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def authenticator(page_text: str) -> pyotp.TOTP:
    """An authenticator app set up from the key the page shows."""
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page_text)
    assert secret is not None, "the page shows no key to set up an authenticator with"
    return pyotp.TOTP(secret.group(1))


def choose(visitor: Visitor, path: str, password: str, repeated: str | None = None) -> Page:
    """A person opens a link to choose a password, and sends its form."""
    visitor.open(path)
    token = visitor.client.cookies.get("sign_in") or ""
    fields = {"password": password, "repeated": password if repeated is None else repeated, "form_token": token}
    return visitor.post(path, fields, csrf=False)


def sign_in_form_token(page_text: str) -> str:
    token = re.search(r'name="token" value="([^"]+)"', page_text)
    assert token is not None
    return token.group(1)


def test_the_first_administrator_chooses_a_password_sets_up_a_second_factor_and_is_signed_in_until_disabled(
    services: Services, visitor: Visitor, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    url = services.settings.database_url
    capsys.readouterr()
    made = ["people", "create-admin", "--name", NAME, "--email", ADDRESS, "--language", "ar", "--database-url", url]
    assert main(made) == 0
    [link] = re.findall(r"https?://\S+/app/welcome/\S+", capsys.readouterr().out)
    path = link.split("/app", 1)[1]
    form = visitor.open(path, **{"Accept-Language": "ar"})
    assert form.status == 200 and form.all("//input[@name='password'][@type='password']")
    differ = choose(visitor, path, PASSWORD, PASSWORD + "x")
    assert differ.status == 422 and differ.all("//div[@id='refusal']")
    common = choose(visitor, path, "qwerty123456")
    assert common.status == 422
    enrol = choose(visitor, path, PASSWORD)
    assert enrol.status == 200 and "/sign-in/second-factor" in enrol.url  # an administrator needs a second factor
    assert enrol.all("//figure[@class='qr']/*[local-name()='svg']")  # the QR code, drawn in the page
    assert "/sign-in" in visitor.open("/admin/keys").url  # not signed in before the second factor is set up
    wrong = visitor.post("/sign-in/second-factor", {"code": "000000"}, csrf=False)
    assert wrong.status == 422 and wrong.all("//div[@id='refusal']")
    app = authenticator(wrong.text)
    codes = visitor.post("/sign-in/second-factor", {"code": app.at(clock())}, csrf=False)
    recovery = [c.text for c in codes.all("//ul[@id='recovery-codes']//code")]
    assert codes.status == 200 and len(recovery) == 10  # shown once
    assert visitor.open("/admin/keys").status == 200  # signed in, an administrator
    assert choose(visitor, path, PASSWORD).status == 410  # once
    assert visitor.post("/sign-out", {}).status == 200
    page = visitor.open("/sign-in")
    assert not page.all("//form[@id='with-key']")  # a person account exists: people sign in as themselves
    wrong_password = {"email": ADDRESS, "password": PASSWORD[:-1], "token": sign_in_form_token(page.text)}
    assert visitor.post("/sign-in", wrong_password, csrf=False).status == 401
    right = {"email": ADDRESS.upper(), "password": PASSWORD, "token": sign_in_form_token(visitor.open("/sign-in").text)}
    asked = visitor.post("/sign-in", right, csrf=False)
    assert "/sign-in/code" in asked.url and "/sign-in" in visitor.open("/").url  # the password alone is not enough
    assert visitor.post("/sign-in/code", {"code": "123456"}, csrf=False).status == 401
    assert NAME in visitor.post("/sign-in/code", {"code": recovery[0]}, csrf=False).text  # a recovery code, once
    visitor.open("/")  # (the session's form token)
    assert visitor.post("/sign-out", {}).status == 200
    right["token"] = sign_in_form_token(visitor.open("/sign-in").text)
    visitor.post("/sign-in", right, csrf=False)
    assert visitor.post("/sign-in/code", {"code": recovery[0]}, csrf=False).status == 401  # used already
    clock.advance(seconds=30)
    assert NAME in visitor.post("/sign-in/code", {"code": app.at(clock())}, csrf=False).text
    [person] = services.people.listed(operator())
    assert person.second_factor and person.last_sign_in == clock()
    services.people.disable(operator(), UUID(person.id), "left the organisation")
    assert "/sign-in" in visitor.open("/").url  # the session ended at the next request
