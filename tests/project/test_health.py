"""Each process tells the truth about itself (decision 0058): ``/ready`` says whether this process can
serve, ``/status`` how the deployment is doing, ``commitments worker --health`` whether the worker's jobs
tick. A database that does not answer at start is one line and exit status 2 (or is waited for); one lost
while serving is answered 503 with Retry-After and logged once; a background job backs off. PostgreSQL is
made unreachable through a relay that the tests cut and restore; SQLite, by moving its folder away."""

import contextlib
import logging
import os
import queue
import socket
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
import pytest
from sqlalchemy import exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from api import problems
from api.bootstrap import Services, build
from infrastructure.operations.readiness import Heartbeats
from infrastructure.operations.ticks import LONGEST_WAIT, Backoff
from infrastructure.persistence.database import create_reading_engine, create_table_engine
from infrastructure.persistence.scratch import LOCAL_SERVER
from tests.conftest import Api, api_of, settings_for_tests
from tests.copies import Copies
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.server import COMMAND, ROOT, Server, free_port, wait_for
from tests.world import World

SECRET = "s3cret-pw"  # a password no line may show


class Relay:
    """A TCP relay to the local PostgreSQL: ``down`` closes every connection through it and stops
    listening (a server gone, a network cut), ``up`` listens again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: down
            try:
                server = socket.create_connection(("127.0.0.1", 5432))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def down(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread waiting in accept: it stops listening now
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            cut, self.sockets = self.sockets, set()
        for end in cut:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def url(self, database_url: str) -> str:
        """``database_url`` reached through this relay."""
        return make_url(database_url).set(port=self.port).render_as_string(hide_password=False)


@pytest.fixture
def relay() -> Iterator[Relay]:
    made = Relay()
    yield made
    made.down()


@pytest.fixture
def postgres_world(copies: Copies, world_schema: dict[str, tuple[str, World]]) -> Iterator[tuple[str, World]]:
    template, world = world_schema["postgresql"]
    with copies.copy(template) as url:
        yield url, world


def run(*arguments: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *arguments],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines_of(stream: IO[str]) -> "queue.Queue[str]":
    """The lines a process writes, as they come (a thread reads them)."""
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            found.put(line)

    threading.Thread(target=read, daemon=True).start()
    return found


def next_line(lines: "queue.Queue[str]", deadline: float = 60.0) -> str:
    try:
        return lines.get(timeout=deadline)
    except queue.Empty:
        raise TimeoutError(f"no line within {deadline} s") from None


def warnings_from(caplog: pytest.LogCaptureFixture, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger and r.levelno >= logging.WARNING]


# -- /ready is this process; /status is the deployment ------------------------------------------------------


def test_ready_stays_up_when_the_dispatcher_has_not_ticked_for_long_while_status_says_it_is_down(
    api: Api, services: Services, clock: FrozenClock
) -> None:
    ready = {"status": "up", "parts": {"database": "up", "event_store": "up"}}
    never = api.client.get("/status")  # the test's services run no background job: nothing has ticked
    assert never.status_code == 200
    assert never.json() == {
        "status": "degraded",
        "parts": {"database": "up", "read_model": "up", "scanner": "down", "dispatcher": "down", "audit_chain": "up"},
        "last_ticks": {"scanner": None, "dispatcher": None},
        "read_model_lag": 0,
    }
    answered = api.client.get("/ready")
    assert (answered.status_code, answered.json()) == (200, ready)
    for name in ("scanner", "dispatcher"):
        services.heartbeats.beat(name)
    ticking = api.client.get("/status").json()
    assert ticking["status"] == "up" and set(ticking["parts"].values()) == {"up"}
    assert ticking["last_ticks"] == dict.fromkeys(("scanner", "dispatcher"), clock.now.isoformat())
    clock.advance(hours=1)  # the worker stopped an hour ago
    answered = api.client.get("/ready")
    assert (answered.status_code, answered.json()) == (200, ready)  # this process still serves
    stopped = api.client.get("/status")
    assert stopped.status_code == 200  # the deployment's trouble never makes the process look down
    assert stopped.json()["status"] == "degraded"
    assert stopped.json()["parts"]["dispatcher"] == stopped.json()["parts"]["scanner"] == "down"
    assert stopped.json()["last_ticks"]["dispatcher"] == (clock.now - timedelta(hours=1)).isoformat()


def test_a_broken_audit_chain_shows_in_the_status_and_leaves_the_process_ready(
    api: Api, services: Services, world: World
) -> None:
    from eventsourcing.postgres import PostgresApplicationRecorder
    from eventsourcing.sqlite import SQLiteApplicationRecorder
    from sqlalchemy import text

    recorder = services.store.recorder
    assert isinstance(recorder, SQLiteApplicationRecorder | PostgresApplicationRecorder)
    with services.engine.begin() as connection:
        connection.execute(
            text(f"UPDATE {recorder.events_table_name} SET state = :state WHERE originator_version = 1"),
            {"state": b'{"edited": true}'},
        )
    services.audit_watch.tick()
    assert api.client.get("/ready").status_code == 200
    status = api.client.get("/status")
    assert (status.status_code, status.json()["status"], status.json()["parts"]["audit_chain"]) == (
        200,
        "degraded",
        "down",
    )


@pytest.mark.slow  # two real processes
def test_a_stopped_worker_is_unhealthy_while_the_api_process_stays_ready(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/commitments.db"
    alone = {f"COMMITMENTS_{name}_INTERVAL": "0" for name in ("SCAN", "DISPATCH", "AUDIT_CHECK")}
    server = Server(url, tmp_path, env=alone)  # an API that runs no job: it relies on the worker
    worker = subprocess.Popen(
        [*COMMAND, "worker", "--database-url", url, "--interval", "1"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def healthy() -> bool:
            return run("worker", "--health", "--interval", "1", "--database-url", url).returncode == 0

        wait_for(healthy, 60, "the worker's jobs to tick")
        assert httpx.get(f"{server.url}/status").json()["parts"]["dispatcher"] == "up"
        worker.terminate()
        worker.wait(timeout=30)
        engine = create_table_engine(url)
        try:
            long_ago = datetime.now(UTC) - timedelta(minutes=10)  # as if it had stopped ten minutes ago
            for name in ("scanner", "dispatcher", "audit"):
                Heartbeats(engine, lambda: long_ago).beat(name)
        finally:
            engine.dispose()
        checked = run("worker", "--health", "--interval", "1", "--database-url", url)
        assert checked.returncode == 1
        said = (checked.stdout + checked.stderr).strip().splitlines()
        assert len(said) == 1 and said[0].startswith("unhealthy: "), said
        assert "dispatcher last ticked 6" in said[0] and "s ago (at most 33 s)" in said[0], said
        ready = httpx.get(f"{server.url}/ready")
        assert (ready.status_code, ready.json()["status"]) == (200, "up")
        status = httpx.get(f"{server.url}/status")
        assert (status.status_code, status.json()["parts"]["dispatcher"]) == (200, "down")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        server.stop()


def test_the_worker_health_check_is_one_line_and_exit_1_when_there_is_no_database(tmp_path: Path) -> None:
    closed = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{free_port()}/commitments"
    missing = tmp_path / "nothing" / "commitments.db"
    for url in (closed, f"sqlite:///{missing}"):
        checked = run("worker", "--health", "--database-url", url)
        said = (checked.stdout + checked.stderr).strip().splitlines()
        assert checked.returncode == 1, said
        assert len(said) == 1 and said[0].startswith("unhealthy: "), said
        assert SECRET not in said[0]
    assert not missing.parent.exists()  # a health check creates nothing


# -- start-up -------------------------------------------------------------------------------------------------


@pytest.mark.slow  # a process per case
def test_a_database_that_does_not_answer_at_start_is_one_line_without_its_password_and_exit_status_2(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    closed_port = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{free_port()}/commitments"
    no_database = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:5432/commitments_no_such_database"
    no_host = f"postgresql+psycopg://postgres:{SECRET}@no-such-host.invalid:5432/commitments"
    no_folder = f"sqlite:///{tmp_path}/a-file/data/commitments.db"
    cases = [
        (["serve"], closed_port, "Connection refused"),
        (["serve"], no_database, 'database "commitments_no_such_database" does not exist'),
        (["serve"], no_host, "no-such-host.invalid"),
        (["serve"], no_folder, "cannot create the folder"),
        (["worker"], closed_port, "Connection refused"),
        (["keys", "list"], no_database, "does not exist"),
        (["projections", "status"], no_folder, "Not a directory"),
        (["backup", "--output", str(tmp_path / "backup")], closed_port, "Connection refused"),
    ]

    def attempt(case: tuple[list[str], str, str]) -> tuple[list[str], str, subprocess.CompletedProcess[str]]:
        command, url, _ = case
        return command, url, run(*command, "--database-url", url, cwd=tmp_path)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(attempt, cases))
    for (command, url, result), (_, _, cause) in zip(results, cases, strict=True):
        lines = result.stderr.strip().splitlines()
        shown = url.replace(SECRET, "***")
        assert result.returncode == 2, (command, url, result.stderr)
        assert len(lines) == 1, (command, url, result.stderr)
        assert lines[0].startswith(f"commitments: cannot reach the database at {shown}: "), lines[0]
        assert cause in lines[0], (cause, lines[0])
        assert SECRET not in result.stderr + result.stdout
    assert not (tmp_path / "backup").exists()


@pytest.mark.slow  # a process waiting for its database
def test_with_a_start_wait_a_command_waits_for_the_database_and_then_runs(
    relay: Relay, copies: Copies, empty_schema: dict[str, str]
) -> None:
    with copies.copy(empty_schema["postgresql"]) as url:
        process = subprocess.Popen(
            [*COMMAND, "keys", "list", "--database-url", relay.url(url)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "COMMITMENTS_START_WAIT": "120"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stderr is not None
            waiting = next_line(lines_of(process.stderr))
            assert waiting.startswith("commitments: waiting up to 120 s for the database at "), waiting
            assert "Connection refused" in waiting
            relay.up()  # the database comes up
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.slow  # a process waiting for its database
def test_a_start_wait_that_runs_out_is_refused_in_one_line_with_exit_status_2(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{free_port()}/commitments"
    result = run("keys", "list", "--database-url", url, env={"COMMITMENTS_START_WAIT": "1"}, cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == 2, lines  # that it waits, and that it gave up
    assert lines[0].startswith("commitments: waiting up to 1 s for the database at postgresql+psycopg://")
    assert lines[1].startswith("commitments: cannot reach the database at postgresql+psycopg://")
    assert SECRET not in result.stderr


# -- a database lost while serving ---------------------------------------------------------------------------


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] in ("/problems/database-unavailable", "/problems/connection-lost")


def test_a_postgresql_database_lost_while_serving_is_answered_503_with_retry_after_and_logged_once(
    relay: Relay, postgres_world: tuple[str, World], caplog: pytest.LogCaptureFixture
) -> None:
    url, world = postgres_world
    relay.up()
    with (
        build(settings_for_tests(relay.url(url)), clock=FrozenClock()) as services,
        api_of(services) as api,
    ):
        assert api.get(f"/commitments/{world.commitment}").status_code == 200
        caplog.set_level(logging.WARNING, logger="commitments")
        relay.down()
        for _ in range(2):
            assert_unavailable(api.get(f"/commitments/{world.commitment}"))
            assert_unavailable(api.get("/commitments"))
            assert_unavailable(api.get("/parties"))
            assert_unavailable(api.post("/commitments", commitment(world.meeting, world.sesric)))
        ready = api.client.get("/ready")
        assert (ready.status_code, ready.json()["parts"]) == (503, {"database": "down", "event_store": "down"})
        status = api.client.get("/status")
        assert status.status_code == 200
        assert status.json()["parts"] == {
            "database": "down",
            **dict.fromkeys(("read_model", "scanner", "dispatcher", "audit_chain"), "unknown"),
        }
        said = warnings_from(caplog, "commitments.api")
        assert len(said) == 1, [r.getMessage() for r in said]  # one line for the outage, not one per request
        assert "the database does not answer (" in said[0].getMessage() and said[0].exc_info is None
        assert not [r for r in caplog.records if "unexpected error" in r.getMessage()]
        relay.up()
        wait_for(lambda: api.get(f"/commitments/{world.commitment}").status_code == 200, 30, "the database again")
        assert api.post("/commitments", commitment(world.meeting, world.sesric)).status_code == 201
        assert api.client.get("/ready").status_code == 200


def test_a_sqlite_database_whose_folder_is_gone_is_answered_503_with_retry_after(
    copies: Copies, world_schema: dict[str, tuple[str, World]]
) -> None:
    template, world = world_schema["sqlite"]
    with (
        copies.copy(template) as url,
        build(settings_for_tests(url), clock=FrozenClock()) as services,
        api_of(services) as api,
    ):
        folder = Path(make_url(url).database or "").parent
        away = folder.with_name(folder.name + "-away")
        folder.rename(away)  # a volume unmounted
        try:
            services.connections_lost()  # the pools' open files would go on: the next connections are new
            assert_unavailable(api.get("/commitments"))
            assert_unavailable(api.post("/commitments", commitment(world.meeting, world.sesric)))
            assert api.client.get("/ready").status_code == 503
            assert api.client.get("/status").json()["parts"]["database"] == "down"
        finally:
            away.rename(folder)
        services.connections_lost()
        assert api.get("/commitments").status_code == 200
        assert api.post("/commitments", commitment(world.meeting, world.sesric)).status_code == 201


def test_every_connection_in_use_is_answered_503_busy_not_500() -> None:
    assert problems.classify(exc.TimeoutError("QueuePool limit of size 1 overflow 0 reached")) == (
        503,
        "busy",
        "The service is busy",
    )


# -- background jobs back off ----------------------------------------------------------------------------------


class Seconds:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_tick_that_cannot_reach_the_database_logs_once_backs_off_and_logs_once_when_it_answers_again(
    relay: Relay, copies: Copies, empty_schema: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    relay.up()
    with copies.copy(empty_schema["postgresql"]) as url, build(settings_for_tests(relay.url(url))) as services:
        tried: list[float] = []
        seconds = Seconds()

        def dispatch() -> None:
            tried.append(seconds.now)
            services.dispatcher.tick()

        tick = Backoff("dispatcher", dispatch, 2.0, clock=seconds)
        tick()
        assert tried == [1_000.0]
        caplog.set_level(logging.INFO, logger="commitments.ticks")
        relay.down()
        waits = []
        for _ in range(8):  # each try fails; between them, the ticks every 2 s are skipped
            tick()
            waits.append(tick.wait)
            seconds.now += 2.0
            tick()  # too soon: skipped
            seconds.now = tick.next_try
        assert len(tried) == 9  # 1 before, 8 while down: none of the ticks in between
        assert waits == [4.0, 8.0, 16.0, 32.0, LONGEST_WAIT, LONGEST_WAIT, LONGEST_WAIT, LONGEST_WAIT]
        down = warnings_from(caplog, "commitments.ticks")
        assert len(down) == 1, [r.getMessage() for r in down]
        assert down[0].getMessage().startswith("the dispatcher tick cannot reach the database (")
        assert down[0].exc_info is None
        relay.up()
        for _ in range(3):  # a connection closed while down may fail the first try
            tick()
            if tick.failing_since is None:
                break
            seconds.now = tick.next_try
        assert tick.failing_since is None
        back = warnings_from(caplog, "commitments.ticks")[1:]
        assert len(back) == 1 and back[0].getMessage().startswith("the dispatcher tick works again, after ")


def test_a_tick_failing_the_same_way_again_and_again_logs_its_traceback_once(caplog: pytest.LogCaptureFixture) -> None:
    seconds = Seconds()

    def broken() -> None:
        raise RuntimeError("a bug")

    tick = Backoff("scanner", broken, 60.0, clock=seconds)
    caplog.set_level(logging.INFO, logger="commitments.ticks")
    for _ in range(5):
        tick()
        seconds.now = tick.next_try
    said = warnings_from(caplog, "commitments.ticks")
    assert len(said) == 1 and said[0].exc_info is not None and "RuntimeError: a bug" in said[0].getMessage()
    assert tick.wait == 60.0  # never more often than its own interval, never less than every minute


# -- pools --------------------------------------------------------------------------------------------------


def connections_to(url: str) -> int:
    with psycopg.connect(LOCAL_SERVER, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (make_url(url).database,)
        ).fetchone()
    return int(row[0]) if row else 0


def settles_at(url: str, count: int) -> bool:
    """PostgreSQL ends a backend a moment after its client hangs up: wait for the count, with a deadline."""
    try:
        wait_for(lambda: connections_to(url) == count, 10.0, f"{count} connections")
    except TimeoutError:
        return False
    return True


def test_the_postgresql_engines_keep_the_pool_the_settings_say(copies: Copies, empty_schema: dict[str, str]) -> None:
    with copies.copy(empty_schema["postgresql"]) as url:
        with build(settings_for_tests(url, pool_size=2, pool_overflow=1)) as services:
            for engine in (services.engine, services.reading_engine):
                assert isinstance(engine.pool, QueuePool)
                assert (engine.pool.size(), engine.pool._max_overflow) == (2, 1)
        assert settles_at(url, 0)
        for create in (create_table_engine, create_reading_engine):
            engine = create(url, pool_size=2, pool_overflow=1)
            try:
                held = [engine.connect() for _ in range(3)]
                for connection in held:
                    connection.exec_driver_sql("SELECT 1")
                assert connections_to(url) == 3  # the pool's two, and one beyond them
                for connection in held:
                    connection.close()
                assert settles_at(url, 2)  # the one beyond them is closed when given back
            finally:
                engine.dispose()
