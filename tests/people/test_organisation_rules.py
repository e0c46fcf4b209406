"""Who a deployment lets in through their organisation (``domain.people.organisation``): rules tried in order,
the first that matches deciding the role; groups as written or as a provider's path; an address's domain in any
case; an address the provider does not say is verified refused unless the deployment trusts its provider's."""

import pytest

from domain.access import Role
from domain.errors import InvalidValue
from domain.people.organisation import OrganisationPerson, claim_rules

SESRIC = "1a139b50-fdd6-5280-9a0c-c2ae8c0c4a11"


def person(groups: list[str], address: str = "amina@isdb.org", amr: list[str] | None = None) -> OrganisationPerson:
    claims = {"sub": "a1", "email": address, "email_verified": True, "name": "أمينة", "groups": groups, "amr": amr}
    return OrganisationPerson.of(claims)


def test_the_first_rule_that_matches_decides_the_role_and_a_coordinators_parties() -> None:
    rules = claim_rules(
        f"group:oic-secretariat=admin; group:sesric-staff=coordinator@{SESRIC}; domain:ISDB.org=auditor"
    )
    admitted = person(["sesric-staff", "oic-secretariat"]).admitted(rules)
    assert admitted is not None and admitted.role is Role.ADMIN  # the first rule, though both match
    scoped = person(["sesric-staff"], "x@other.org").admitted(rules)
    assert scoped is not None and scoped.role is Role.COORDINATOR and [str(p) for p in scoped.parties] == [SESRIC]
    by_domain = person([], "Amina@IsDB.Org").admitted(rules)
    assert by_domain is not None and by_domain.role is Role.AUDITOR
    assert person(["guests"], "bob@visitors.org").admitted(rules) is None  # refused
    assert person(["/oic-secretariat"]).admitted(rules) is not None  # a provider's group path


@pytest.mark.parametrize(
    "written",
    [
        "group:staff",
        "team:staff=admin",
        "group:staff=boss",
        f"group:staff=auditor@{SESRIC}",
        "group:staff=coordinator@x",
    ],
)
def test_a_rule_that_cannot_be_read_is_refused_with_its_words(written: str) -> None:
    with pytest.raises(InvalidValue):
        claim_rules(written)


def test_the_providers_second_factor_counts_when_its_amr_names_one() -> None:
    assert person([], amr=["pwd", "otp"]).used_second_factor
    assert person([], amr=["mfa"]).used_second_factor
    assert not person([], amr=["pwd"]).used_second_factor
    assert not person([]).used_second_factor


def test_an_address_not_said_to_be_verified_is_refused_unless_the_provider_is_trusted_for_it() -> None:
    claims = {"sub": "a1", "email": "amina@isdb.org", "name": "Amina"}
    with pytest.raises(InvalidValue, match="verified"):
        OrganisationPerson.of(claims)
    assert OrganisationPerson.of(claims, verified_only=False).address == "amina@isdb.org"
