"""Backup and restore: one encrypted file holds the record; restored into an empty database of the
other engine, and back, it gives the same events, chain, histories and answers. A backup proves
where it came from: its head must be signed by the public key the operator trusts, and the key that
signs travels in no backup, so a forged one cannot be signed; every bad backup is one line and exit
status 2."""

import base64
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.bootstrap import build
from api.cli import main
from domain.access import Role
from domain.audit import GENESIS, chain_link
from infrastructure.audit.head_signing import fingerprint, head_message, public_key_text
from infrastructure.backup import sealing
from infrastructure.persistence.scratch import scratch_database
from tests.conftest import Api, api_of, settings_for_tests
from tests.records import commitment
from tests.world import World, build_world

PASSPHRASE = "عبارة مرور طويلة للاختبار"
PDF = b"%PDF-1.4\n% the workshop's report\n%%EOF\n"


def public_key(database_url: str, to: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The deployment's public key, as its operator saves it beside each backup."""
    capsys.readouterr()
    assert main(["audit", "public-key", "--database-url", database_url]) == 0
    to.write_text(capsys.readouterr().out)
    return to


def answers(api: Api, world: World) -> dict[str, object]:
    """What an auditor reads of the record."""
    head = api.get("/audit/head").json()
    return {
        "commitment": api.get(f"/commitments/{world.commitment}").json(),
        "history": api.get(f"/commitments/{world.commitment}/history").json(),
        "as of": api.get(f"/commitments/{world.commitment}", as_of="2022-07-22T00:00:00Z").json(),
        "list": api.get("/commitments", sort="due").json(),
        "search": api.get("/search", q="مصفوفة").json(),
        "meeting timeline": api.get(f"/meetings/{world.meeting}/timeline").json(),
        "head": (head["position"], head["link"]),
        "verified": api.get("/audit/verify").json()["intact"],
        "file": api.get(f"/commitments/{world.commitment}/evidence/2/file").content,
    }


def test_a_backup_moves_the_record_to_postgresql_and_back_unchanged(
    empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
    with (
        scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as first,
        scratch_database("postgresql", "test", copy_of=empty_schema["postgresql"]) as second,
        scratch_database("sqlite", "test") as third,
    ):
        with build(settings_for_tests(first)) as services, api_of(services) as api:
            world = build_world(api)
            api.created(
                "/commitments", commitment(world.meeting, world.iofs, due={"precision": "year", "value": "2024"})
            )
            sent = api.client.post("/files", files={"file": ("تقرير.pdf", PDF)}, headers=api.headers(Role.COORDINATOR))
            evidence = [{"title": "Workshop"}, {"title": "Report", "file": {"sha256": sent.json()["sha256"]}}]
            api.post(f"/commitments/{world.commitment}/progress", {"percent": 40, "evidence": evidence})
            api.post("/subscriptions", {"url": "http://127.0.0.1:9/hooks", "kinds": ["overdue"]}, role=Role.ADMIN)
            before = answers(api, world)
            assert before["file"] == PDF
            key = api.keys[Role.AUDITOR]
            subscription = services.subscriptions.all()[0]
        for source, target, n in ((first, second, 1), (second, third, 2)):
            trusted = public_key(source, tmp_path / f"{n}.pub", capsys)
            assert main(["backup", "--database-url", source, "--output", str(tmp_path / f"{n}.backup")]) == 0
            assert PASSPHRASE.encode() not in (tmp_path / f"{n}.backup").read_bytes()
            assert (
                main(
                    [
                        "restore",
                        "--database-url",
                        target,
                        "--input",
                        str(tmp_path / f"{n}.backup"),
                        "--trust-key",
                        str(trusted),
                    ]
                )
                == 0
            )
            with build(settings_for_tests(target)) as restored, api_of(restored) as restored_api:
                assert answers(restored_api, world) == before, target.split(":")[0]
                assert restored.keys.authenticate(key) is not None  # the keys came along
                assert restored.subscriptions.with_secret(subscription.id).secret.startswith("whsec_")
                assert restored.outbox.position() == restored.store.recorder.max_notification_id()  # no replays


def test_a_backup_opens_only_with_its_passphrase_and_only_into_an_empty_database(
    empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "record.backup"
    with (
        scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as source,
        scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as target,
    ):
        with build(settings_for_tests(source)) as services, api_of(services) as api:
            build_world(api)
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
        assert main(["backup", "--database-url", source, "--output", str(file)]) == 0
        unverified = ["--accept-unverified-origin"]
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", "another long passphrase")
        assert main(["restore", "--database-url", target, "--input", str(file), *unverified]) == 2
        assert "passphrase or key is wrong" in capsys.readouterr().err
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
        altered = bytearray(file.read_bytes())
        altered[-40] ^= 1
        (tmp_path / "altered.backup").write_bytes(bytes(altered))
        assert (
            main(["restore", "--database-url", target, "--input", str(tmp_path / "altered.backup"), *unverified]) == 2
        )
        (tmp_path / "cut.backup").write_bytes(file.read_bytes()[:-60])
        assert main(["restore", "--database-url", target, "--input", str(tmp_path / "cut.backup"), *unverified]) == 2
        with build(settings_for_tests(target)) as empty:
            assert not empty.store.recorder.max_notification_id()  # nothing was stored by the refused ones
        assert main(["restore", "--database-url", source, "--input", str(file), *unverified]) == 2
        assert "already holds events" in capsys.readouterr().err
        key = tmp_path / "backup.key"
        key.write_bytes(bytes(range(32)))
        assert main(["backup", "--database-url", source, "--output", str(file), "--key-file", str(key)]) == 0
        assert (
            main(["restore", "--database-url", target, "--input", str(file), "--key-file", str(key), *unverified]) == 0
        )


def backup_lines(file: Path) -> list[dict[str, Any]]:
    with file.open("rb") as source:
        return [json.loads(line) for line in sealing.opened(source, PASSPHRASE.encode(), False)]


def sealed(lines: Sequence[dict[str, Any] | bytes], file: Path) -> Path:
    """The lines (records, or bytes as they are) sealed as a backup is."""
    with file.open("wb") as out:
        sealing.seal(
            [
                line if isinstance(line, bytes) else (json.dumps(line, ensure_ascii=False) + "\n").encode()
                for line in lines
            ],
            out,
            PASSPHRASE.encode(),
            False,
        )
    return file


def forged(lines: list[dict[str, Any]], signer: Ed25519PrivateKey) -> list[dict[str, Any]]:
    """The backup with its first commitment's words changed, the chain recomputed and the head signed."""
    events = [line for line in lines if line["kind"] == "event"]
    target = next(e for e in events if "مصفوفة" in base64.b64decode(e["state"]).decode())
    target["state"] = base64.b64encode(
        base64.b64decode(target["state"]).decode().replace("مصفوفة", "مسودة").encode()
    ).decode()
    link = GENESIS
    for event in events:
        link = chain_link(link, event["n"], event["id"], event["v"], event["topic"], base64.b64decode(event["state"]))
    head = lines[0]["head"]
    head.update(
        link=link,
        public_key=public_key_text(signer.public_key()),
        signature=base64.b64encode(signer.sign(head_message(head["position"], link))).decode(),
    )
    return lines


Made = tuple[Path, Path, str]  # a backup, the public key saved beside it, the URL of an empty database


@pytest.fixture
def made(
    empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Made]:
    """A deployment's backup, its public key as saved beside it, and an empty database to restore into."""
    monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)
    with (
        scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as source,
        scratch_database("postgresql", "test", copy_of=empty_schema["postgresql"]) as target,
    ):
        with build(settings_for_tests(source)) as services, api_of(services) as api:
            build_world(api)
        assert main(["backup", "--database-url", source, "--output", str(tmp_path / "record.backup")]) == 0
        yield tmp_path / "record.backup", public_key(source, tmp_path / "deployment.pub", capsys), target


def restore(target: str, backup: Path, *options: str) -> int:
    return main(["restore", "--database-url", target, "--input", str(backup), *options])


def test_the_key_that_signs_the_audit_head_travels_in_no_backup(made: Made) -> None:
    backup, _, _ = made
    rows = [line["row"] for line in backup_lines(backup) if line["kind"] == "row"]
    assert not [row for row in rows if row.get("purpose") == "audit-head"]
    assert "PRIVATE KEY" not in json.dumps(rows)


def test_a_forged_backup_re_chained_and_re_signed_is_refused_against_the_trusted_key(
    made: Made, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup, trusted, target = made
    intruder = Ed25519PrivateKey.generate()
    forgery = sealed(forged(backup_lines(backup), intruder), tmp_path / "forged.backup")
    capsys.readouterr()
    assert restore(target, forgery, "--trust-key", str(trusted)) == 2
    err = capsys.readouterr().err
    assert "not signed by the trusted key" in err and len(err.strip().splitlines()) == 1
    assert restore(target, forgery) == 2  # neither --trust-key nor --accept-unverified-origin
    assert "--trust-key FILE" in capsys.readouterr().err
    assert restore(target, forgery, "--accept-unverified-origin") == 0  # the operator's choice, and said so
    said = capsys.readouterr().out
    assert "UNVERIFIED" in said and fingerprint(public_key_text(intruder.public_key())) in said


def test_the_trusted_key_restores_the_genuine_backup(made: Made, capsys: pytest.CaptureFixture[str]) -> None:
    backup, trusted, target = made
    capsys.readouterr()
    assert restore(target, backup, "--trust-key", str(trusted)) == 0
    assert "signed by the trusted key SHA256:" in capsys.readouterr().out


@pytest.mark.slow  # a process per bad backup
def test_every_bad_backup_and_bad_key_is_one_line_and_exit_status_2(
    made: Made, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup, trusted, target = made
    lines = backup_lines(backup)
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE)
    cases = {
        "malformed": [
            restore(
                target,
                sealed([lines[0], {"kind": "row"}, *lines[1:]], tmp_path / "m.backup"),
                "--trust-key",
                str(trusted),
            )
        ],
        "its header only": [restore(target, sealed([lines[0]], tmp_path / "h.backup"), "--trust-key", str(trusted))],
        "not JSON": [
            restore(
                target,
                sealed([lines[0], b"{not json\n", *lines[1:]], tmp_path / "j.backup"),
                "--trust-key",
                str(trusted),
            )
        ],
        "not a header": [
            restore(target, sealed([b"[1, 2]\n", *lines[1:]], tmp_path / "x.backup"), "--trust-key", str(trusted))
        ],
        "wrong version": [
            restore(
                target,
                sealed([{**lines[0], "format": 99}, *lines[1:]], tmp_path / "v.backup"),
                "--trust-key",
                str(trusted),
            )
        ],
        "truncated": [restore(target, sealed(lines[:-1], tmp_path / "t.backup"), "--trust-key", str(trusted))],
        "a passphrase file as a key file": [
            main(
                [
                    "backup",
                    "--database-url",
                    target,
                    "--output",
                    str(tmp_path / "k.backup"),
                    "--key-file",
                    str(passphrase_file),
                ]
            ),
            restore(target, backup, "--key-file", str(passphrase_file), "--trust-key", str(trusted)),
        ],
        "a trusted key that is no key": [restore(target, backup, "--trust-key", str(passphrase_file))],
        "no such file": [restore(target, tmp_path / "missing.backup", "--trust-key", str(trusted))],
    }
    for case, statuses in cases.items():
        assert statuses == [2] * len(statuses), case
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert all(line.startswith("commitments: ") for line in err.strip().splitlines())
    assert not (tmp_path / "k.backup").exists()
    with build(settings_for_tests(target)) as empty:
        assert not empty.store.recorder.max_notification_id()  # nothing of any of them was stored


def test_the_backup_passphrase_may_be_read_from_a_file_as_container_secrets_are_mounted(
    empty_schema: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    file = tmp_path / "record.backup"
    with scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as source:
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE_FILE", str(secret))
        assert main(["backup", "--database-url", source, "--output", str(file)]) == 0
        monkeypatch.setenv("COMMITMENTS_BACKUP_PASSPHRASE", PASSPHRASE)  # and the variable too: which one?
        assert main(["backup", "--database-url", source, "--output", str(tmp_path / "again.backup")]) == 2
        assert "COMMITMENTS_BACKUP_PASSPHRASE_FILE: set either it or" in capsys.readouterr().err
        monkeypatch.delenv("COMMITMENTS_BACKUP_PASSPHRASE_FILE")
        with scratch_database("sqlite", "test", copy_of=empty_schema["sqlite"]) as target:
            unverified = ["--accept-unverified-origin"]
            assert main(["restore", "--database-url", target, "--input", str(file), *unverified]) == 0
