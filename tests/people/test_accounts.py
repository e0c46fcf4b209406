"""People's accounts (issue 40, its foundation): the first administrator made by the operator, a person
invited by an administrator, a password chosen once through the invitation (at least 12 characters, not among
the commonest leaked ones, not their own name or address), kept as an Argon2id hash beside the log and never in
an event, and a person found by their address and password while their account is active."""

import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from api.bootstrap import Services
from api.cli import main, operator
from application.errors import AlreadyExists
from application.participation.focal_points import LinkNoLongerWorks
from domain.access import Role
from domain.errors import InvalidValue
from infrastructure.people.tables import person_credentials
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.pages.test_web_pages import visitor_of
from tests.web import Visitor
from tests.world import World

NAME, ADDRESS, PASSWORD = "هالة المنصوري", "Hala.Mansouri@sesric.org", "ثلاثة جسور فوق النيل 1984"


def stored_states(services: Services) -> bytes:
    return b"".join(n.state for n in services.store.recorder.select_notifications(1, 100_000))


def test_the_first_administrator_chooses_a_password_once_and_signs_in_with_it(services: Services) -> None:
    people = services.people
    invitation = people.create_admin(NAME, ADDRESS, "ar")
    assert people.signed_in(ADDRESS, PASSWORD) is None  # invited: no password yet
    for refused, why in (
        ("short pass", "at least 12"),
        ("qwerty123456", "commonest"),
        ("hala.mansouri-2026", "your name or your address"),
    ):
        with pytest.raises(InvalidValue, match=why):
            people.choose_password(invitation.token, refused)
    principal = people.choose_password(invitation.token, PASSWORD)
    assert principal.role is Role.ADMIN and principal.id == f"person:{invitation.person_id}"
    with pytest.raises(LinkNoLongerWorks):
        people.choose_password(invitation.token, PASSWORD + "!")  # an invitation works once
    found = people.signed_in("hala.mansouri@SESRIC.org", PASSWORD)  # an address is one person, whatever its case
    assert found is not None and found.name == NAME
    assert people.signed_in(ADDRESS, PASSWORD[:-1]) is None
    assert people.signed_in("nobody@sesric.org", PASSWORD) is None
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
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def test_the_operator_invites_the_first_administrator_who_chooses_a_password_and_is_signed_in_until_disabled(
    services: Services, visitor: Visitor, capsys: pytest.CaptureFixture[str]
) -> None:
    url = services.settings.database_url
    capsys.readouterr()
    made = ["people", "create-admin", "--name", NAME, "--email", ADDRESS, "--language", "ar", "--database-url", url]
    assert main(made) == 0
    [link] = re.findall(r"https?://\S+/app/welcome/\S+", capsys.readouterr().out)
    path = link.split("/app", 1)[1]
    form = visitor.open(path, **{"Accept-Language": "ar"})
    assert form.status == 200 and form.all("//input[@name='password'][@type='password']")
    differ = visitor.post(path, {"password": PASSWORD, "repeated": PASSWORD + "x"}, csrf=False)
    assert differ.status == 422 and differ.all("//div[@id='refusal']")
    common = visitor.post(path, {"password": "qwerty123456", "repeated": "qwerty123456"}, csrf=False)
    assert common.status == 422
    signed_in = visitor.post(path, {"password": PASSWORD, "repeated": PASSWORD}, csrf=False)
    assert signed_in.status == 200 and NAME in signed_in.text  # the overview, signed in as the person
    assert visitor.open("/admin/keys").status == 200  # an administrator
    assert visitor.post(path, {"password": PASSWORD, "repeated": PASSWORD}, csrf=False).status == 410  # once
    assert visitor.post("/sign-out", {}).status == 200
    token = re.search(r'name="token" value="([^"]+)"', visitor.open("/sign-in").text)
    assert token is not None
    wrong = visitor.post("/sign-in", {"email": ADDRESS, "password": PASSWORD[:-1], "token": token.group(1)}, csrf=False)
    assert wrong.status == 401
    token = re.search(r'name="token" value="([^"]+)"', wrong.text)  # the form again, with a token of its own
    assert token is not None
    right = {"email": ADDRESS.upper(), "password": PASSWORD, "token": token.group(1)}
    assert NAME in visitor.post("/sign-in", right, csrf=False).text  # signed in again, with the password
    person = services.people.signed_in(ADDRESS, PASSWORD)
    assert person is not None
    services.people.disable(operator(), UUID(person.id.removeprefix("person:")), "left the organisation")
    assert "/sign-in" in visitor.open("/").url  # the session ended at the next request
