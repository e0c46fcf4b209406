"""The signing key can turn: ``commitments audit rotate-key`` makes a new key signed by the old one; every head
and bundle carries the chain of keys, so a head signed by a later key is traced back to the key an auditor
trusted; a chain whose endorsement was forged does not verify."""

import json
import os
import stat
from pathlib import Path

import pytest

from api.bootstrap import Services, build
from api.cli import main
from infrastructure.audit import export as audit_export
from infrastructure.audit.head_signing import check_signature
from tests.conftest import Api, settings_for_tests
from tests.history.test_audit_chain import run_verifier
from tests.world import build_world


def test_a_turned_key_is_signed_by_the_one_before_and_old_heads_still_prove_the_history(
    api: Api, services: Services, tmp_path: Path
) -> None:
    build_world(api)
    first = api.get("/audit/head").json()
    assert [k["number"] for k in first["keys"]] == [1] and first["keys"][0]["public_key"] == first["public_key"]
    (tmp_path / "saved-head.json").write_text(json.dumps(first))
    turned = services.audit.signer.rotate()
    assert turned["number"] == 2 and turned["endorsed_by"] == first["public_key"]
    second = api.get("/audit/head").json()
    assert second["public_key"] == turned["public_key"] != first["public_key"]
    assert check_signature(second["public_key"], second["signature"], second["position"], second["link"])
    assert [k["public_key"] for k in second["keys"]] == [first["public_key"], turned["public_key"]]
    bundle = tmp_path / "bundle"
    audit_export.write_directory(services.audit, bundle)
    intact = run_verifier(bundle, "--head", str(tmp_path / "saved-head.json"))
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "2 signing key(s)" in intact.stdout and "your saved head matches" in intact.stdout


def test_a_forged_endorsement_in_the_chain_of_keys_does_not_verify(
    api: Api, services: Services, tmp_path: Path
) -> None:
    build_world(api)
    services.audit.signer.rotate()
    bundle = tmp_path / "bundle"
    audit_export.write_directory(services.audit, bundle)
    head = json.loads((bundle / "head.json").read_text())
    head["keys"][1]["created_at"] = "2020-01-01T00:00:00Z"  # the endorsement no longer covers what it says
    (bundle / "head.json").write_text(json.dumps(head))
    broken = run_verifier(bundle)
    assert broken.returncode == 1 and "chain of signing keys is broken" in broken.stdout


def test_a_key_read_from_a_file_turns_into_a_new_file_readable_by_its_owner_only(
    database_url: str, tmp_path: Path
) -> None:
    with build(settings_for_tests(database_url)) as made:
        old_file = tmp_path / "signing-key.pem"
        old_file.write_text(made.audit.signer.private_pem())
    with build(settings_for_tests(database_url, signing_key_file=str(old_file))) as services:
        before = services.audit.head()["public_key"]
        new_file = tmp_path / "next-key.pem"
        turned = services.audit.signer.rotate(new_file)
        assert stat.S_IMODE(os.stat(new_file).st_mode) == 0o600
        assert services.audit.head()["public_key"] == before  # the old key signs until the file is named
    with build(settings_for_tests(database_url, signing_key_file=str(new_file))) as services:
        head = services.audit.head()
        assert head["public_key"] == turned["public_key"] and head["keys"][-1]["endorsed_by"] == before


def test_the_command_turns_the_key_and_refuses_a_file_key_without_a_new_file(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["audit", "rotate-key", "--json", "--database-url", database_url]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["rotated"] and said["number"] == 2 and said["fingerprint"].startswith("SHA256:")
    key_file = tmp_path / "key.pem"
    assert main(["audit", "signing-key", "--output", str(key_file), "--database-url", database_url]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COMMITMENTS_SIGNING_KEY_FILE", str(key_file))
    refused = main(["audit", "rotate-key", "--database-url", database_url])
    assert refused == 2 and "--output" in capsys.readouterr().out
