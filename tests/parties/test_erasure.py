"""A contact's name and address are personal data: the events hold them sealed with a key of that person's,
kept outside the event log. Erasing the contact deletes the key: its name and address can no longer be read in
any view, history, bundle or restored backup, its digests stop, and the audit chain still verifies. A contact
recorded before values were sealed (a database of an earlier release) is hidden once erased, and a bundle
leaves its event's state out."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from api.bootstrap import Services, build
from api.cli import main
from domain.access import Role
from infrastructure.audit import export as audit_export
from infrastructure.persistence.scratch import scratch_database
from infrastructure.personal.tables import personal_keys
from infrastructure.read_model.tables import party_contacts
from tests.conftest import Api, api_of, settings_for_tests
from tests.fakes import FrozenClock
from tests.history.test_audit_chain import run_verifier
from tests.history.test_backup import PASSPHRASE, public_key
from tests.pages.test_web_pages import visitor_of
from tests.storage.test_migrations import KEPT, MADE_AT, before_migrations
from tests.web import Visitor
from tests.world import World

__all__ = ["before_migrations"]  # a fixture
NAME, ADDRESS = "أمينة الحسيني", "amina.hosseini@sesric.org"


def stored_states(services: Services) -> bytes:
    """Every event's stored state, as the database holds it."""
    return b"".join(n.state for n in services.store.recorder.select_notifications(1, 100_000))


def added(api: Api, world: World) -> str:
    contact = {"name": NAME, "address": ADDRESS, "language": "ar", "frequency": "daily"}
    party = api.post(f"/parties/{world.sesric}/contacts", contact).json()
    [kept] = [c for c in party["contacts"] if c["address"] == ADDRESS]
    return str(kept["id"])


def test_a_contact_is_stored_sealed_and_once_erased_is_read_nowhere_while_the_chain_verifies(
    api: Api, world: World, services: Services, tmp_path: Path
) -> None:
    contact = added(api, world)
    assert NAME.encode() not in stored_states(services) and ADDRESS.encode() not in stored_states(services)
    assert [c["name"] for c in api.get(f"/parties/{world.sesric}").json()["contacts"]] == [NAME]  # read back

    with services.engine.connect() as connection:
        key = connection.execute(select(personal_keys.c.key).where(personal_keys.c.person_id == contact)).scalar_one()
    path = f"/parties/{world.sesric}/contacts/{contact}/erasure"
    assert api.post(path, {}).status_code == 403  # a coordinator: erasing is an administrator's act
    erased = api.post(path, {}, role=Role.ADMIN)
    assert erased.status_code == 200, erased.text
    assert erased.json()["contacts"] == []
    events = api.get(f"/parties/{world.sesric}/history").json()["events"]
    [kept] = [e for e in events if e["type"] == "ContactKept"]
    assert kept["payload"]["contact"]["erased"] and kept["payload"]["contact"]["name"] == ""
    assert [e["type"] for e in events][-1] == "ContactErased"
    assert NAME not in json.dumps(events, ensure_ascii=False)
    with services.engine.connect() as connection:
        assert connection.execute(select(personal_keys).where(personal_keys.c.person_id == contact)).first() is None
        told = connection.execute(select(party_contacts).where(party_contacts.c.contact_id == contact)).first()
        assert told is None  # the digests are sent to the contacts the read model lists: it stopped
    assert api.get("/audit/verify", role=Role.AUDITOR).json()["intact"]
    database = services.engine.url.database
    if services.engine.dialect.name == "sqlite" and database:  # the file and its write-ahead log, as on the disk
        on_disk = b"".join(Path(f).read_bytes() for f in (database, database + "-wal") if Path(f).exists())
        assert bytes(key) not in on_disk and ADDRESS.encode() not in on_disk and NAME.encode() not in on_disk
    bundle = tmp_path / "bundle"
    audit_export.write_directory(services.audit, bundle, erased=services.personal_keys.erased())
    assert NAME not in (bundle / "events.jsonl").read_text(encoding="utf-8")
    assert run_verifier(bundle).returncode == 0
    again = {"name": "someone else", "address": ADDRESS, "language": "en"}
    assert api.post(f"/parties/{world.sesric}/contacts", again).status_code == 422  # erased stays erased
    assert api.post(path, {}, role=Role.ADMIN).status_code == 422


def test_a_contact_recorded_in_clear_before_sealing_is_hidden_once_erased_and_left_out_of_the_bundle(
    before_migrations: str, tmp_path: Path
) -> None:
    oic = KEPT["party_ids"]["OIC"]
    with build(settings_for_tests(before_migrations), clock=FrozenClock(MADE_AT)) as services, api_of(services) as api:
        [listed] = api.get(f"/parties/{oic}").json()["contacts"]
        clear, contact = listed["name"].encode(), listed["id"]
        assert clear in stored_states(services)  # written before values were sealed
        assert api.post(f"/parties/{oic}/contacts/{contact}/erasure", {}, role=Role.ADMIN).status_code == 200
        history = json.dumps(api.get(f"/parties/{oic}/history").json(), ensure_ascii=False)
        assert clear.decode() not in history and api.get(f"/parties/{oic}").json()["contacts"] == []
        assert services.audit.verify().intact
        bundle = tmp_path / "bundle"
        audit_export.write_directory(services.audit, bundle, erased=services.personal_keys.erased())
        lines = (bundle / "events.jsonl").read_text(encoding="utf-8")
        assert clear.decode() not in lines and base64.b64encode(clear).decode() not in lines
        verified = run_verifier(bundle)
        assert verified.returncode == 0 and "1 event(s) left out" in verified.stdout, verified.stdout


def test_a_backup_taken_before_an_erasure_restores_with_the_person_erased_again(
    empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
    with (
        scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as source,
        scratch_database("postgresql", "test", copy_of=empty_schema["postgresql"]) as target,
    ):
        with build(settings_for_tests(source)) as services, api_of(services) as api:
            from tests.world import build_world

            world = build_world(api)
            contact = added(api, world)
            trusted = public_key(source, tmp_path / "source.pub", capsys)
            assert main(["backup", "--database-url", source, "--output", str(tmp_path / "before.backup")]) == 0
            assert (
                api.post(f"/parties/{world.sesric}/contacts/{contact}/erasure", {}, role=Role.ADMIN).status_code == 200
            )
        restoring = [
            "restore",
            "--database-url",
            target,
            "--input",
            str(tmp_path / "before.backup"),
            "--trust-key",
            str(trusted),
            "--reapply-erasures-from",
            source,
            "--json",
        ]
        capsys.readouterr()
        assert main(restoring) == 0
        assert json.loads(capsys.readouterr().out)["erasures"] == 1
        with build(settings_for_tests(target)) as restored, api_of(restored) as restored_api:
            assert restored_api.get(f"/parties/{world.sesric}").json()["contacts"] == []
            assert NAME not in json.dumps(
                restored_api.get(f"/parties/{world.sesric}/history").json(), ensure_ascii=False
            )
            assert restored_api.get("/audit/verify").json()["intact"]


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def test_an_admin_erases_a_contact_from_the_arabic_party_page_and_a_coordinator_is_not_offered_it(
    api: Api, world: World, visitor: Visitor
) -> None:
    contact = added(api, world)
    visitor.sign_in(api.keys[Role.COORDINATOR])
    assert not visitor.open(f"/parties/{world.sesric}").all("//form[contains(@action, '/erasure')]")
    assert visitor.post(f"/parties/{world.sesric}/contacts/{contact}/erasure", {}).status == 403
    visitor.sign_in(api.keys[Role.ADMIN])
    page = visitor.open(f"/parties/{world.sesric}", **{"Accept-Language": "ar"})
    [form] = page.all("//form[contains(@action, '/erasure')]")
    assert "لا يمكن" in form.text_content()  # it says it cannot be undone, in Arabic
    done = visitor.post(f"/parties/{world.sesric}/contacts/{contact}/erasure", {})
    assert done.status == 200 and NAME not in done.text and ADDRESS not in done.text
