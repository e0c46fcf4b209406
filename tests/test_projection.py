"""The read model is the event log projected exactly once: rebuilt, it is the same."""

from typing import Any

import pytest
from sqlalchemy import Engine, text

from application.inputs import TextInput
from infrastructure import log_follower
from infrastructure.bootstrap import Services
from infrastructure.read_tables import read_metadata
from tests.fakes import FrozenClock
from tests.history import PATHS, record_history


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    with engine.connect() as connection:
        for table in read_metadata.sorted_tables:
            tables[table.name] = sorted(tuple(row) for row in connection.execute(table.select()))
        tables["search_index"] = sorted(tuple(row) for row in connection.execute(
            text("SELECT entity_kind, entity_id, body FROM search_index")))
    return tables


def test_a_rebuild_equals_the_read_model_built_as_events_came(services: Services, clock: FrozenClock) -> None:
    history = record_history(services.tracker, clock)
    incremental = dump(services.engine)
    assert len(incremental["commitments_view"]) == len(history["commitments"]) > 200
    statuses = {row[4] for row in incremental["commitments_view"]}
    assert statuses == {"draft", "noted", "agreed", "in_progress", "stalled", "suspended", "delivered", "fulfilled",
                        "partially_fulfilled", "not_fulfilled", "cancelled", "superseded"} - {"not_fulfilled"}
    assert len(PATHS) >= 15
    assert len(incremental["matrix_rows_view"]) == 7  # six adopted with the matrix, one added later
    position = services.projector.rebuild()
    assert position == services.tracker.recorder.max_notification_id()
    assert dump(services.engine) == incremental


def test_the_follow_up_of_the_history_was_fulfilled(services: Services, clock: FrozenClock) -> None:
    history = record_history(services.tracker, clock, commitments=5)
    assert services.tracker.get_commitment(history["commitments"][0]).status == "fulfilled"


def test_catching_up_again_applies_nothing_twice(services: Services, clock: FrozenClock) -> None:
    record_history(services.tracker, clock, commitments=12)
    before = dump(services.engine)
    position = services.projector.position()
    assert services.projector.catch_up() == position
    assert dump(services.engine) == before


def test_a_crash_before_commit_leaves_the_position_and_the_tables_unchanged(
    services: Services, clock: FrozenClock
) -> None:
    history = record_history(services.tracker, clock, commitments=12)
    services.tracker.after_save = None  # an event is written while no projector runs
    commitment_id = history["commitments"][2]  # a noted commitment
    services.tracker.cancel_commitment(commitment_id, "key_x", "dropped")
    before = dump(services.engine)
    position = services.projector.position()

    class Crash(Exception):
        pass

    def crash_after_writing(*args: Any) -> None:
        raise Crash()

    write = services.projector._write_versions  # the batch's last writes
    services.projector._write_versions = lambda *args: (write(*args), crash_after_writing())  # type: ignore[method-assign]
    with pytest.raises(Crash):
        services.projector.catch_up()
    services.projector._write_versions = write  # type: ignore[method-assign]
    assert services.projector.position() == position
    assert dump(services.engine) == before

    services.projector.catch_up()
    assert services.projector.position() == services.tracker.recorder.max_notification_id()
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[commitment_id] == "cancelled"


def test_a_failing_projection_does_not_fail_the_command_and_is_caught_up_later(
    services: Services, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    history = record_history(services.tracker, clock, commitments=3)
    write = services.projector._write_versions

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    services.projector._write_versions = broken  # type: ignore[method-assign]
    view = services.tracker.cancel_commitment(history["commitments"][2], "key_x", "dropped")
    assert view.status == "cancelled"
    assert "could not catch up" in caplog.text
    # The other followers of the log are not held back by the failing one.
    latest = services.tracker.recorder.max_notification_id()
    assert services.outbox.position() == services.audit.position() == latest > services.projector.position()
    services.projector._write_versions = write  # type: ignore[method-assign]
    services.tracker.start_commitment(history["commitments"][3], "key_x")
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[history["commitments"][2]] == "cancelled"


def test_when_following_together_fails_after_the_read_model_the_read_model_still_catches_up_alone(
    services: Services, clock: FrozenClock
) -> None:
    """The read model starts from the commitment as the command read it; if a later follower
    fails, the transaction is undone and the read model tries again alone: it must not start
    from the state the failed attempt had already moved on."""
    history = record_history(services.tracker, clock, commitments=3)
    receiving = services.subscriptions.receiving  # the outbox asks it, after the read model's turn
    calls = []

    def fails_once(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("connection lost")
        return receiving(*args)

    services.subscriptions.receiving = fails_once  # type: ignore[method-assign]
    services.projector._cache.clear()  # as in a worker that did not project the commitment
    services.tracker.cancel_commitment(history["commitments"][2], "key_x", "dropped")
    latest = services.tracker.recorder.max_notification_id()
    assert services.projector.position() == services.outbox.position() == latest
    status = {row[0]: row[4] for row in dump(services.engine)["commitments_view"]}
    assert status[history["commitments"][2]] == "cancelled"


def test_events_no_follower_saw_are_read_from_the_log_by_the_next_command(services: Services, clock: FrozenClock) -> None:
    """A command's own events are usually the next ones; when others came first, the followers
    read those from the log too (and when far behind, each catches up batch by batch)."""
    record_history(services.tracker, clock, commitments=3)
    following = services.tracker.after_save
    services.tracker.after_save = None

    def register(acronym: str) -> str:
        return services.tracker.register_party("key_x", TextInput({"en": f"Party {acronym}"}), acronym, "ngo").id

    unseen_ids = [register("UNSEEN1"), register("UNSEEN2")]
    unseen = list(services.tracker.recorder.select_notifications(services.projector.position() + 1, 10))
    assert len(unseen) == 2
    followers = [services.projector.follower, services.outbox.follower, services.audit.follower]
    before = dump(services.engine)
    assert not log_follower.follow_together(services.engine, services.tracker.recorder, followers, unseen[1:], limit=1)
    assert dump(services.engine) == before

    services.tracker.after_save = following
    last_id = register("LAST")
    latest = services.tracker.recorder.max_notification_id()
    assert services.projector.position() == services.outbox.position() == services.audit.position() == latest
    parties = {row[0] for row in dump(services.engine)["parties_view"]}
    assert {*unseen_ids, last_id} <= parties
    assert services.audit.verify().intact
    incremental = dump(services.engine)
    services.projector.rebuild()
    assert dump(services.engine) == incremental
