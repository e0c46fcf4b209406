"""The ``commitments`` command: help, keys, and a real server started the way a newcomer starts it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.actors import acting
from tests.server import COMMAND, ROOT, Server

pytestmark = pytest.mark.slow  # the command line, with real servers

KEY = re.compile(r"cmk_[A-Za-z0-9_-]{20,}")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_help_explains_every_command() -> None:
    main = run("--help")
    assert main.returncode == 0
    for command in ("serve", "keys"):
        assert command in main.stdout
    for args in (
        ["serve", "--help"],
        ["keys", "--help"],
        ["keys", "create", "--help"],
        ["keys", "list", "--help"],
        ["keys", "revoke", "--help"],
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "usage: commitments" in result.stdout


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "commitments"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "serve" in result.stdout


def test_serve_creates_the_first_admin_key_once_and_the_database_under_var(tmp_path: Path) -> None:
    server = Server("sqlite:///var/commitments.db", cwd=tmp_path)
    try:
        key = KEY.search(server.printed())
        assert key, server.printed()
        assert (tmp_path / "var" / "commitments.db").exists()
        headers = {"Authorization": f"Bearer {key.group(0)}"}
        created = httpx.post(
            f"{server.url}/parties",
            headers=headers,
            timeout=10,
            json={
                "names": {
                    "texts": {"ar": "المنظمة الإسلامية للأمن الغذائي", "en": "Islamic Organization for Food Security"},
                    "authentic": "ar",
                },
                "acronym": "IOFS",
                "kind": "specialised_institution",
            },
        )
        assert created.status_code == 201, created.text
        assert created.json()["names"]["texts"]["ar"] == "المنظمة الإسلامية للأمن الغذائي"
    finally:
        server.stop()
    again = Server("sqlite:///var/commitments.db", cwd=tmp_path)
    try:
        assert not KEY.search(again.printed())
        assert httpx.get(f"{again.url}/parties", headers=headers, timeout=10).json()["items"][0]["acronym"] == "IOFS"
    finally:
        again.stop()


def test_keys_create_prints_a_key_that_works_with_its_role(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    created = run("keys", "create", "--role", "auditor", "--name", "donor audit", "--database-url", url)
    assert created.returncode == 0, created.stderr
    key = KEY.search(created.stdout)
    assert key
    listed = run("keys", "list", "--database-url", url)
    assert "auditor" in listed.stdout and "donor audit" in listed.stdout
    assert key.group(0) not in listed.stdout
    server = Server(url, cwd=tmp_path)
    try:
        assert not KEY.search(server.printed())  # a key exists already: no admin key is made
        headers = {"Authorization": f"Bearer {key.group(0)}"}
        assert httpx.get(f"{server.url}/commitments", headers=headers, timeout=10).status_code == 200
        refused = httpx.post(f"{server.url}/parties", headers=headers, timeout=10, json={})
        assert refused.status_code == 403
    finally:
        server.stop()


def test_a_bad_role_or_database_url_is_a_clear_error(tmp_path: Path) -> None:
    bad_role = run("keys", "create", "--role", "owner")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    bad_url = run("keys", "list", "--database-url", "mysql://localhost/x")
    assert bad_url.returncode == 2 and "unsupported database" in bad_url.stderr
    for command in (["serve"], ["projections", "rebuild"]):  # no process at all used to mean one
        for workers, said in (("0", "must be 1 or more"), ("two", "'two' is not a whole number")):
            refused = run(*command, "--workers", workers, "--database-url", f"sqlite:///{tmp_path / 'x.db'}")
            assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    assert not (tmp_path / "x.db").exists()


def test_projections_rebuild_replays_every_event(tmp_path: Path) -> None:
    from api.bootstrap import build
    from application.inputs import TextInput
    from application.storage.saving import Records
    from application.tracker import Tracker
    from infrastructure.settings import Settings

    url = f"sqlite:///{tmp_path / 'c.db'}"
    services = build(Settings(database_url=url))
    services.tracker.parties.register(
        acting("key_cli"), TextInput({"en": "United Nations"}), "UN", "international_organisation"
    )
    unfollowed = Tracker.on(Records(services.store))  # as a process that died before following its events
    unfollowed.parties.register(acting("key_cli"), TextInput({"en": "Not yet projected"}), "NYP", "ngo")
    services.close()
    assert "read model at event 1 of 2" in run("projections", "status", "--database-url", url).stdout
    rebuilt = run("projections", "rebuild", "--database-url", url)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt the read model from 2 events" in rebuilt.stdout
    assert "rebuilding" in rebuilt.stderr and "2/2" in rebuilt.stderr  # the progress bar: done, rate, left
    assert "read model at event 2 of 2" in run("projections", "status", "--database-url", url).stdout


def test_audit_verify_and_export_from_the_command_line(tmp_path: Path) -> None:
    from sqlalchemy import text

    from api.bootstrap import build
    from application.inputs import TextInput
    from infrastructure.settings import Settings

    url = f"sqlite:///{tmp_path / 'c.db'}"
    services = build(Settings(database_url=url))
    party = services.tracker.parties.register(
        acting("key_cli"), TextInput({"en": "United Nations"}), "UN", "international_organisation"
    )
    services.close()
    verified = run("audit", "verify", "--database-url", url)
    assert verified.returncode == 0 and "intact: 1 events" in verified.stdout
    exported = run("audit", "export", "--output", str(tmp_path / "bundle"), "--database-url", url)
    assert exported.returncode == 0, exported.stderr
    offline = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "bundle" / "verify.py"), str(tmp_path / "bundle")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert offline.returncode == 0 and "INTACT" in offline.stdout
    services = build(Settings(database_url=url))
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE stored_events SET state = replace(state, 'United', 'Divided')"))
    services.close()
    tampered = run("audit", "verify", "--database-url", url)
    assert tampered.returncode == 1 and "NOT INTACT at position 1" in tampered.stdout
    assert party.acronym == "UN"


def test_the_version_and_one_database_url_before_or_after_the_command(tmp_path: Path) -> None:
    version = run("--version")
    assert version.returncode == 0 and re.fullmatch(r"commitments \d+\.\d+\.\d+\n", version.stdout)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert run("--database-url", url, "keys", "create", "--role", "auditor").returncode == 0
    assert not (tmp_path / "var").exists()
    assert "auditor" in run("keys", "list", "--database-url", url).stdout
    assert "auditor" in run("--database-url", url, "keys", "list").stdout


def test_json_prints_the_records_a_command_reports(tmp_path: Path) -> None:
    import json

    url = f"sqlite:///{tmp_path / 'c.db'}"
    created = json.loads(
        run("--json", "keys", "create", "--role", "auditor", "--name", "مراجعة المانحين", "--database-url", url).stdout
    )
    assert created["role"] == "auditor" and created["name"] == "مراجعة المانحين" and KEY.fullmatch(created["key"])
    listed = json.loads(run("keys", "list", "--json", "--database-url", url).stdout)
    assert [(key["id"], key["revoked_at"]) for key in listed] == [(created["id"], None)]
    assert "key" not in listed[0]
    assert json.loads(run("--json", "projections", "status", "--database-url", url).stdout) == {
        "position": 0,
        "latest": 0,
    }
    assert json.loads(run("--json", "audit", "verify", "--database-url", url).stdout)["intact"] is True


def test_party_takes_an_acronym_and_party_id_an_id(tmp_path: Path) -> None:
    import json

    from api.bootstrap import build
    from application.inputs import TextInput
    from infrastructure.settings import Settings

    url = f"sqlite:///{tmp_path / 'c.db'}"
    with build(Settings(database_url=url)) as services:
        iofs = services.tracker.parties.register(
            acting("key_cli"), TextInput({"ar": "المنظمة الإسلامية للأمن الغذائي"}), "IOFS", "specialised_institution"
        )
        un = services.tracker.parties.register(
            acting("key_cli"), TextInput({"en": "United Nations"}), "UN", "international_organisation"
        )
    both = json.loads(
        run(
            "--json",
            "keys",
            "create",
            "--role",
            "coordinator",
            "--party",
            "iofs",
            "--party-id",
            un.id,
            "--database-url",
            url,
        ).stdout
    )
    assert both["party_scope"] == [iofs.id, un.id]
    as_acronym = run("keys", "create", "--role", "coordinator", "--party", un.id, "--database-url", url)
    assert as_acronym.returncode == 2 and "acronym" in as_acronym.stderr  # an id is not an acronym
    unknown = run("keys", "create", "--role", "coordinator", "--party-id", "IOFS", "--database-url", url)
    assert unknown.returncode == 2 and "no party with id IOFS" in unknown.stderr
    not_coordinator = run("keys", "create", "--role", "auditor", "--party", "IOFS", "--database-url", url)
    assert not_coordinator.returncode == 2 and "only coordinator keys" in not_coordinator.stderr


# A worker whose SIGTERM the kernel hands to one of its other threads: the main thread, waiting for the
# signal, must still see it. Sent once the main thread waits in ``worker`` (its frames say so).
SIGTERM_TO_ANOTHER_THREAD = """
import signal, sys, threading, time

from api.cli import main


def waiting_in_worker(frame):
    while frame is not None:
        if frame.f_code.co_name == "worker":
            return True
        frame = frame.f_back
    return False


def terminate_from_here():
    main_thread, deadline = threading.main_thread().ident, time.monotonic() + 60
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(main_thread)
        if frame is not None and frame.f_code.co_name == "wait" and waiting_in_worker(frame):
            break
        time.sleep(0.01)
    signal.pthread_kill(threading.get_ident(), signal.SIGTERM)


threading.Thread(target=terminate_from_here, daemon=True).start()
sys.exit(main(sys.argv[1:]))
"""


def test_a_worker_stops_on_sigterm_whichever_thread_receives_it(tmp_path: Path) -> None:
    """``commitments worker`` stops when asked (as ``docker stop`` and systemd ask): the kernel may hand the
    signal to any of its threads, and the worker must see it still."""
    database_url = f"sqlite:///{tmp_path / 'worker.db'}"
    worker = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_TO_ANOTHER_THREAD, "worker", "--interval", "60", "--database-url", database_url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert worker.wait(timeout=30) == 0, worker.stderr.read() if worker.stderr else ""
        assert worker.stdout is not None and worker.stdout.readline().startswith("worker running")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
