"""Backup and restore: one encrypted file holds the record; restored into an empty database of the
other engine, and back, it gives the same events, signed head, histories and answers."""

from pathlib import Path

import pytest

from api.cli import main
from domain.access import Role
from infrastructure.bootstrap import build
from infrastructure.persistence.scratch import scratch_database
from tests.conftest import Api, api_of, settings_for_tests
from tests.records import commitment
from tests.world import build_world

PASSPHRASE = "عبارة مرور طويلة للاختبار"


def answers(api: Api, world) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What an auditor reads of the record."""
    head = api.get("/audit/head").json()
    return {
        "commitment": api.get(f"/commitments/{world.commitment}").json(),
        "history": api.get(f"/commitments/{world.commitment}/history").json(),
        "as of": api.get(f"/commitments/{world.commitment}", as_of="2022-07-22T00:00:00Z").json(),
        "list": api.get("/commitments", sort="due").json(),
        "search": api.get("/search", q="مصفوفة").json(),
        "meeting timeline": api.get(f"/meetings/{world.meeting}/timeline").json(),
        "head": (head["position"], head["link"], head["signature"], head["public_key"]),
        "verified": api.get("/audit/verify").json()["intact"],
    }


def test_a_backup_moves_the_record_to_postgresql_and_back_unchanged(empty_schema: dict[str, str], tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
    with scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as first, \
            scratch_database("postgresql", "test", copy_of=empty_schema["postgresql"]) as second, \
            scratch_database("sqlite", "test") as third:
        with build(settings_for_tests(first)) as services, api_of(services) as api:
            world = build_world(api)
            api.created("/commitments", commitment(world.meeting, world.iofs, due={"precision": "year", "value": "2024"}))
            api.post(f"/commitments/{world.commitment}/progress", {"percent": 40, "evidence": [{"title": "Workshop"}]})
            api.post("/subscriptions", {"url": "http://127.0.0.1:9/hooks", "kinds": ["overdue"]}, role=Role.ADMIN)
            before = answers(api, world)
            key = api.keys[Role.AUDITOR]
            subscription = services.subscriptions.all()[0]
        for source, target, n in ((first, second, 1), (second, third, 2)):
            assert main(["backup", "--database-url", source, "--output", str(tmp_path / f"{n}.backup")]) == 0
            assert PASSPHRASE.encode() not in (tmp_path / f"{n}.backup").read_bytes()
            assert main(["restore", "--database-url", target, "--input", str(tmp_path / f"{n}.backup")]) == 0
            with build(settings_for_tests(target)) as restored, api_of(restored) as restored_api:
                assert answers(restored_api, world) == before, target.split(":")[0]
                assert restored.keys.authenticate(key) is not None  # the keys came along
                assert restored.subscriptions.with_secret(subscription.id).secret.startswith("whsec_")
                assert restored.outbox.position() == restored.store.recorder.max_notification_id()  # no replays


def test_a_backup_opens_only_with_its_passphrase_and_only_into_an_empty_database(
        empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "record.backup"
    with scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as source, \
            scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as target:
        with build(settings_for_tests(source)) as services, api_of(services) as api:
            build_world(api)
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
        assert main(["backup", "--database-url", source, "--output", str(file)]) == 0
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", "another long passphrase")
        assert main(["restore", "--database-url", target, "--input", str(file)]) == 2
        assert "passphrase or key is wrong" in capsys.readouterr().err
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
        altered = bytearray(file.read_bytes())
        altered[-40] ^= 1
        (tmp_path / "altered.backup").write_bytes(bytes(altered))
        assert main(["restore", "--database-url", target, "--input", str(tmp_path / "altered.backup")]) == 2
        (tmp_path / "cut.backup").write_bytes(file.read_bytes()[:-60])
        assert main(["restore", "--database-url", target, "--input", str(tmp_path / "cut.backup")]) == 2
        with build(settings_for_tests(target)) as empty:
            assert not empty.store.recorder.max_notification_id()  # nothing was stored by the refused ones
        assert main(["restore", "--database-url", source, "--input", str(file)]) == 2
        assert "already holds events" in capsys.readouterr().err
        key = tmp_path / "backup.key"
        key.write_bytes(bytes(range(32)))
        assert main(["backup", "--database-url", source, "--output", str(file), "--key-file", str(key)]) == 0
        assert main(["restore", "--database-url", target, "--input", str(file), "--key-file", str(key)]) == 0
