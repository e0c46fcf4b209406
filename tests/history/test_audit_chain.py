"""Auditors can prove the record was not altered: tampering in the database is found, online and offline."""

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from sqlalchemy import text

from api.bootstrap import Services
from domain.access import Role
from domain.audit import GENESIS, chain_link
from infrastructure.audit import export as audit_export
from infrastructure.audit.head_signing import check_signature
from tests.conftest import Api
from tests.receiver import Receiver
from tests.server import wait_for
from tests.world import build_world


def stored_event(services: Services, aggregate_id: str, version: int) -> tuple[int, bytes]:
    """The notification id and stored state of one event."""
    for notification in services.store.recorder.select_notifications(1, 10_000):
        if str(notification.originator_id) == aggregate_id and notification.originator_version == version:
            return notification.id, notification.state
    raise AssertionError("no such event")


def events_table(services: Services) -> str:
    """The table of the stored events (the concrete recorders name it; their interface does not)."""
    recorder = services.store.recorder
    assert isinstance(recorder, SQLiteApplicationRecorder | PostgresApplicationRecorder)
    return recorder.events_table_name


def where_event(services: Services, aggregate_id: str) -> tuple[str, str]:
    """The SQL condition on the aggregate's id, and the id as the engine stores it."""
    if services.engine.dialect.name == "postgresql":
        return "originator_id = CAST(:id AS uuid)", aggregate_id
    return "originator_id = :id", UUID(aggregate_id).hex


def tamper(services: Services, aggregate_id: str, version: int, change: Any) -> int:
    """Rewrite a stored event's state behind the service's back, as someone with database access could."""
    position, state = stored_event(services, aggregate_id, version)
    table = events_table(services)
    condition, stored_id = where_event(services, aggregate_id)
    with services.engine.begin() as connection:
        changed = connection.execute(
            text(f"UPDATE {table} SET state = :state WHERE {condition} AND originator_version = :v"),
            {"state": change(state), "id": stored_id, "v": version},
        ).rowcount
    assert changed == 1
    return position


def test_a_link_is_the_hash_of_the_documented_json_array() -> None:
    """The offline verifier recomputes links with json.dumps; the service writes the same bytes faster."""
    for previous, position, originator, version, topic, state in [
        (GENESIS, 1, "6f1c0d3e-0000-4000-8000-000000000001", 1, "domain.party:Party.Registered", b'{"a":1}'),
        ("ab" * 32, 2**40, 'x"y\\z', 12, "domain.commitment:Commitment.Noted\u00e9\u062a", "تنفيذ".encode()),
    ]:
        material = [previous, position, originator, version, topic, base64.b64encode(state).decode("ascii")]
        expected = hashlib.sha256(json.dumps(material, separators=(",", ":")).encode("utf-8")).hexdigest()
        assert chain_link(previous, position, originator, version, topic, state) == expected


def test_an_untouched_record_verifies(api: Api, services: Services) -> None:
    build_world(api)
    result = api.get("/audit/verify").json()
    assert result["intact"] is True
    assert result["checked"] == services.store.recorder.max_notification_id()
    assert result["first_broken_position"] is None


def test_an_event_altered_in_the_database_is_found(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    position = tamper(services, world.commitment, 1, lambda state: state.replace("تنفيذ".encode(), "إلغاء".encode()))
    result = api.get("/audit/verify").json()
    assert result["intact"] is False
    assert result["first_broken_position"] == position
    assert "differs" in result["problem"]


def test_an_event_deleted_from_the_database_is_found(api: Api, services: Services) -> None:
    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    position, _ = stored_event(services, world.commitment, 2)
    condition, stored_id = where_event(services, world.commitment)
    with services.engine.begin() as connection:
        deleted = connection.execute(
            text(f"DELETE FROM {events_table(services)} WHERE {condition} AND originator_version = 2"),
            {"id": stored_id},
        ).rowcount
    assert deleted == 1
    result = services.audit.verify()
    assert not result.intact
    assert result.first_broken == position


def test_a_saved_head_proves_the_history_up_to_it(api: Api, services: Services) -> None:
    world = build_world(api)
    saved = api.get("/audit/head").json()
    assert check_signature(saved["public_key"], saved["signature"], saved["position"], saved["link"])
    api.post(f"/commitments/{world.commitment}/start")  # history goes on after the head was saved
    check = api.get("/audit/verify", position=saved["position"], link=saved["link"]).json()
    assert check["intact"] and check["saved_head_matches"]
    tamper(services, world.oic, 1, lambda state: state.replace(b"OIC", b"XYZ"))
    check = api.get("/audit/verify", position=saved["position"], link=saved["link"]).json()
    assert check["intact"] is False


def test_a_forged_head_signature_is_refused(api: Api) -> None:
    build_world(api)
    head = api.get("/audit/head").json()
    assert not check_signature(head["public_key"], head["signature"], head["position"], "0" * 64)


def rewritten(bundle: Path, lines: list[str]) -> Path:
    """The bundle with its events.jsonl replaced by these lines, as someone editing it by hand would."""
    (bundle / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bundle


def run_verifier(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I: isolated mode, nothing from the project or its environment is importable beyond the standard library
    return subprocess.run(
        [sys.executable, "-I", str(bundle / "verify.py"), str(bundle), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_exported_bundle_verifies_offline_with_the_standard_library(
    api: Api, services: Services, tmp_path: Path
) -> None:
    world = build_world(api)
    saved = api.get("/audit/head").json()
    (tmp_path / "saved-head.json").write_text(json.dumps(saved))
    api.post(f"/commitments/{world.commitment}/start")
    bundle = tmp_path / "bundle"
    head = audit_export.write_directory(services.audit, bundle)
    lines = (bundle / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == head["position"] == services.store.recorder.max_notification_id()
    assert json.loads(lines[0])["event"]["type"] == "Registered"
    intact = run_verifier(bundle, "--head", str(tmp_path / "saved-head.json"))
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "INTACT" in intact.stdout and "your saved head matches" in intact.stdout

    edited = json.loads(lines[3])
    edited["originator_version"] += 1
    lines[3] = json.dumps(edited)
    broken = run_verifier(rewritten(bundle, lines))
    assert broken.returncode == 1
    assert f"position {edited['position']}" in broken.stdout


def test_a_bundle_exported_after_tampering_does_not_verify(api: Api, services: Services, tmp_path: Path) -> None:
    world = build_world(api)
    tamper(services, world.commitment, 1, lambda state: state.replace("تنفيذ".encode(), "إلغاء".encode()))
    audit_export.write_directory(services.audit, tmp_path)
    assert run_verifier(tmp_path).returncode == 1


def test_the_export_endpoint_gives_a_zip_for_auditors(api: Api) -> None:
    import io
    import zipfile

    build_world(api)
    response = api.client.get("/audit/export", headers=api.headers(Role.AUDITOR))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == [
        "audit-bundle/README.txt",
        "audit-bundle/events.jsonl",
        "audit-bundle/head.json",
        "audit-bundle/verify.py",
    ]


def test_an_edited_decoded_copy_in_a_bundle_is_not_intact(api: Api, services: Services, tmp_path: Path) -> None:
    """The bug: verify.py proved the chain over the stored state only, so a reader's copy could lie."""
    world = build_world(api)
    audit_export.write_directory(services.audit, tmp_path)
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    number, line = next(
        (n, json.loads(text)) for n, text in enumerate(lines) if json.loads(text)["originator_id"] == world.commitment
    )
    assert line["event"]["type"] == "Recorded"
    assert line["event"]["text"]["texts"]["ar"] == "تنفيذ مصفوفة الأنشطة المشتركة"
    assert line["event"]["lead_party_id"] == world.sesric
    assert line["event"]["recorded_at"] == "2022-07-21T09:00:00Z"
    line["event"]["text"]["texts"]["ar"] = "إلغاء مصفوفة الأنشطة المشتركة"
    lines[number] = json.dumps(line, ensure_ascii=False)
    broken = run_verifier(rewritten(tmp_path, lines))
    assert broken.returncode == 1
    assert f"decoded copy of the event at position {line['position']}" in broken.stdout


def test_a_broken_chain_is_noticed_without_anyone_asking(
    api: Api, services: Services, clock: Any, receiver: Receiver
) -> None:
    world = build_world(api)
    subscription = api.post("/subscriptions", {"url": receiver.url, "kinds": ["operations"]}, role=Role.ADMIN)
    assert subscription.status_code == 201, subscription.text
    first = services.audit_watch.tick()
    assert first.intact and first.checked == services.store.recorder.max_notification_id()
    api.post(f"/commitments/{world.commitment}/start")
    clock.advance(minutes=1)
    assert services.audit_watch.tick().checked == 1  # only the link added since
    position = tamper(services, world.commitment, 2, lambda state: state.replace(b"key_", b"kez_"))
    clock.advance(minutes=1)
    assert services.audit_watch.tick().intact  # the edited event was checked already: the next full check finds it
    clock.advance(days=1)
    found = services.audit_watch.tick()
    assert (found.intact, found.first_broken) == (False, position)
    clock.advance(days=1)
    services.audit_watch.tick()  # found again: told once
    services.dispatcher.tick()
    told = [json.loads(r.body) for r in receiver.received]
    assert [t["type"] for t in told] == ["audit.chain_broken"]
    assert told[0]["data"]["audit"]["first_broken_position"] == position
    chain = api.get("/audit/head").json()["chain"]
    assert (chain["intact"], chain["first_broken_position"]) == (False, position)
    assert chain["broken_since"] == "2022-07-22T09:02:00Z"  # the first time it was found

    tamper(services, world.commitment, 2, lambda state: state.replace(b"kez_", b"key_"))  # restored
    clock.advance(days=1)
    assert services.audit_watch.tick().intact
    assert api.get("/audit/head").json()["chain"]["intact"] is True


def test_a_break_an_auditor_finds_is_recorded_too(api: Api, services: Services) -> None:
    world = build_world(api)
    position = tamper(services, world.oic, 1, lambda state: state.replace(b"OIC", b"XYZ"))
    assert api.get("/audit/verify").json()["first_broken_position"] == position
    assert api.get("/audit/head").json()["chain"]["first_broken_position"] == position


def test_after_an_altered_event_is_found_every_view_of_its_record_says_so_and_agrees_with_its_history(
    api: Api, services: Services, clock: Any
) -> None:
    from tests.pages.test_web_pages import visitor_of

    world = build_world(api)
    api.post(f"/commitments/{world.commitment}/start")
    clock.advance(minutes=1)
    position = tamper(services, world.commitment, 1, lambda state: state.replace("تنفيذ".encode(), "إلغاء".encode()))
    shown = api.get(f"/commitments/{world.commitment}").json()
    assert shown["integrity"] is None  # not found yet: reads never walk the chain
    services.audit_watch.tick()
    clock.advance(seconds=1)
    wait_for(
        lambda: api.get(f"/commitments/{world.commitment}").json()["integrity"] is not None,
        5,
        "the break to be seen by reads",
    )
    now = api.get(f"/commitments/{world.commitment}").json()
    assert now["integrity"]["first_broken_position"] == position and now["integrity"]["intact"] is False
    history = api.get(f"/commitments/{world.commitment}/history").json()
    assert history["integrity"]["first_broken_position"] == position
    assert now["text"]["texts"]["ar"] == history["events"][0]["payload"]["text"]["texts"]["ar"]  # they agree
    for view in (
        api.get(f"/commitments/{world.commitment}", version=1).json(),
        api.get(f"/commitments/{world.commitment}", as_of="2030-01-01").json(),
    ):
        assert view["integrity"]["first_broken_position"] == position
    listed = api.get("/commitments").json()["items"]
    assert [c["integrity"] is not None for c in listed] == [True]
    assert api.get(f"/parties/{world.oic}").json()["integrity"] is None  # records the break does not touch
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.AUDITOR])
        page = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
        assert page.all("//*[@id='integrity'][@role='alert']") and str(position) in page.words()
        assert not visitor.open(f"/parties/{world.oic}").all("//*[@id='integrity']")
