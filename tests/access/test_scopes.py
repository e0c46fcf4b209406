"""Keys limited to parties change only their commitments; every refusal is logged for auditors."""

import pytest

from api.bootstrap import Services
from domain.access import Role
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.records import commitment, meeting, party
from tests.world import World


@pytest.fixture
def sesric_key(services: Services, world: World) -> dict[str, str]:
    _, key = services.keys.create(Role.COORDINATOR, "SESRIC desk", [world.sesric])
    return {"Authorization": f"Bearer {key}"}


def test_a_scoped_key_changes_the_commitments_its_party_leads_or_supports(
    api: Api, world: World, sesric_key: dict[str, str]
) -> None:
    assert api.client.post(f"/commitments/{world.commitment}/start", headers=sesric_key).status_code == 200
    supported = api.created("/commitments", commitment(world.meeting, world.oic, supporting_party_ids=[world.sesric]))
    assert api.client.post(f"/commitments/{supported['id']}/start", headers=sesric_key).status_code == 200
    own = api.client.post("/commitments", json=commitment(world.meeting, world.sesric), headers=sesric_key)
    assert own.status_code == 201


def test_a_scoped_key_gets_403_elsewhere(
    api: Api, services: Services, world: World, sesric_key: dict[str, str]
) -> None:
    others = api.created("/commitments", commitment(world.meeting, world.oic))
    before = services.store.recorder.max_notification_id()
    for method, path, body in [
        ("POST", f"/commitments/{others['id']}/start", None),
        ("POST", "/commitments", commitment(world.meeting, world.oic)),
        ("POST", "/parties", party("NEW")),
        ("POST", "/meetings", meeting([world.un])),
        ("POST", f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18"}),
    ]:
        assert_problem(api.client.request(method, path, json=body, headers=sesric_key), 403, "forbidden")
    assert services.store.recorder.max_notification_id() == before
    assert api.client.get(f"/commitments/{others['id']}", headers=sesric_key).status_code == 200  # reads all


def test_every_denied_request_is_logged_for_auditors(api: Api, services: Services, world: World) -> None:
    auditor = services.keys.authenticate(api.keys[Role.AUDITOR])
    assert auditor is not None
    api.post(f"/commitments/{world.commitment}/start", role=Role.AUDITOR)
    api.client.get("/commitments")  # no key at all
    api.client.get("/commitments", headers={"Authorization": "Bearer cmk_stolen"})
    denials = api.get("/audit/denials", role=Role.AUDITOR).json()["items"]
    assert [(d["status"], d["principal"], d["method"]) for d in denials[:3]] == [
        (401, None, "GET"),
        (401, None, "GET"),
        (403, auditor.id, "POST"),
    ]
    assert denials[2]["path"] == f"/commitments/{world.commitment}/start"
    assert "read but not change" in denials[2]["reason"]
    assert_problem(api.get("/audit/denials", role=Role.COORDINATOR), 403, "forbidden")
