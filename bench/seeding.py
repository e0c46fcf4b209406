"""What the scenarios start from: a fresh database, the services on it, and records seeded fast."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import text

from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, TextInput
from domain.access import Principal, Role
from domain.meetings.meeting import Venue
from infrastructure.persistence.scratch import scratch_database
from infrastructure.settings import Settings

BENCH = Principal(id="bench", name="bench", role=Role.ADMIN)  # the key that records what is measured


@contextmanager
def database(engine: str) -> Iterator[str]:
    """A fresh, empty database for one measurement (created and dropped as the tests' are)."""
    with scratch_database(engine, "bench") as url:
        yield url


def services(url: str, **settings: Any) -> Services:
    return build(Settings(database_url=url, scan_interval=0, dispatch_interval=0, **settings))


def seed_meeting(s: Services, acronym: str = "SESRIC") -> tuple[str, str]:
    party = s.tracker.parties.register(BENCH, TextInput({"en": acronym}), acronym, "subsidiary_organ")
    meeting = s.tracker.meetings.record(
        BENCH,
        TextInput({"en": "General meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
    )
    return party.id, meeting.id


def clone_commitments(s: Services, count: int) -> None:
    """``count`` commitments in the event log, fast: the stored first event of a real one, under
    new ids (the stored state holds no id). Followers of the log are not run."""
    party_id, meeting_id = seed_meeting(s)
    template = s.tracker.commitments.record(
        BENCH,
        TextInput({"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the joint matrix"}, "ar"),
        uuid.UUID(party_id),
        uuid.UUID(meeting_id),
        due=DueInput("year", "2030"),
        status="agreed",
    )
    stored = next(iter(s.store.recorder.select_events(uuid.UUID(template.id))))
    # 1,000 at a time: psycopg's pipeline, which eventsourcing uses to insert on PostgreSQL, was seen
    # to stall for good on a single insert of 10,000 events (a command saves a handful).
    for start in range(0, count - 1, 1_000):
        s.store.recorder.insert_events(
            [StoredEvent(uuid.uuid4(), 1, stored.topic, stored.state) for _ in range(min(1_000, count - 1 - start))]
        )


def followed(s: Services, count: int) -> None:
    """``count`` commitments cloned (``clone_commitments``), then every follower of the log caught up:
    the read model, the outbox and the audit chain, as a running service would have them; on
    PostgreSQL, with what autovacuum does to tables after a bulk load (statistics, visibility map)."""
    clone_commitments(s, count)
    s.projector.catch_up()
    s.outbox.catch_up()
    s.audit.catch_up()
    if s.engine.dialect.name == "postgresql":
        with s.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
