"""Signing in through one's organisation (issue 40): a real OpenID Connect provider (the certified oidc-provider
package on loopback) signs people in; the deployment's rules let in whom its groups or address allow, with the
rule's role, making the account at the first sign-in; someone no rule admits is refused and nothing is made; an
administrator whose provider used no second factor is asked for this deployment's; a tampered ID token, one made
for another client, or one without this sign-in's nonce is refused."""

import base64
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from api.bootstrap import Services, build
from application.errors import ProviderRefused
from domain.access import Role
from tests.conftest import Api, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.pages.test_web_pages import visitor_of
from tests.people.provider import IdentityProvider
from tests.web import Page, Visitor

pytestmark = pytest.mark.slow  # Node.js's identity provider beside the service

BACK = "http://testserver/app/sign-in/organisation/back"
ACCOUNTS = {
    "amina": {
        "email": "amina.hussaini@isdb.org",
        "name": "أمينة الحسيني",
        "groups": ["coordinators"],
        "amr": ["pwd", "otp"],
    },
    "bob": {"email": "bob@visitors.example.org", "name": "Bob Visitor", "groups": ["guests"], "amr": ["pwd"]},
    "sara": {"email": "sara.k@oic-oci.org", "name": "Sara K.", "groups": ["oic-secretariat"], "amr": ["pwd"]},
}
RULES = "group:oic-secretariat=admin; group:coordinators=coordinator"


@pytest.fixture(scope="module")
def provider() -> Iterator[IdentityProvider]:
    running = IdentityProvider(
        "commitments", "a secret of the deployment", BACK, ACCOUNTS, CLIENT2_ID="another-app", CLIENT2_SECRET="theirs"
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def services(database_url: str, clock: FrozenClock, provider: IdentityProvider) -> Iterator[Services]:
    settings = settings_for_tests(
        database_url,
        public_url="http://testserver",
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
        oidc_scopes="openid email profile groups",
        oidc_rules=RULES,
        oidc_name="OIC Identity",
    )
    with build(settings, clock=clock) as built:
        yield built


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_of(services) as client:
        yield client


def through_organisation(visitor: Visitor, provider: IdentityProvider, account: str) -> Page:
    started = visitor.client.get("/app/sign-in/organisation", follow_redirects=False)
    assert started.status_code == 303, started.text
    back = urlsplit(provider.sign_in_at(started.headers["location"], account))
    answer = visitor.client.get(f"{back.path}?{back.query}")
    return Page(answer.status_code, answer.text, str(answer.url))


def test_a_person_whose_group_a_rule_admits_is_signed_in_with_its_role_and_their_account_made_once(
    services: Services, visitor: Visitor, provider: IdentityProvider, api: Api
) -> None:
    page = visitor.open("/sign-in")
    assert page.all("//p[@id='with-organisation']//a[contains(., 'OIC Identity')]")
    signed_in = through_organisation(visitor, provider, "amina")
    assert signed_in.status == 200 and "أمينة الحسيني" in signed_in.text  # the overview, signed in
    [person] = api.get("/people", role=Role.ADMIN).json()
    assert person["role"] == "coordinator" and person["standing"] == "active" and person["last_sign_in"]
    visitor.open("/")
    visitor.post("/sign-out", {})
    assert "أمينة الحسيني" in through_organisation(visitor, provider, "amina").text  # again: the same account
    assert len(api.get("/people", role=Role.ADMIN).json()) == 1
    history = api.get(f"/people/{person['id']}/history", role=Role.ADMIN).json()["events"]
    assert [e["type"] for e in history] == ["Invited", "JoinedThroughOrganisation"]
    assert history[0]["actor"] == f"organisation:{provider.issuer}"


def test_someone_no_rule_admits_is_refused_and_no_account_is_made(
    services: Services, visitor: Visitor, provider: IdentityProvider, api: Api
) -> None:
    refused = through_organisation(visitor, provider, "bob")
    assert refused.status == 403 and refused.all("//div[@id='organisation-refused']")
    assert "/sign-in" in visitor.open("/").url
    assert api.get("/people", role=Role.ADMIN).json() == []
    denials = api.get("/audit/denials", role=Role.ADMIN).json()["items"]
    assert any("no rule lets in" in d["reason"] for d in denials)


def test_an_administrator_whose_provider_used_no_second_factor_sets_up_this_deployments(
    services: Services, visitor: Visitor, provider: IdentityProvider
) -> None:
    asked = through_organisation(visitor, provider, "sara")  # her provider says: a password only
    assert "/sign-in/second-factor" in asked.url and asked.all("//code[@id='totp-secret']")
    assert "/sign-in" in visitor.open("/admin/people").url  # not signed in before it is set up


def test_a_tampered_token_one_for_another_client_or_without_this_sign_ins_nonce_is_refused(
    services: Services, visitor: Visitor, provider: IdentityProvider
) -> None:
    organisation = services.organisation
    assert organisation is not None
    genuine = provider.id_token("amina", "nonce-1")
    assert organisation.provider.claims_of(genuine, "nonce-1")["email"] == "amina.hussaini@isdb.org"
    head, body, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["groups"] = ["oic-secretariat"]  # made an administrator by hand
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(ProviderRefused):
        organisation.provider.claims_of(f"{head}.{forged}.{signature}", "nonce-1")
    with pytest.raises(ProviderRefused):
        organisation.provider.claims_of(f"{head}.{body}.", "nonce-1")  # no signature
    with pytest.raises(ProviderRefused, match="aud"):
        organisation.provider.claims_of(provider.id_token("amina", "nonce-2", "another-app", "theirs"), "nonce-2")
    with pytest.raises(ProviderRefused, match="nonce"):
        organisation.provider.claims_of(genuine, "another sign-in's nonce")
    forged_state = visitor.client.get("/app/sign-in/organisation/back?code=x&state=not-this-one")
    assert forged_state.status_code == 401  # a provider's answer to a sign-in not started here
