"""Logs an operator can use: every line says when, how grave and which part; every request leaves one
access line with its route's template, status, duration, id and caller; a request's id is answered and
names every line logged while serving it; and no key, name or e-mail address is ever in the log."""

import json
import logging
import os
import queue
import re
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from api.access import UNMATCHED, AccessLog
from api.bootstrap import Services
from api.cli.common import Refused
from api.cli.serving import first_admin_key
from domain.access import Role
from infrastructure.operations import logs
from infrastructure.operations.metrics import REQUEST_SECONDS, REQUESTS
from tests.conftest import Api, settings_for_tests
from tests.records import party
from tests.server import COMMAND, ROOT, Server, free_port, wait_for

TEXT_HEAD = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (DEBUG|INFO|WARNING|ERROR|CRITICAL) ([\w.]+) \S")
CONTACT_NAME = "Amina Haddad-Qureshi"
CONTACT_ADDRESS = "amina.haddad@example.org"
PARTY_NAME = "Zubaida Qasim Relief Foundation"
GUESSED = "cmk_Guessed-Key-0123456789abcdef"
STARTING = 60.0  # seconds a server may take to answer: two worker processes on a busy machine take over 10


# -- the log's lines, in the process ------------------------------------------------------------------------------


class Kept(logging.Handler):
    """The records the service logs, as the service's own handler sees them (with the request-id filter)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(logs.RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def access(self) -> list[logging.LogRecord]:
        return [record for record in self.records if record.name == "commitments.access"]


@contextmanager
def kept() -> Iterator[Kept]:
    handler = Kept()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def the_access_line(handler: Kept, response: httpx.Response) -> logging.LogRecord:
    """The one access line of the request this response answered."""
    lines = [r for r in handler.access() if getattr(r, "request_id", None) == response.headers["x-request-id"]]
    assert len(lines) == 1, [r.getMessage() for r in handler.access()]
    return lines[0]


def field(record: logging.LogRecord, *names: str) -> tuple[object, ...]:
    """The fields an access line carries beyond its message."""
    return tuple(getattr(record, name, None) for name in names)


def key_id(services: Services, key: str) -> str:
    principal = services.keys.authenticate(key)
    assert principal is not None
    return principal.id


def test_every_request_leaves_one_access_line_with_its_route_template_status_and_request_id(
    api: Api, services: Services
) -> None:
    missing = uuid4()
    with kept() as handler:
        cases = [
            (api.get(f"/commitments/{missing}"), "GET", "/commitments/{commitment_id}", 404),
            (api.client.get("/parties"), "GET", "/parties", 401),
            (api.client.get(f"/no/such/{CONTACT_ADDRESS}?q={CONTACT_ADDRESS}"), "GET", UNMATCHED, 404),
            (api.client.get("/app/static/style.css"), "GET", "/app/static/{path}", 200),
            (api.client.get(f"/app/no-such-page/{missing}"), "GET", "/app/{path}", 404),
            (api.client.get("/openapi.json"), "GET", "/openapi.json", 200),
            (api.client.request("BREW", "/parties"), "OTHER", "/parties", 405),
            (api.post("/parties", {"names": {"texts": {"en": PARTY_NAME}}}), "POST", "/parties", 422),
        ]
        for response, method, route, status in cases:
            assert response.status_code == status, (route, response.text)
            line = the_access_line(handler, response)
            assert field(line, "method", "route", "status") == (method, route, status)
            duration = field(line, "duration_ms")[0]
            assert isinstance(duration, float) and duration >= 0
            assert line.getMessage().startswith(f"{method} {route} {status} ")
    auditor, coordinator = (key_id(services, api.keys[role]) for role in (Role.AUDITOR, Role.COORDINATOR))
    assert field(the_access_line(handler, cases[0][0]), "actor") == (auditor,)
    assert field(the_access_line(handler, cases[-1][0]), "actor") == (coordinator,)
    assert field(the_access_line(handler, cases[1][0]), "actor") == (None,)  # no key: nobody
    service = [record for record in handler.records if record.name != "httpx"]  # not the test client's own
    written = "\n".join(logs.JsonFormatter().format(record) for record in service)
    for private in (str(missing), CONTACT_ADDRESS, PARTY_NAME, *api.keys.values()):
        assert private not in written


def test_a_short_safe_request_id_is_answered_and_any_other_is_replaced(api: Api) -> None:
    with kept() as handler:
        for given in ("abc", "trace-42.A_b", "x" * 64):
            response = api.client.get("/health", headers={"X-Request-ID": given})
            assert response.headers["x-request-id"] == given
            assert field(the_access_line(handler, response), "route") == ("/health",)
        answered = {api.client.get("/health").headers["x-request-id"] for _ in range(3)}
        for unsafe in ("x" * 65, "two words", "", "a/b", "tab\tbed", "ümlaut".encode(), "<script>"):
            response = api.client.get("/health", headers={"X-Request-ID": unsafe})
            answered.add(response.headers["x-request-id"])
            assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-request-id"]), unsafe
            the_access_line(handler, response)
    assert len(answered) == 10  # each new id is new


def test_every_line_logged_while_serving_a_request_names_it_from_the_event_loop_and_worker_threads() -> None:
    said = logging.getLogger("commitments.test")
    app = FastAPI()

    @app.get("/in-a-thread")
    def in_a_thread() -> dict[str, str]:
        said.warning("from a worker thread")
        return {}

    @app.get("/on-the-loop")
    async def on_the_loop() -> dict[str, str]:
        said.warning("from the event loop")
        return {}

    app.add_middleware(AccessLog, request_ids=logs.REQUEST_ID, requests=REQUESTS, seconds=REQUEST_SECONDS)
    with kept() as handler, TestClient(app) as client:
        answers = [client.get("/in-a-thread"), client.get("/on-the-loop", headers={"X-Request-ID": "mine"})]
        said.warning("between requests")
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert ids[1] == "mine"
    by_message = {record.getMessage(): getattr(record, "request_id", None) for record in handler.records}
    assert by_message["from a worker thread"] == ids[0]
    assert by_message["from the event loop"] == ids[1]
    assert by_message["between requests"] is None


def test_an_unexpected_error_is_answered_500_and_its_lines_name_the_request() -> None:
    said = logging.getLogger("commitments.test")
    app = FastAPI()

    @app.get("/failing/{thing}")
    def failing(thing: str) -> None:
        raise RuntimeError("unexpected")

    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        said.error("unexpected error", exc_info=error)  # as api.problems answers, outside the access middleware
        return JSONResponse({"status": 500}, status_code=500)

    app.add_exception_handler(Exception, unexpected)
    app.add_middleware(AccessLog, request_ids=logs.REQUEST_ID, requests=REQUESTS, seconds=REQUEST_SECONDS)
    with kept() as handler, TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/failing/x", headers={"X-Request-ID": "failing-1"}).status_code == 500
        assert client.get("/failing/y", headers={"X-Request-ID": "failing-2"}).status_code == 500
        said.warning("after the requests")
    lines = [(r.name, getattr(r, "request_id", None), getattr(r, "status", None)) for r in handler.records]
    assert ("commitments.access", "failing-1", 500) in lines and ("commitments.access", "failing-2", 500) in lines
    assert [line[1] for line in lines if line[0] == "commitments.test"] == ["failing-1", "failing-2", None]


def test_each_request_is_counted_in_the_metrics_by_method_route_template_and_status(api: Api) -> None:
    labels = {"method": "GET", "route": "/commitments/{commitment_id}", "status": "404"}

    def counted() -> tuple[float, float]:
        requests = REGISTRY.get_sample_value("commitments_requests_total", labels) or 0.0
        timed = REGISTRY.get_sample_value("commitments_request_duration_seconds_count", labels) or 0.0
        return requests, timed

    before = counted()
    for _ in range(3):
        assert api.get(f"/commitments/{uuid4()}").status_code == 404
    assert counted() == (before[0] + 3, before[1] + 3)


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("commitments.api", logging.WARNING, __file__, 1, message, args, None)
    for name, value in extra.items():
        setattr(made, name, value)
    return made


def test_a_text_line_says_time_level_component_and_message_and_a_long_message_continues_on_marked_lines() -> None:
    try:
        raise ValueError("first\nsecond")
    except ValueError:
        failing = record("could not %s", "go on", request_id="r-1")
        failing.exc_info = sys.exc_info()
    lines = logs.TextFormatter().format(failing).splitlines()
    head = TEXT_HEAD.match(lines[0])
    assert head and head.group(2, 3) == ("WARNING", "commitments.api")
    assert lines[0].endswith(" could not go on request_id=r-1")
    assert all(line.startswith(head.group(0)[:-1] + "| ") for line in lines[1:])
    assert "Traceback (most recent call last):" in lines[1]
    forged = logs.TextFormatter().format(record("a\n2026-01-01T00:00:00.000Z ERROR commitments.api forged"))
    assert len([line for line in forged.splitlines() if TEXT_HEAD.match(line) and " | " not in line]) == 1


def test_keys_secrets_and_secret_addresses_are_blanked_out_of_any_line() -> None:
    secret = record(
        "sent %s with Authorization: Bearer %s to /feeds/%s.ics and /app/unsubscribe/%s",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "cmk_9fJc2k-Xy_7Qp0aBcDeFgHiJkLmNoPqRsTu",
        "f33dt0ken",
        "unsubscr1betoken",
    )
    for formatter in (logs.TextFormatter(), logs.JsonFormatter()):
        written = formatter.format(secret)
        for hidden in (
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "9fJc2k-Xy_7Qp0aBcDeFgHiJkLmNoPqRsTu",
            "f33dt0ken",
            "unsubscr1be",
        ):
            assert hidden not in written


def test_the_first_admin_key_goes_to_its_file_readable_by_its_owner_only_and_never_over_another(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    taken = tmp_path / "taken.key"
    taken.write_text("someone else's\n")
    with pytest.raises(Refused, match="exists already"):
        first_admin_key(services, settings_for_tests(database_url, first_admin_key_file=str(taken)))
    assert taken.read_text() == "someone else's\n"
    assert services.keys.count_active() == 0  # no key that nobody could read was made
    written = tmp_path / "admin.key"
    first_admin_key(services, settings_for_tests(database_url, first_admin_key_file=str(written)))
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    key = written.read_text().strip()
    assert services.keys.authenticate(key) is not None
    shown = capsys.readouterr().out
    assert str(written) in shown and key not in shown
    first_admin_key(services, settings_for_tests(database_url, first_admin_key_file=str(written)))  # a key exists
    assert written.read_text().strip() == key


# -- the log of a real service -------------------------------------------------------------------------------------


class LoggingServer(Server):
    """``commitments serve`` as ``tests.server.Server`` runs it, at the INFO level, with its log (standard
    error) kept apart from what it prints for the operator (standard output)."""

    def __init__(self, database_url: str, cwd: Path, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.log: list[str] = []
        arguments = ["serve", "--port", str(self.port), "--database-url", database_url, "--workers", str(workers)]
        self.process = subprocess.Popen(
            [*COMMAND, *arguments, "--log-level", "info"],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **env},
        )
        self.readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._log, daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        try:
            wait_for(self._answers, STARTING, what=f"the server on port {self.port}")
        except TimeoutError as late:
            raise TimeoutError(f"{late}; it logged:\n{chr(10).join(self.whole_log())}") from None

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited: {self.printed()}{''.join(self.log)}")
        return super()._answers()

    def _log(self) -> None:
        assert self.process.stderr is not None
        self.log.extend(self.process.stderr)

    def whole_log(self) -> list[str]:
        """Every line it logged, once it has stopped."""
        self.stop()
        for reader in self.readers:
            reader.join(timeout=10)
        return [line.rstrip("\n") for line in self.log]


def parsed(lines: list[str]) -> list[dict[str, Any]]:
    """Each line, a JSON object with its time (UTC), level and component."""
    objects = []
    for line in lines:
        line_object = json.loads(line)
        assert isinstance(line_object, dict), line
        at = datetime.fromisoformat(line_object["time"])
        assert at.utcoffset() == timedelta(0) and abs(datetime.now(UTC) - at) < timedelta(minutes=5), line
        assert line_object["level"] in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), line
        assert re.fullmatch(r"[\w.]+", line_object["component"]) and isinstance(line_object["message"], str), line
        objects.append(line_object)
    return objects


@pytest.mark.slow  # a real server
def test_a_json_log_has_one_object_a_line_one_access_line_per_request_and_no_key_name_or_address(
    database_url: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "admin.key"
    env = {"COMMITMENTS_LOG_FORMAT": "json", "COMMITMENTS_FIRST_ADMIN_KEY_FILE": str(key_file)}
    server = LoggingServer(database_url, tmp_path, env)
    try:
        key = key_file.read_text().strip()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
            named = {**party("ZQRF"), "names": {"texts": {"en": PARTY_NAME}}}
            created = client.post("/parties", json=named)
            assert created.status_code == 201, created.text
            party_id = created.json()["id"]
            contact = {"name": CONTACT_NAME, "address": CONTACT_ADDRESS, "language": "en", "frequency": "weekly"}
            kept_contact = client.post(f"/parties/{party_id}/contacts", json=contact)
            assert kept_contact.status_code == 200, kept_contact.text
            asked = [  # each answer, its method, route template, status, and whether the key was known
                (created, "POST", "/parties", 201, True),
                (kept_contact, "POST", "/parties/{party_id}/contacts", 200, True),
                (client.get("/search", params={"q": CONTACT_ADDRESS}), "GET", "/search", 200, True),
                (
                    client.get(f"/parties/{party_id}", headers={"X-Request-ID": "trace-42.A_b"}),
                    "GET",
                    "/parties/{party_id}",
                    200,
                    True,
                ),
                (client.get(f"/no/such/{CONTACT_ADDRESS}"), "GET", UNMATCHED, 404, False),
                (
                    client.get(f"/commitments/{uuid4()}", headers={"X-Request-ID": CONTACT_NAME}),
                    "GET",
                    "/commitments/{commitment_id}",
                    404,
                    True,
                ),
                (
                    client.get("/parties", headers={"Authorization": f"Bearer {GUESSED}"}),
                    "GET",
                    "/parties",
                    401,
                    False,
                ),
            ]
        assert asked[3][0].headers["x-request-id"] == "trace-42.A_b"  # a safe id is kept
        assert re.fullmatch(r"[0-9a-f]{16}", asked[5][0].headers["x-request-id"])  # any other is replaced
    finally:
        log = server.whole_log()
    printed = server.printed()
    lines = parsed(log)
    components = {line["component"] for line in lines}
    assert {"uvicorn.error", "commitments.access"} <= components
    assert "uvicorn.access" not in components
    access = [line for line in lines if line["component"] == "commitments.access"]
    for response, method, route, status, known in asked:
        mine = [line for line in access if line["request_id"] == response.headers["x-request-id"]]
        assert len(mine) == 1, (response.request.url.path, access)
        line = mine[0]
        assert (line["method"], line["route"], line["status"]) == (method, route, status)
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert line["message"] == f"{method} {route} {status} {line['duration_ms']:.1f} ms"
        assert ("actor" in line) == known and (not known or line["actor"].startswith("key_"))
    assert str(key_file) in printed and key not in printed
    everything = printed + "\n".join(log)
    for private in (key, GUESSED, PARTY_NAME, CONTACT_NAME, CONTACT_ADDRESS, party_id):
        assert private not in everything, private


@pytest.mark.slow  # a real server, with two worker processes
def test_every_text_line_of_a_service_with_several_workers_starts_with_its_time_level_and_component(
    tmp_path: Path,
) -> None:
    server = LoggingServer(f"sqlite:///{tmp_path / 'text.db'}", tmp_path, {"COMMITMENTS_LOG_FORMAT": "text"}, workers=2)
    try:
        answered = httpx.get(f"{server.url}/health", headers={"X-Request-ID": "text-1"}, timeout=10)
        assert answered.headers["x-request-id"] == "text-1"
    finally:
        log = server.whole_log()
    assert log
    for line in log:
        head = TEXT_HEAD.match(line)
        assert head, line
        assert abs(datetime.now(UTC) - datetime.fromisoformat(head.group(1))) < timedelta(minutes=5)
    started = {found.group(1) for line in log if (found := re.search(r"Started server process \[(\d+)\]", line))}
    assert len(started) == 2  # each worker process logs as the first one does
    access = [line for line in log if " commitments.access GET /health 200 " in line]
    assert len([line for line in access if line.endswith(" request_id=text-1")]) == 1


@pytest.mark.slow  # a real worker process
def test_the_worker_logs_through_the_same_configuration(tmp_path: Path) -> None:
    worker = subprocess.Popen(
        [*COMMAND, "worker", "--interval", "0.2", "--database-url", f"sqlite:///{tmp_path / 'worker.db'}"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COMMITMENTS_LOG_FORMAT": "json"},
        text=True,
        encoding="utf-8",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started: list[str] = []
    try:
        printed = worker.stdout
        assert printed is not None
        threading.Thread(target=lambda: started.append(printed.readline()), daemon=True).start()
        wait_for(lambda: started, 30, "the worker to start")
        assert started[0].startswith("worker running")
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, errors
    lines = parsed(errors.splitlines())
    said = [line["message"] for line in lines if line["component"] == "commitments.worker"]
    assert said[0].startswith("worker running: ") and said[-1] == "worker stopped"
