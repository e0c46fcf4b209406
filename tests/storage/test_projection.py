"""The read model is the event log projected exactly once: rebuilt, it is the same."""

from typing import Any

import pytest
from eventsourcing.persistence import Recording
from sqlalchemy import Connection, Engine, text

from api.bootstrap import Services
from application.inputs import TextInput
from application.ports import Saved
from application.storage.saving import Records
from application.tracker import Tracker
from infrastructure.log.aggregates import BatchReader
from infrastructure.log.follower import LogFollower, follow_together
from infrastructure.log.writer import SqlWriter
from infrastructure.read_model import rebuilding
from infrastructure.read_model.projector import Projector
from infrastructure.read_model.tables import read_metadata
from tests.actors import acting
from tests.fakes import FailingFollower, FrozenClock
from tests.recorded_history import PATHS, record_history


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    with engine.connect() as connection:
        for table in read_metadata.sorted_tables:
            tables[table.name] = sorted(tuple(row) for row in connection.execute(table.select()))
        tables["search_index"] = sorted(
            tuple(row) for row in connection.execute(text("SELECT entity_kind, entity_id, body FROM search_index"))
        )
    return tables


def test_a_rebuild_equals_the_read_model_built_as_events_came(services: Services, clock: FrozenClock) -> None:
    history = record_history(services.tracker, clock)
    incremental = dump(services.engine)
    assert len(incremental["commitments_view"]) == len(history["commitments"]) > 200
    statuses = {row[4] for row in incremental["commitments_view"]}
    assert statuses == {
        "draft",
        "noted",
        "agreed",
        "in_progress",
        "stalled",
        "suspended",
        "delivered",
        "fulfilled",
        "partially_fulfilled",
        "not_fulfilled",
        "cancelled",
        "superseded",
    } - {"not_fulfilled"}
    assert len(PATHS) >= 15
    position = services.projector.rebuild()
    assert position == services.store.recorder.max_notification_id()
    assert dump(services.engine) == incremental
    told: list[tuple[int, int]] = []  # in steps, telling how far it has come (the CLI's progress bar)
    assert services.projector.rebuild(lambda reached, latest: told.append((reached, latest)), step=500) == position
    assert dump(services.engine) == incremental
    assert told[-1] == (position, position) and len(told) >= position // 500
    assert [reached for reached, _ in told] == sorted(reached for reached, _ in told)


@pytest.mark.slow  # two processes
def test_a_rebuild_in_two_processes_equals_the_read_model_built_as_events_came(
    services: Services, clock: FrozenClock
) -> None:
    record_history(services.tracker, clock, commitments=60)
    incremental = dump(services.engine)
    told: list[tuple[int, int]] = []
    position = rebuilding.rebuild(
        services.settings.database_url, services.projector, 2, lambda reached, latest: told.append((reached, latest))
    )
    assert position == services.store.recorder.max_notification_id() == services.projector.position()
    assert dump(services.engine) == incremental
    assert told[-1] == (position, position)


def test_the_follow_up_of_the_history_was_fulfilled(services: Services, clock: FrozenClock) -> None:
    history = record_history(services.tracker, clock, commitments=5)
    assert services.tracker.commitments.get(history["commitments"][0]).status == "fulfilled"


def test_catching_up_again_applies_nothing_twice(services: Services, clock: FrozenClock) -> None:
    record_history(services.tracker, clock, commitments=12)
    before = dump(services.engine)
    position = services.projector.position()
    assert services.projector.catch_up() == position
    assert dump(services.engine) == before


def without_followers(services: Services, clock: FrozenClock) -> Tracker:
    """The use cases as in a process that saves events and dies before its followers run."""
    return Tracker.on(Records(services.store, clock))


def projector_of(services: Services, kind: type[Projector] = Projector) -> Projector:
    """Another projector of the same read model, as another worker builds it (with nothing in memory)."""
    return kind(
        services.engine, services.store.recorder, services.store.mapper.to_domain_event, BatchReader(services.store)
    )


def followed_by(services: Services, clock: FrozenClock, *followers: LogFollower) -> Tracker:
    """The use cases, their saves followed by these followers."""
    return Tracker.on(
        Records(
            services.store,
            clock,
            SqlWriter(services.writing_engine, services.store, list(followers)),
            BatchReader(services.store),
        )
    )


class Crash(Exception):
    pass


class CrashingProjector(Projector):
    """A projector whose process dies after it wrote a batch, before the transaction commits."""

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        super().handle(connection, notifications, saved)
        raise Crash()


class BrokenProjector(Projector):
    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        raise RuntimeError("disk full")


def test_a_crash_before_commit_leaves_the_position_and_the_tables_unchanged(
    services: Services, clock: FrozenClock
) -> None:
    history = record_history(services.tracker, clock, commitments=12)
    commitment_id = history["commitments"][2]  # a noted commitment
    without_followers(services, clock).commitments.act("cancel", commitment_id, acting("key_x"), "dropped")
    before = dump(services.engine)
    position = services.projector.position()
    with pytest.raises(Crash):
        projector_of(services, CrashingProjector).catch_up()
    assert services.projector.position() == position
    assert dump(services.engine) == before

    services.projector.catch_up()
    assert services.projector.position() == services.store.recorder.max_notification_id()
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[commitment_id] == "cancelled"


def test_a_failing_projection_does_not_fail_the_command_and_is_caught_up_later(
    services: Services, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    history = record_history(services.tracker, clock, commitments=3)
    broken = followed_by(services, clock, projector_of(services, BrokenProjector), services.outbox, services.audit)
    view = broken.commitments.act("cancel", history["commitments"][2], acting("key_x"), "dropped")
    assert view.status == "cancelled"
    assert "could not catch up" in caplog.text
    # The other followers of the log are not held back by the failing one.
    latest = services.store.recorder.max_notification_id()
    assert latest is not None
    assert services.outbox.position() == services.audit.position() == latest > services.projector.position()
    services.tracker.commitments.act("start", history["commitments"][3], acting("key_x"))
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[history["commitments"][2]] == "cancelled"


def test_when_following_together_fails_after_the_read_model_the_read_model_still_catches_up_alone(
    services: Services, clock: FrozenClock
) -> None:
    """The read model starts from the commitment as the command read it; if a later follower
    fails, the transaction is undone and the read model tries again alone: it must not start
    from the state the failed attempt had already moved on."""
    history = record_history(services.tracker, clock, commitments=3)
    fails_once = FailingFollower(services.engine, services.store.recorder, failures=1)
    fails_once.start(at_the_end=True)
    projector = projector_of(services)  # as in a worker that did not project the commitment
    followed_by(services, clock, projector, fails_once).commitments.act(
        "cancel", history["commitments"][2], acting("key_x"), "dropped"
    )
    latest = services.store.recorder.max_notification_id()
    assert projector.position() == fails_once.position() == latest
    assert fails_once.handled == [latest]
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[history["commitments"][2]] == "cancelled"


def test_events_no_follower_saw_are_read_from_the_log_by_the_next_command(
    services: Services, clock: FrozenClock
) -> None:
    """A command's own events are usually the next ones; when others came first, the followers
    read those from the log too (and when far behind, each catches up batch by batch)."""
    record_history(services.tracker, clock, commitments=3)

    def register(tracker: Tracker, acronym: str) -> str:
        return tracker.parties.register(acting("key_x"), TextInput({"en": f"Party {acronym}"}), acronym, "ngo").id

    unseen_ids = [register(without_followers(services, clock), acronym) for acronym in ("UNSEEN1", "UNSEEN2")]
    unseen = list(services.store.recorder.select_notifications(services.projector.position() + 1, 10))
    assert len(unseen) == 2
    followers = [services.projector, services.outbox, services.audit]
    before = dump(services.engine)
    last_only = Saved(recordings=[Recording(None, unseen[1])])  # type: ignore[arg-type]  # only its notification is read
    with services.engine.begin() as connection:
        assert not follow_together(connection, services.store.recorder, followers, last_only, limit=1)
    assert dump(services.engine) == before

    last_id = register(services.tracker, "LAST")
    latest = services.store.recorder.max_notification_id()
    assert services.projector.position() == services.outbox.position() == services.audit.position() == latest
    parties = {row[0] for row in dump(services.engine)["parties_view"]}
    assert {*unseen_ids, last_id} <= parties
    assert services.audit.verify().intact
    incremental = dump(services.engine)
    services.projector.rebuild()
    assert dump(services.engine) == incremental
