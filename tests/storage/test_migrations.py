"""Upgrades without surprises (decision 0059): the tables beside the read model change shape through
Alembic revisions, once however many processes start together; a database made before migrations is
recognised, completed and upgraded with everything in it still working; a read model of another
version is rebuilt while the service answers 503 ``rebuilding``.

``tests/fixtures/before-migrations.sql`` was made by the code of the day before migrations (its
``create_all``): a SQLite database holding two keys, a contact, a subscription with a delivery and its
attempt, a calendar feed, a web session, an idempotency record, a digest sent, a refused request, a
heartbeat, the audit chain with its watch and signing key, and the events; ``before-migrations.json``
holds what only its maker knew (the keys, the session's token, the feed's address, the signed head).
The read model is not in it: it is rebuilt from the events.
"""

import argparse
import importlib
import json
import os
import pkgutil
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from eventsourcing.persistence import StoredEvent
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Column, Engine, MetaData, String, select, text, update

import infrastructure
from api.app import create_app
from api.bootstrap import Services, build
from api.cli.common import Refused
from api.cli.migrating import migrate
from api.rebuilding import Rebuilding
from application.inputs import DueInput, TextInput
from application.storage.store import EventStore
from domain.access import Role
from infrastructure.persistence import migrating
from infrastructure.persistence.database import create_table_engine, event_store_env
from infrastructure.persistence.migrations.baseline import BASELINE
from infrastructure.persistence.scratch import scratch_database
from infrastructure.read_model import tables as read_tables
from infrastructure.read_model.rebuilding import InBackground
from tests.actors import acting
from tests.conftest import ENGINES, settings_for_tests
from tests.fakes import FrozenClock
from tests.history.test_evolution import seed
from tests.server import wait_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BEFORE = FIXTURES / "before-migrations.sql"
KEPT = json.loads((FIXTURES / "before-migrations.json").read_text(encoding="utf-8"))
MADE_AT = datetime.fromisoformat(KEPT["made_at"])
DEADLINE = 30.0  # seconds any wait may last before the test fails


@pytest.fixture(params=ENGINES)
def empty(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with nothing in it at all (not a copy of the tests' template, which is migrated)."""
    with scratch_database(request.param, "migrations") as url:
        yield url


@contextmanager
def engine_on(url: str) -> Iterator[Engine]:
    engine = create_table_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def differences(engine: Engine, metadata: MetaData) -> list[Any]:
    """What Alembic's autogenerate would change to make the database's tables those of ``metadata``."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": migrating.ours, "compare_type": True})
        return list(compare_metadata(context, metadata))


def every_infrastructure_module() -> None:
    """Import every module of the infrastructure, so that a table any of them declares is on the metadata."""
    for module in pkgutil.walk_packages(infrastructure.__path__, "infrastructure."):
        if ".migrations." not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


# -- the revisions give the shape the code declares --------------------------------------------------


def test_the_migrated_tables_are_every_table_the_code_declares_beside_the_read_model(empty: str) -> None:
    every_infrastructure_module()
    with engine_on(empty) as engine:
        migrated = migrating.upgrade(engine)
        assert migrated.applied[0] == migrating.BASELINE_REVISION and migrated.after == migrating.head()
        assert differences(engine, migrating.target_metadata()) == []
        with engine.connect() as connection:
            assert migrating.current(connection) == migrating.head()
    assert not set(migrating.target_metadata().tables) & set(read_tables.read_metadata.tables)


def test_the_comparison_sees_a_column_no_revision_adds(empty: str) -> None:
    changed = MetaData()
    for table in migrating.target_metadata().sorted_tables:
        table.to_metadata(changed)
    changed.tables["api_keys"].append_column(Column("nickname", String(40), nullable=True))
    with engine_on(empty) as engine:
        migrating.upgrade(engine)
        assert [(kind, table, column.name) for kind, _, table, column in differences(engine, changed)] == [
            ("add_column", "api_keys", "nickname")
        ]


def test_a_database_at_the_latest_revision_is_left_as_it_is(empty: str) -> None:
    with engine_on(empty) as engine:
        migrating.upgrade(engine)
        again = migrating.upgrade(engine)
    assert (again.before, again.applied, again.adopted) == (migrating.head(), (), False)
    assert "nothing to do" in again.said()


def test_a_database_migrated_by_a_newer_version_is_refused(empty: str) -> None:
    with engine_on(empty) as engine:
        migrating.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(migrating.SchemaNewerThanCode, match="9999"):
            migrating.upgrade(engine)
    with pytest.raises(Refused, match="newer version"):
        migrate(argparse.Namespace(database_url=empty, json=False))


def test_the_migrate_command_migrates_once_and_then_says_there_is_nothing_to_do(
    empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert migrate(argparse.Namespace(database_url=empty, json=True)) == 0
    first = json.loads(capsys.readouterr().out)
    assert first == {
        "before": None,
        "after": migrating.head(),
        "applied": list(migrating._between(None, migrating.head())),
        "adopted": False,
        "added": [],
    }
    assert migrate(argparse.Namespace(database_url=empty, json=False)) == 0
    assert "nothing to do" in capsys.readouterr().out


# -- processes starting together -----------------------------------------------------------------------


def waiting_for_the_migration_lock(url: str) -> int:
    """How many connections or open files wait for the migration lock now."""
    if url.startswith("postgresql"):
        with engine_on(url) as engine, engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND NOT granted"),
                    {"key": migrating.MIGRATION_LOCK},
                ).scalar_one()
            )
    inode = os.stat(f"{url.removeprefix('sqlite:///')}.migrate-lock").st_ino
    with open("/proc/locks", encoding="ascii") as locks:  # a waiter's line reads "N: -> FLOCK ... dev:inode ..."
        return sum(1 for line in locks if " -> " in line and line.split()[6].endswith(f":{inode}"))


def test_processes_starting_together_on_an_empty_database_migrate_it_once(empty: str) -> None:
    """Both wait for the lock at the same time (the test holds it until they do): one migrates, the other
    finds the tables at the latest revision."""
    engines = [create_table_engine(empty) for _ in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            with engine_on(empty) as holder, migrating.one_migration_at_a_time(holder):
                starting = [pool.submit(migrating.upgrade, engine) for engine in engines]
                wait_for(lambda: waiting_for_the_migration_lock(empty) == 2, DEADLINE, "both to wait for the lock")
            results = [future.result(timeout=DEADLINE) for future in starting]
        assert sorted(result.applied for result in results) == [(), migrating._between(None, migrating.head())]
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                migrating.head()
            ]
    finally:
        for engine in engines:
            engine.dispose()


def test_two_services_starting_together_on_an_empty_database_both_start(empty: str) -> None:
    barrier = threading.Barrier(2)

    def start() -> int:
        barrier.wait(DEADLINE)
        with build(settings_for_tests(empty)) as services:
            return services.keys.count_active()

    with ThreadPoolExecutor(2) as pool:
        assert [f.result(timeout=DEADLINE * 2) for f in [pool.submit(start) for _ in range(2)]] == [0, 0]
    with engine_on(empty) as engine:
        assert differences(engine, migrating.target_metadata()) == []


# -- a database made before migrations -------------------------------------------------------------------


def loaded_before_migrations(url: str) -> None:
    """The fixture's database, as the code before migrations left it (SQLite: its dump loaded)."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.executescript(BEFORE.read_text(encoding="utf-8"))
    connection.close()


def copied_to_postgresql(url: str) -> None:
    """The same rows in tables made by ``create_all`` of the day (the baseline) on PostgreSQL, and the same
    events at the same positions."""
    with scratch_database("sqlite", "before") as source:
        loaded_before_migrations(source)
        with engine_on(source) as sqlite, engine_on(url) as postgresql:
            BASELINE.create_all(postgresql)
            with sqlite.connect() as reading, postgresql.begin() as writing:
                for table in BASELINE.sorted_tables:
                    rows = [
                        {key: _aware(value) for key, value in row._mapping.items()}
                        for row in reading.execute(select(table))
                    ]
                    if rows:
                        writing.execute(table.insert(), rows)
                writing.execute(  # as the rows' own inserts would have left it
                    text("SELECT setval(pg_get_serial_sequence('access_denials', 'id'), max(id)) FROM access_denials")
                )
        events = EventStore({**event_store_env(source), "CREATE_TABLE": "no"})
        stored = [
            StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
            for n in events.recorder.select_notifications(1, 10_000)
        ]
        events.close()
    target = EventStore(event_store_env(url))
    target.recorder.insert_events(stored)
    target.close()


def _aware(value: object) -> object:
    """SQLite gives back the instants it stores as naive UTC."""
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


@pytest.fixture(params=ENGINES)
def before_migrations(request: pytest.FixtureRequest) -> Iterator[str]:
    with scratch_database(request.param, "before") as url:
        (loaded_before_migrations if request.param == "sqlite" else copied_to_postgresql)(url)
        yield url


def test_a_database_made_before_migrations_is_stamped_and_everything_in_it_still_works(
    before_migrations: str,
) -> None:
    with engine_on(before_migrations) as engine, engine.connect() as connection:
        assert migrating.current(connection) is None
    with build(settings_for_tests(before_migrations), clock=FrozenClock(MADE_AT)) as services:
        with services.engine.connect() as connection:
            assert migrating.current(connection) == migrating.head()
        assert differences(services.engine, migrating.target_metadata()) == []
        everything_kept_works(services)


def everything_kept_works(services: Services) -> None:
    admin = services.keys.authenticate(KEPT["admin_key"])
    coordinator = services.keys.authenticate(KEPT["coordinator_key"])
    assert admin is not None and admin.name == "kept admin" and admin.role is Role.ADMIN
    assert coordinator is not None and coordinator.role is Role.COORDINATOR
    session = services.web_sessions.find(KEPT["session_token"])
    assert session is not None and session.principal.id == coordinator.id
    oic = KEPT["party_ids"]["OIC"]
    assert services.idempotency.find(coordinator.id, "kept-request-1") is not None
    assert services.unsubscribe.read(KEPT["unsubscribe_token"]) == (UUID(oic), UUID(KEPT["digest_contact_id"]))
    assert [digest["message_id"] for digest in services.mailer.sent(oic)] == ["<kept@tracker.example.org>"]
    assert [denial["status"] for denial in services.denials.recent()[0]] == [401]
    assert "scanner" in services.heartbeats.last()
    assert services.audit.verify().intact
    head = services.audit.head()
    assert (head["position"], head["link"], head["public_key"]) == (
        KEPT["audit_head"]["position"],
        KEPT["audit_head"]["link"],
        KEPT["audit_head"]["public_key"],
    )
    app = create_app(services=services)
    with TestClient(app) as client:
        as_admin = {"Authorization": f"Bearer {KEPT['admin_key']}"}
        assert client.get("/me", headers=as_admin).json()["name"] == "kept admin"
        subscriptions = client.get("/subscriptions", headers=as_admin).json()["items"]
        assert [s["id"] for s in subscriptions] == [KEPT["subscription_id"]]
        deliveries = client.get(f"/subscriptions/{KEPT['subscription_id']}/deliveries", headers=as_admin).json()
        assert [delivery["attempts"] for delivery in deliveries["items"]] == [1]
        detail = client.get(f"/deliveries/{deliveries['items'][0]['id']}", headers=as_admin).json()
        assert len(detail["attempt_log"]) == 1
        party = client.get(f"/parties/{oic}", headers=as_admin).json()
        assert [contact["address"] for contact in party["contacts"]] == ["focal.point@oic-oci.org"]
        feed = client.get(KEPT["calendar"]["url"].removeprefix("http://testserver"))
        assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
        commitment = client.get(f"/commitments/{KEPT['commitment_id']}", headers=as_admin)
        assert commitment.status_code == 200
        assert client.get("/commitments", headers=as_admin).json()["total"] == 1


def test_a_database_last_started_before_a_column_existed_gets_it_before_it_is_stamped() -> None:
    with scratch_database("sqlite", "before") as url:
        loaded_before_migrations(url)
        with engine_on(url) as engine:
            with engine.begin() as connection:
                connection.execute(text("ALTER TABLE api_keys DROP COLUMN made_by_form"))
                connection.execute(text("DROP TABLE mail_digests"))
            migrated = migrating.upgrade(engine)
            assert migrated.adopted and set(migrated.added) == {"mail_digests", "api_keys.made_by_form"}
            assert differences(engine, migrating.target_metadata()) == []


# -- a read model of another version is rebuilt while the service answers -------------------------------


def with_the_rebuilding_answer(app: FastAPI) -> FastAPI:
    """The app as ``api.app`` makes it, with the middleware (once ``api.app`` adds it, as it is)."""
    if all(getattr(middleware, "cls", None) != Rebuilding for middleware in app.user_middleware):
        app.add_middleware(Rebuilding)
    return app


def test_a_service_whose_read_model_is_rebuilt_answers_503_rebuilding_until_it_is_done(database_url: str) -> None:
    clock = FrozenClock()
    with build(settings_for_tests(database_url), clock=clock) as before:
        party_id, meeting_id = seed(before.tracker)
        before.tracker.commitments.record(
            acting("key_a"), TextInput({"en": "Kept"}), party_id, meeting_id, due=DueInput("year", "2024")
        )
        _, key = before.keys.create(Role.COORDINATOR, "reader")
        with before.engine.begin() as connection:
            connection.execute(
                update(read_tables.projection_state).values(schema_version=read_tables.READ_MODEL_VERSION - 1)
            )
    holding, released = threading.Event(), threading.Event()

    def held(reached: int, latest: int) -> None:
        holding.set()
        released.wait(DEADLINE)

    settings = settings_for_tests(database_url, scan_interval=60)
    services = build(settings, clock=clock, rebuild_in_background=InBackground(behind=0, before_step=held))
    try:
        assert services.rebuilding.running and holding.wait(DEADLINE)  # build returned; the rebuild waits
        scanner, _ = services.background_jobs()["scanner"]
        with TestClient(with_the_rebuilding_answer(create_app(services=services))) as client:
            headers = {"Authorization": f"Bearer {key}"}
            refused = [
                client.get("/commitments", headers=headers),
                client.post("/parties", json={"names": {"texts": {"en": "Late"}}, "kind": "state"}, headers=headers),
                client.get("/app/", headers=headers),
            ]
            for answer in refused:
                assert answer.status_code == 503, answer.text
                assert answer.headers["content-type"] == "application/problem+json"
                assert 1 <= int(answer.headers["retry-after"]) <= 60
                body = answer.json()
                assert body["type"] == "/problems/rebuilding" and "rebuilt" in body["title"]
                assert (body["reached"], body["latest"]) == (0, services.store.recorder.max_notification_id())
            assert client.get("/health").status_code == 200
            scanner()
            assert "scanner" not in services.heartbeats.last()  # it waits for the rebuild
            released.set()
            assert services.rebuilding.wait(DEADLINE)
            listed = client.get("/commitments", headers=headers)
            assert listed.status_code == 200 and listed.json()["total"] == 1
            assert services.rebuilding.reached == services.store.recorder.max_notification_id()
            scanner()
            assert "scanner" in services.heartbeats.last()
    finally:
        released.set()
        services.close()


def test_a_read_model_a_few_events_behind_is_caught_up_before_the_service_answers(database_url: str) -> None:
    with build(settings_for_tests(database_url)) as before:
        seed(before.tracker)
        with before.engine.begin() as connection:
            connection.execute(
                update(read_tables.projection_state).values(schema_version=read_tables.READ_MODEL_VERSION - 1)
            )
    with build(settings_for_tests(database_url), rebuild_in_background=InBackground(behind=1_000)) as services:
        assert not services.rebuilding.running and services.rebuild is None
        assert services.projector.position() == services.store.recorder.max_notification_id()
