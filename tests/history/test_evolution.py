"""Stored events outlive the code: old event versions load, old read models rebuild, long histories load fast."""

import json
from datetime import UTC, date, datetime
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import update

from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, RowInput, TextInput
from application.listing.queries import CommitmentFilter
from application.storage.saving import OneByOne, Records
from application.storage.store import EventStore
from application.tracker import Tracker
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.meetings.meeting import Venue
from infrastructure.log.aggregates import BatchReader, table_recorder
from infrastructure.persistence.database import event_store_env
from infrastructure.read_model import tables as read_tables
from infrastructure.read_model.tables import projection_state
from infrastructure.settings import Settings
from tests.actors import acting
from tests.fakes import FrozenClock
from tests.memory import tracker_in_memory


def seed(tracker: Tracker) -> tuple[UUID, UUID]:
    party = tracker.parties.register(acting("key_a"), TextInput({"en": "IsDB"}), "IsDB", "international_organisation")
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Annual meeting"}),
        "assembly",
        PeriodInput(date(2023, 5, 10)),
        Venue("Jeddah", "Asia/Riyadh"),
    )
    return UUID(party.id), UUID(meeting.id)


def test_a_commitment_recorded_before_reminders_existed_reminds_at_the_defaults(services: Services) -> None:
    tracker = services.tracker
    party_id, meeting_id = seed(tracker)
    current = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Now"}),
        party_id,
        meeting_id,
        due=DueInput("year", "2024"),
        reminder_days=[14, 60],
    )
    assert current.reminder_days == [60, 14]
    # The first version of the event, as it was stored before reminders existed.
    state = json.loads(services.store.recorder.select_events(UUID(current.id))[0].state)
    assert state.pop("class_version") == 5
    for added in ("reminder_days", "made_on", "review_on", "review_at", "notes", "weight"):  # in versions 2 to 5
        del state[added]
    old_id = uuid4()
    services.store.recorder.insert_events(
        [
            StoredEvent(
                originator_id=old_id,
                originator_version=1,
                topic=get_topic(Commitment.Recorded),
                state=json.dumps(state).encode(),
            )
        ]
    )
    old = tracker.commitments.get(old_id)
    assert old.reminder_days == [30, 7] and old.notes is None
    assert old.due_at == current.due_at
    services.projector.catch_up()
    projected = {item["id"]: item for item in services.catalogue.find_commitments(CommitmentFilter()).items}
    assert projected[str(old_id)]["reminder_days"] == [30, 7]


def test_a_read_model_of_another_version_is_rebuilt_at_start(database_url: str, clock: FrozenClock) -> None:
    services = build(Settings(database_url=database_url), clock=clock)
    party_id, meeting_id = seed(services.tracker)
    services.tracker.commitments.record(
        acting("key_a"), TextInput({"en": "Kept"}), party_id, meeting_id, due=DueInput("year", "2024")
    )
    with services.engine.begin() as connection:
        connection.execute(update(projection_state).values(schema_version=read_tables.READ_MODEL_VERSION - 1))
        connection.execute(read_tables.commitments_view.delete())
    services.close()
    restarted = build(Settings(database_url=database_url), clock=clock)
    try:
        assert restarted.catalogue.find_commitments(CommitmentFilter()).total == 1
        assert restarted.projector.position() == restarted.store.recorder.max_notification_id()
    finally:
        restarted.close()


def test_a_long_history_loads_from_its_snapshot_to_the_same_state(database_url: str, clock: FrozenClock) -> None:
    events = 3000
    services = build(Settings(database_url=database_url, snapshot_interval=500), clock=clock)
    try:
        tracker = services.tracker
        party_id, meeting_id = seed(tracker)
        view = tracker.commitments.record(
            acting("key_a"),
            TextInput({"en": "Busy"}),
            party_id,
            meeting_id,
            due=DueInput("year", "2024"),
            status="agreed",
        )
        commitment: Commitment = services.store.repository.get(UUID(view.id))
        while commitment.version < events:
            for _ in range(min(250, events - commitment.version)):
                clock.advance(minutes=1)
                commitment.report_progress(
                    commitment.version % 101, f"report {commitment.version}", (), "key_a", clock()
                )
            tracker.records.save(commitment)
        assert services.store.snapshots is not None
        snapshots = list(services.store.snapshots.get(commitment.id, desc=True, limit=1))
        assert snapshots and snapshots[0].originator_version == events
        from_snapshot = tracker.commitments.get(view.id)
        replayed = EventStore(event_store_env(database_url))  # snapshots not used
        try:
            assert replayed.snapshots is None
            assert Tracker.on(Records(replayed, clock)).commitments.get(view.id) == from_snapshot
            assert from_snapshot.version == events
            assert from_snapshot.progress is not None and from_snapshot.progress["note"] == f"report {events - 1}"
        finally:
            replayed.close()
    finally:
        services.close()


def test_aggregates_shorter_longer_and_as_long_as_the_snapshot_interval_load_as_their_events_replayed(
    clock: FrozenClock,
) -> None:
    """A short aggregate is made from its events alone; one at or past the interval from its snapshot."""
    store = EventStore(snapshot_interval=5)
    tracker = Tracker.on(Records(store, clock))
    party_id, meeting_id = seed(tracker)
    view = tracker.commitments.record(acting("key_a"), TextInput({"en": "Busy"}), party_id, meeting_id, status="agreed")
    for _ in range(12):
        commitment = store.aggregate(UUID(view.id))
        assert isinstance(commitment, Commitment)
        assert commitment == store.repository.get(commitment.id)
        for version in range(1, commitment.version + 1):
            assert store.aggregate(commitment.id, version) == store.repository.get(commitment.id, version=version)
        clock.advance(minutes=1)
        commitment.report_progress(commitment.version % 101, None, (), "key_a", clock())
        tracker.records.save(commitment)
    assert store.snapshots is not None and len(list(store.snapshots.get(commitment.id))) == 2
    with pytest.raises(AggregateNotFoundError):
        store.aggregate(uuid4())


def test_a_database_from_before_a_new_column_is_upgraded_at_start(database_url: str) -> None:
    """A database from before migrations (no ``alembic_version``) and before a column was added."""
    from alembic import command
    from sqlalchemy import text

    from infrastructure.persistence import migrating

    services = build(Settings(database_url=database_url))
    services.keys.create(Role.AUDITOR, "old key")
    with services.engine.begin() as connection:
        command.downgrade(migrating.config(connection=connection), migrating.BASELINE_REVISION)  # as migrations began
        connection.execute(text("ALTER TABLE api_keys DROP COLUMN party_scope"))  # as it was before scopes
        connection.execute(text("DROP TABLE alembic_version"))  # and before migrations
    services.close()
    upgraded = build(Settings(database_url=database_url))
    try:
        assert [k.name for k in upgraded.keys.list()] == ["old key"]
        assert upgraded.keys.list()[0].party_scope is None
    finally:
        upgraded.close()


@pytest.mark.parametrize("snapshot_interval", [0, 4])
def test_aggregates_read_together_are_those_read_one_by_one(
    database_url: str, clock: FrozenClock, snapshot_interval: int
) -> None:
    """The scanner reads a batch of commitments at once: each must be exactly what the event
    store's repository gives, whether it has no snapshot, a snapshot, or events after one."""
    services = build(Settings(database_url=database_url, snapshot_interval=snapshot_interval), clock=clock)
    try:
        tracker = services.tracker
        party_id, meeting_id = seed(tracker)
        ids = []
        for reports in (0, 3, 4, 9):
            view = tracker.commitments.record(
                acting("key_a"),
                TextInput({"en": f"{reports} reports"}),
                party_id,
                meeting_id,
                due=DueInput("year", "2024"),
                status="agreed",
            )
            for n in range(reports):
                clock.advance(minutes=1)
                tracker.commitments.report_progress(UUID(view.id), acting("key_a"), n * 10, f"report {n}")
            ids.append(UUID(view.id))
        ids += [party_id, uuid4()]  # another kind of aggregate, and one never recorded
        batches = BatchReader(services.store, chunk=4)  # more than one query's worth
        together = batches.read_many(ids)
        one_by_one = OneByOne(services.store).read_many(ids)
        assert set(together) == set(one_by_one) == set(ids[:-1])
        assert [together[i].version for i in ids[:-1]] == [1, 4, 5, 10, 1]  # snapshots at 4 and 8
        for aggregate_id, aggregate in one_by_one.items():
            assert vars(together[aggregate_id]) == vars(aggregate)
        if snapshot_interval:
            assert services.store.snapshots is not None
            assert list(services.store.snapshots.get(ids[3], desc=True, limit=1))[0].originator_version == 8
        # As they stood at earlier versions (the projector's states before a batch): before, at and
        # after a snapshot, and the first version.
        until = {ids[1]: 2, ids[2]: 4, ids[3]: 9, ids[4]: 1}
        earlier = batches.read_many(list(until), until)
        assert {aggregate_id: aggregate.version for aggregate_id, aggregate in earlier.items()} == until
        for aggregate_id, aggregate in OneByOne(services.store).read_many(list(until), until).items():
            assert vars(earlier[aggregate_id]) == vars(aggregate)
    finally:
        services.close()


def _stored_as_before(
    store: EventStore, aggregate_id: UUID, version: int, remove: tuple[str, ...], back: int = 1
) -> dict[str, Any]:
    """An event's stored state as the version ``back`` versions before its class's wrote it (the
    fields it lacked removed)."""
    state: dict[str, Any] = json.loads(
        next(e for e in store.recorder.select_events(aggregate_id) if e.originator_version == version).state
    )
    state["class_version"] = state.pop("class_version") - back
    if state["class_version"] == 1:
        del state["class_version"]
    for name in remove:
        del state[name]
    return state


def test_records_stored_before_they_stated_their_days_count_from_when_they_were_recorded(
    tracker: Tracker, clock: FrozenClock
) -> None:
    from domain.commitments.commitment import Commitment as CommitmentAggregate
    from domain.effective import effective_on
    from domain.meetings.agreement import Agreement

    party_id, meeting_id = seed(tracker)
    clock.advance(days=30)
    matrix = tracker.agreements.adopt(
        acting("key_a"),
        meeting_id,
        TextInput({"en": "Matrix"}),
        "action_matrix",
        [party_id],
        rows=[RowInput(TextInput({"en": "Activity"}), party_id)],
    )
    follow_up = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Hold the next"}),
        party_id,
        meeting_id,
        kind="follow_up_session",
        follow_up_series="annual-meeting",
        due=DueInput("year", "2024"),
    )
    clock.set(datetime(2023, 7, 1, tzinfo=UTC))
    next_one = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Next"}),
        "assembly",
        PeriodInput(date(2023, 6, 1)),
        Venue("Jeddah", "Asia/Riyadh"),
        series="annual-meeting",
    )
    tracker.meetings.hold(UUID(next_one.id), acting("key_a"), PeriodInput(date(2023, 6, 1)))
    old = {
        (Agreement.Adopted, 1): _stored_as_before(tracker.records.store, UUID(matrix.id), 1, ("adopted_on",)),
        (Agreement.RowAdded, 2): _stored_as_before(tracker.records.store, UUID(matrix.id), 2, ("agreed_on",)),
        (CommitmentAggregate.Recorded, 1): _stored_as_before(
            tracker.records.store,
            UUID(follow_up.id),
            1,
            ("made_on", "review_on", "review_at", "notes", "weight"),
            back=3,
        ),
        (CommitmentAggregate.SessionHeld, 2): _stored_as_before(
            tracker.records.store, UUID(follow_up.id), 2, ("held_on",)
        ),
    }
    ids = {Agreement: uuid4(), CommitmentAggregate: uuid4()}
    tracker.records.store.recorder.insert_events(
        [
            StoredEvent(
                originator_id=ids[Agreement if cls.__qualname__.startswith("Agreement") else CommitmentAggregate],
                originator_version=version,
                topic=get_topic(cls),
                state=json.dumps(state).encode(),
            )
            for (cls, version), state in old.items()
        ]
    )
    agreement = tracker.agreements.get(ids[Agreement])
    assert (agreement.adopted_on, len(agreement.rows)) == (None, 1)
    commitment = tracker.commitments.get(ids[CommitmentAggregate])
    assert (commitment.made_on, commitment.review_on, commitment.status) == (None, None, "fulfilled")
    assert [effective_on(e) for e in tracker.records.events(ids[CommitmentAggregate])] == [None, None]
    assert tracker.commitments.get(ids[CommitmentAggregate], as_of=clock.now, axis="effective").status == "fulfilled"
    assert effective_on(next(iter(tracker.records.events(ids[Agreement])))) is None


def test_snapshots_taken_before_a_new_attribute_load(clock: FrozenClock) -> None:
    from eventsourcing.domain import Snapshot

    from domain.commitments.commitment import Commitment as CommitmentAggregate
    from domain.meetings.series import MeetingSeries, series_id
    from domain.parties.party import Party

    tracker = tracker_in_memory(clock, snapshot_interval=100)
    store = tracker.records.store
    assert store.snapshots is not None
    party_id, meeting_id = seed(tracker)
    view = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Follow up"}),
        party_id,
        meeting_id,
        kind="follow_up_session",
        follow_up_series="annual-meeting",
        status="agreed",
    )
    tracker.commitments.report_progress(UUID(view.id), acting("key_a"), 10)
    for aggregate_id, attributes in (
        (
            UUID(view.id),
            (
                "made_on",
                "review_on",
                "review_at",
                "reviewed_for",
                "notes",
                "escalations",
                "escalated_for",
                "weight",
                "delivered_on",
                "fulfilled_on",
                "themes",
            ),
        ),
        (series_id("annual-meeting"), ("held",)),
        (party_id, ("ladder", "contacts")),
    ):
        snapshot = Snapshot.take(store.repository.get(aggregate_id))
        state = dict(snapshot.state)
        del state["class_version"]
        for name in attributes:
            del state[name]
        old = Snapshot(
            originator_id=aggregate_id,
            originator_version=snapshot.originator_version,
            timestamp=snapshot.timestamp,
            topic=snapshot.topic,
            state=state,
        )
        store.snapshots.put([old])
    loaded: CommitmentAggregate = store.repository.get(UUID(view.id))
    assert isinstance(loaded, CommitmentAggregate) and loaded.made_on is None and loaded.review_due is False
    assert loaded.notes is None
    series: MeetingSeries = store.repository.get(series_id("annual-meeting"))
    assert isinstance(series, MeetingSeries) and series.held == ()
    assert (loaded.escalations, loaded.weight, loaded.fulfilled_on, loaded.themes) == ((), None, None, ())
    party: Party = store.repository.get(party_id)
    assert (party.ladder, party.contacts) == (None, ())


def test_events_stored_before_the_domain_moved_into_rooms_still_read_project_and_notify(services: Services) -> None:
    """A commitment's events stored under the topics of ``domain.commitment`` (before decision 0052) load,
    are projected into the lists, and tell the subscribers of its kind of event."""
    tracker = services.tracker
    party_id, meeting_id = seed(tracker)
    current = tracker.commitments.record(acting("key_a"), TextInput({"en": "Publish"}), party_id, meeting_id)
    tracker.commitments.act("agree", current.id, acting("key_a"))
    services.subscriptions.create("http://127.0.0.1:9/hooks", ["all"], [], None)
    services.outbox.catch_up()
    old_id = uuid4()
    stored = services.store.recorder.select_events(UUID(current.id))
    moved = [
        StoredEvent(
            originator_id=old_id,
            originator_version=event.originator_version,
            topic=event.topic.replace("domain.commitments.commitment:", "domain.commitment:"),
            state=event.state.replace(b"domain.commitments.commitment:", b"domain.commitment:"),
        )
        for event in stored
    ]
    assert [event.topic for event in moved] == [
        "domain.commitment:Commitment.Recorded",
        "domain.commitment:Commitment.Agreed",
    ]
    services.store.recorder.insert_events(moved)
    old = tracker.commitments.get(old_id)
    assert (old.status, old.text) == ("agreed", current.text)
    services.projector.catch_up()
    assert str(old_id) in {item["id"] for item in services.catalogue.find_commitments(CommitmentFilter()).items}
    services.outbox.catch_up()
    assert services.delivery_log.count(commitment_id=str(old_id)) == 2


def test_the_parties_a_commitment_has_named_survive_its_snapshots(clock: FrozenClock) -> None:
    tracker = tracker_in_memory(clock, snapshot_interval=1)
    party_id, meeting_id = seed(tracker)
    other = UUID(
        tracker.parties.register(acting("key_a"), TextInput({"en": "UN"}), "UN", "international_organisation").id
    )
    view = tracker.commitments.record(acting("key_a"), TextInput({"en": "Publish"}), party_id, meeting_id)
    tracker.commitments.correct(UUID(view.id), acting("key_a"), "the wrong lead", lead_party_id=other)
    tracker.commitments.correct(UUID(view.id), acting("key_a"), "the first lead after all", lead_party_id=party_id)
    loaded: Commitment = tracker.records.store.repository.get(UUID(view.id))
    assert tracker.records.store.snapshots is not None
    assert [(str(party), role) for party, role in loaded.named_parties] == [
        (str(party_id), "lead"),
        (str(other), "lead"),
    ]


def test_a_commitment_snapshotted_before_it_kept_who_recorded_it_names_its_recorder_after_the_upgrade(
    database_url: str, clock: FrozenClock
) -> None:
    """A snapshot of version 8 cannot say who recorded the commitment; the upgrade drops it (a cache), and the
    commitment made again from its events names them, in the API's view and in the exports."""
    from alembic import command
    from eventsourcing.domain import Snapshot
    from sqlalchemy import text

    from infrastructure.persistence import migrating

    services = build(Settings(database_url=database_url, snapshot_interval=4), clock=clock)
    tracker = services.tracker
    party_id, meeting_id = seed(tracker)
    view = tracker.commitments.record(acting("key_a"), TextInput({"en": "Busy"}), party_id, meeting_id, status="agreed")
    for percent in range(1, 5):
        clock.advance(minutes=1)
        tracker.commitments.report_progress(UUID(view.id), acting("key_b"), percent)
    assert services.store.snapshots is not None
    [taken] = cast(list[Snapshot], list(services.store.snapshots.get(UUID(view.id))))
    state = {k: v for k, v in taken.state.items() if k not in ("recorded_by", "changed_by")}
    old = Snapshot(
        originator_id=taken.originator_id,
        originator_version=taken.originator_version,
        timestamp=taken.timestamp,
        topic=taken.topic,
        state={**state, "class_version": 8},
    )
    with services.engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {table_recorder(services.store.snapshots.recorder).events_table_name}"))
        command.stamp(migrating.config(connection=connection), "0011")  # as the release before left it
    services.store.snapshots.put([old])
    assert services.store.repository.get(UUID(view.id)).recorded_by is None  # what the old snapshot knows
    services.close()
    upgraded = build(Settings(database_url=database_url, snapshot_interval=4), clock=clock)
    try:
        shown = upgraded.tracker.commitments.get(view.id)
        assert (shown.recorded_by, shown.changed_by) == ("key_a", "key_b")
        clock.advance(minutes=1)
        changed = upgraded.tracker.commitments.report_progress(UUID(view.id), acting("key_b"), 50)
        assert changed.recorded_by == "key_a"  # and the next change keeps it
    finally:
        upgraded.close()
