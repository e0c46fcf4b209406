"""Witnesses hold the head: two witnesses run as real services on loopback (``commitments witness serve``), keep
the heads this deployment sends them and answer with receipts signed by their own keys. A history rewritten and
signed again with the deployment's own key verifies on its own, but not against the receipts, and the witnesses
refuse its head."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from api.bootstrap import Services
from api.cli import main
from domain.access import Role
from infrastructure.audit.tables import audit_chain
from tests.conftest import Api
from tests.history.test_audit_chain import tamper
from tests.pages.test_web_pages import visitor_of
from tests.server import ROOT, free_port, wait_for
from tests.web import Visitor
from tests.world import build_world

pytestmark = pytest.mark.slow  # two witness services
WITNESS = [sys.executable, "-m", "api.cli", "witness", "serve"]


class WitnessService:
    def __init__(self, database: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "witness",
                "serve",
                "--port",
                str(self.port),
                "--witness-database",
                database,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, what=f"the witness on port {self.port}")

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def two_witnesses(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[list[tuple[str, str]]]:
    """Two witnesses that registered this deployment's key: their addresses and receipt keys."""
    deployment_key = services.audit.head()["public_key"]
    started, found = [], []
    try:
        for number in (1, 2):
            database = f"sqlite:///{tmp_path}/witness-{number}.db"
            assert (
                main(
                    [
                        "witness",
                        "register",
                        "--public-key",
                        deployment_key,
                        "--name",
                        "UN–OIC tracker",
                        "--witness-database",
                        database,
                    ]
                )
                == 0
            )
            assert main(["witness", "public-key", "--json", "--witness-database", database]) == 0
            capsys.readouterr()
            service = WitnessService(database)
            started.append(service)
            found.append((service.url, httpx.get(f"{service.url}/public-key").json()["public_key"]))
        yield found
    finally:
        for service in started:
            service.stop()


def test_a_history_rewritten_and_signed_again_is_caught_by_the_witnesses_receipts(
    api: Api,
    services: Services,
    database_url: str,
    two_witnesses: list[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = build_world(api)
    for number, (url, key) in enumerate(two_witnesses, 1):
        added = api.post("/witnesses", {"name": f"witness {number}", "url": url, "public_key": key}, role=Role.ADMIN)
        assert added.status_code == 200, added.text
    sent = api.post("/witnesses/send", {}, role=Role.ADMIN).json()
    assert [outcome["outcome"] for outcome in sent] == ["witnessed", "witnessed"], sent
    head = api.get("/audit/head").json()
    assert len(head["receipts"]) == 2 and {r["position"] for r in head["receipts"]} == {head["position"]}
    assert main(["audit", "verify", "--receipts", "--database-url", database_url]) == 0
    capsys.readouterr()

    # Someone with the database rewrites a commitment's recorded event and recomputes every link after it.
    tamper(services, world.commitment, 1, lambda state: state.replace(b"joint activities", b"joint festivities"))
    links = services.audit.recomputed(set(range(1, head["position"] + 1)))
    with services.engine.begin() as connection:
        for position, link in links.items():
            connection.execute(update(audit_chain).where(audit_chain.c.position == position).values(link=link))
    assert api.get("/audit/verify").json()["intact"]  # on its own, the rewrite holds
    assert main(["audit", "verify", "--receipts", "--json", "--database-url", database_url]) == 1
    said = json.loads(capsys.readouterr().out)
    assert said["intact"] is False and len(said["receipts"]["broken"]) == 2
    refused = api.post("/witnesses/send", {}, role=Role.ADMIN).json()
    assert [(o["outcome"], o.get("status")) for o in refused] == [("refused", 409), ("refused", 409)]


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def test_an_admin_keeps_the_witnesses_on_their_page_in_arabic_and_sees_a_rewrite_caught(
    api: Api, services: Services, visitor: Visitor, two_witnesses: list[tuple[str, str]]
) -> None:
    world = build_world(api)
    visitor.sign_in(api.keys[Role.ADMIN])
    arabic = {"Accept-Language": "ar"}
    page = visitor.open("/admin/witnesses", **arabic)
    assert page.status == 200 and "لا شاهد" in page.words()
    assert page.all("//code[@id='public-key']")[0].text == services.audit.head()["public_key"]
    (url, key), (other_url, _) = two_witnesses
    refused = visitor.post("/admin/witnesses", {"name": "أرشيف المنظمة", "url": other_url, "public_key": "x"})
    assert refused.status == 422 and refused.all("//div[@id='refusal']")
    assert refused.all("//input[@id='witness-url']")[0].get("value") == other_url  # the form keeps what was typed
    assert visitor.post("/admin/witnesses", {"name": "أرشيف المنظمة", "url": url, "public_key": key}).status == 200
    sent = visitor.post("/admin/witnesses/send", {})
    assert "witnessed" in sent.all("//div[@id='sent']")[0].text_content()
    listed = visitor.open("/admin/witnesses", **arabic)
    assert "أرشيف المنظمة" in listed.words() and "لا إيصال بعد" not in listed.words()
    held = visitor.open("/admin/witnesses?check=true", **arabic).all("//div[@id='checked']")[0]
    assert "refusal" not in held.get("class")

    tamper(services, world.commitment, 1, lambda state: state.replace(b"joint activities", b"joint festivities"))
    position = services.audit.head()["position"]
    with services.engine.begin() as connection:
        for at, link in services.audit.recomputed(set(range(1, position + 1))).items():
            connection.execute(update(audit_chain).where(audit_chain.c.position == at).values(link=link))
    caught = visitor.open("/admin/witnesses?check=true", **arabic).all("//div[@id='checked']")[0]
    assert "refusal" in caught.get("class") and len(caught.xpath(".//li")) == 1

    removed = visitor.post(f"/admin/witnesses/{api.get('/witnesses').json()[0]['id']}/remove", {})
    assert removed.status == 200 and api.get("/witnesses").json() == []
    visitor.sign_in(api.keys[Role.AUDITOR])
    assert visitor.open("/admin/witnesses").status == 403


def test_a_witness_refuses_a_head_of_a_deployment_not_registered_with_it(
    api: Api, two_witnesses: list[tuple[str, str]]
) -> None:
    url, _ = two_witnesses[0]
    head = api.get("/audit/head").json()
    forged = {**head, "public_key": "A" * 43 + "="}
    assert httpx.post(f"{url}/heads", json=forged).status_code == 422  # not signed by that key
    assert httpx.post(f"{url}/heads", content=b"[1, 2]").status_code == 422
    assert httpx.post(f"{url}/heads", content=b"x" * 300_000).status_code == 413


def test_an_admin_adds_and_removes_a_witness_and_an_auditor_only_reads_them(api: Api, services: Services) -> None:
    key = services.audit.head()["public_key"]  # any Ed25519 key signs receipts as well as heads
    body = {"name": "OIC archives", "url": "http://127.0.0.1:9/", "public_key": key}
    assert api.post("/witnesses", body).status_code == 403  # a coordinator
    assert api.post("/witnesses", {**body, "url": "ftp://example.org"}, role=Role.ADMIN).status_code == 422
    assert api.post("/witnesses", {**body, "name": "OIC\x00"}, role=Role.ADMIN).status_code == 422  # was a 500
    added = api.post("/witnesses", body, role=Role.ADMIN).json()
    assert [w["name"] for w in api.get("/witnesses").json()] == ["OIC archives"]
    [unreachable] = api.post("/witnesses/send", {}, role=Role.ADMIN).json()
    assert unreachable["outcome"] == "unreachable"
    headers = api.headers(Role.ADMIN)
    assert api.client.delete(f"/witnesses/{added['id']}", headers=headers).status_code == 204
    assert api.client.delete(f"/witnesses/{added['id']}", headers=headers).status_code == 404
