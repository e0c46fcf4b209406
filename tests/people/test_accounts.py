"""People's accounts (issue 40, its foundation): the first administrator made by the operator, a person
invited by an administrator, a password chosen once through the invitation (at least 12 characters, not among
the commonest leaked ones, not their own name or address), kept as an Argon2id hash beside the log and never in
an event, and a person found by their address and password while their account is active."""

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from api.bootstrap import Services
from application.errors import AlreadyExists
from application.participation.focal_points import LinkNoLongerWorks
from domain.access import Role
from domain.errors import InvalidValue
from infrastructure.people.tables import person_credentials
from tests.conftest import Api
from tests.fakes import FrozenClock
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
