"""Every request needs a key; auditors read everything and write nothing; the key is the actor."""

import pytest

from api.app import create_app
from api.bootstrap import Services
from domain.access import Role
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, Standing
from tests.world import build_world

PATHS = create_app().openapi()["paths"]
OWN_FEEDS = {("DELETE", "/calendars/{feed_id}")}  # closing a key's own feed, for any role (test_calendars)
WRITES = [
    (method.upper(), path)
    for path, operations in PATHS.items()
    for method in operations
    if method != "get" and (method.upper(), path) not in OWN_FEEDS
]
READS = [path for path, operations in PATHS.items() if "security" in operations.get("get", {})]
OPEN = [path for path, operations in PATHS.items() if "get" in operations and path not in READS]


def concrete(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


@pytest.fixture(scope="module")
def ids(standing: Standing) -> dict[str, str]:
    """A record of each kind the paths name, so that every request names one that exists."""
    api, world = standing.api, standing.world
    agreement = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "recommendations",
            "adopted_by": [world.un, world.oic],
            "title": {
                "texts": {"ar": "توصيات بشأن التعاون الإحصائي", "en": "Recommendations on statistical cooperation"},
                "authentic": "ar",
            },
        },
    )
    subscription = api.client.post(
        "/subscriptions", json={"url": "http://127.0.0.1:9/hooks", "kinds": ["all"]}, headers=api.headers(Role.ADMIN)
    ).json()
    api.post(f"/commitments/{world.commitment}/start")
    report = b"%PDF-1.4\n% a progress report\n%%EOF\n"
    sent = api.client.post("/files", files={"file": ("report.pdf", report)}, headers=api.headers()).json()
    evidence = [{"title": "Progress report", "file": {"sha256": sent["sha256"]}}]
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 10, "evidence": evidence})
    document = {"text": "The progress report", "language": "en", "file": {"sha256": sent["sha256"]}}
    api.post(f"/meetings/{world.meeting}/documents", document, role=Role.ADMIN)
    api.post(f"/commitments/{world.commitment}/comments", {"text": "attached", "files": [{"sha256": sent["sha256"]}]})
    api.created(
        "/commitments",
        {
            "text": {"texts": {"en": "Share the statistical yearbook"}},
            "meeting_id": world.meeting,
            "lead_party_id": world.sesric,
            "agreement_id": agreement["id"],
            "status": "agreed",
        },
    )
    delivery = api.get(f"/subscriptions/{subscription['id']}/deliveries", role=Role.ADMIN).json()["items"][0]
    series = "un-oic-general-meeting"  # the world's meeting's series, with a rhythm stated
    assert (
        api.client.put(
            f"/series/{series}/rhythm",
            json={"organiser_party_id": world.oic, "every_months": 24},
            headers=api.headers(),
        ).status_code
        == 200
    )
    recurrence = api.created(
        "/recurrences",
        {
            "text": {
                "texts": {"ar": "تقرير سنوي عن التعاون الإحصائي", "en": "A yearly report on statistical cooperation"},
                "authentic": "ar",
            },
            "meeting_id": world.meeting,
            "lead_party_id": world.sesric,
            "every": "annual",
            "until": "2025-12-31",
        },
    )
    theme = api.created(
        "/themes",
        {
            "code": "sdg-17",
            "names": {
                "texts": {"ar": "عقد الشراكات لتحقيق الأهداف", "en": "Partnerships for the goals"},
                "authentic": "en",
            },
        },
    )
    witness = api.client.post(
        "/witnesses",
        json={
            "name": "OIC archives",
            "url": "http://127.0.0.1:9/",
            "public_key": api.get("/audit/head").json()["public_key"],  # any Ed25519 key
        },
        headers=api.headers(Role.ADMIN),
    ).json()
    person = api.post(
        "/people", {"name": "Omar Haddad", "email": "omar.haddad@sesric.org", "role": "coordinator"}, role=Role.ADMIN
    ).json()
    return {
        "person_id": person["person_id"],
        "witness_id": witness["id"],
        "party_id": world.oic,
        "meeting_id": world.meeting,
        "commitment_id": world.commitment,
        "agreement_id": agreement["id"],
        "subscription_id": subscription["id"],
        "delivery_id": delivery["id"],
        "slug": series,
        "recurrence_id": recurrence["id"],
        "code": theme["code"],
        "number": "1",  # the commitment's first evidence, comment and the meeting's first document: each with a file
        "index": "1",
    }


def test_every_path_names_records_that_exist(standing: Standing, ids: dict[str, str]) -> None:
    api = standing.api
    for path in READS:
        assert "{" not in concrete(path, ids), path
        if "{" in path:
            assert api.get(concrete(path, ids), role=Role.ADMIN).status_code == 200, path


def test_there_are_write_routes_to_check() -> None:
    assert len(WRITES) >= 20


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_an_auditor_cannot_write_anything(
    standing: Standing, ids: dict[str, str], standing_unchanged: None, method: str, path: str
) -> None:
    api = standing.api
    response = api.client.request(method, concrete(path, ids), json={}, headers=api.headers(Role.AUDITOR))
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize("path", READS)
def test_every_read_needs_a_key(standing: Standing, ids: dict[str, str], standing_unchanged: None, path: str) -> None:
    assert_problem(standing.api.client.get(concrete(path, ids)), 401, "unauthenticated")


def test_only_the_service_checks_and_calendar_feeds_answer_without_a_key(api: Api) -> None:
    assert set(OPEN) <= {"/health", "/ready", "/status", "/feeds/{token}.ics"}  # a feed's address is its secret
    for path in OPEN:
        if "{" not in path:
            assert api.client.get(path).status_code in (200, 503)
    assert_problem(api.client.get("/feeds/cal_guessed.ics"), 404, "not-found")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_every_write_needs_a_key(
    standing: Standing, ids: dict[str, str], standing_unchanged: None, method: str, path: str
) -> None:
    response = standing.api.client.request(method, concrete(path, ids), json={})
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_revoked_key_is_refused(api: Api, services: Services) -> None:
    principal, key = services.keys.create(Role.COORDINATOR, "temporary")
    assert api.client.get("/parties", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert services.keys.revoke(principal.id)
    assert_problem(api.client.get("/parties", headers={"Authorization": f"Bearer {key}"}), 401, "unauthenticated")
    assert_problem(api.client.get("/parties", headers={"Authorization": "Bearer cmk_guess"}), 401, "unauthenticated")
    assert_problem(api.client.get("/parties", headers={"Authorization": f"Basic {key}"}), 401, "unauthenticated")


def test_the_key_can_also_be_sent_as_x_api_key(api: Api) -> None:
    assert api.client.get("/parties", headers={"X-API-Key": api.keys[Role.AUDITOR]}).status_code == 200


def test_coordinators_and_admins_write_and_are_recorded_as_the_actor(api: Api, services: Services) -> None:
    world = build_world(api)
    admin = services.keys.authenticate(api.keys[Role.ADMIN])
    coordinator = services.keys.authenticate(api.keys[Role.COORDINATOR])
    assert admin and coordinator
    api.post(f"/commitments/{world.commitment}/start", role=Role.ADMIN)
    history = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    assert [e["actor"] for e in history] == [coordinator.id, admin.id]


def test_keys_are_stored_hashed(api: Api, services: Services) -> None:
    with services.engine.connect() as connection:
        stored = " ".join(str(value) for row in connection.exec_driver_sql("SELECT * FROM api_keys") for value in row)
    for key in api.keys.values():
        assert key not in stored


@pytest.mark.parametrize("role", [Role.COORDINATOR, "scoped"])
def test_the_audit_record_is_for_auditors_and_admins_on_the_api_as_on_the_pages(
    standing: Standing, standing_unchanged: None, role: Role | str
) -> None:
    from tests.web import Visitor

    api, services = standing.api, standing.services
    key = (
        api.keys[Role.COORDINATOR]
        if role == Role.COORDINATOR
        else services.keys.create(Role.COORDINATOR, "scoped key", [standing.world.oic])[1]
    )
    for path in ("/audit/head", "/audit/verify", "/audit/export"):
        assert api.client.get(path, headers={"Authorization": f"Bearer {key}"}).status_code == 403, path
    visitor = Visitor(api.client)
    visitor.sign_in(key)
    for path in ("/audit", "/audit/head.json", "/audit/bundle.zip"):
        assert visitor.open(path).status == 403, path
    for allowed in (Role.AUDITOR, Role.ADMIN):
        assert api.client.get("/audit/export", headers=api.headers(allowed)).status_code == 200
