"""How the use cases save (``application.storage.saving``): every change in one transaction, the followers
told what was saved, with copies of the aggregates as read that a replay confirms.

On the library's in-memory event store: these are the rules of saving, not of a database.
"""

import dataclasses
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from application.errors import AlreadyExists, ConcurrentUpdate, NotFound
from application.inputs import DueInput, PeriodInput, TextInput
from application.ports import as_read
from application.storage.saving import Records
from application.storage.store import EventStore
from application.tracker import Tracker
from domain.commitments.commitment import Commitment
from domain.meetings.meeting import Venue
from tests.actors import acting
from tests.fakes import FailingFollowers, FrozenClock, RecordingFollowers
from tests.memory import tracker_in_memory
from tests.recorded_history import record_history


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {name: value for name, value in vars(aggregate).items() if name != "_pending_events"}


def seed(tracker: Tracker) -> tuple[UUID, UUID]:
    party = tracker.parties.register(
        acting("key_a"), TextInput({"ar": "البنك الإسلامي للتنمية"}), "IsDB", "international_organisation"
    )
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Annual meeting"}),
        "assembly",
        PeriodInput(date(2023, 5, 10)),
        Venue("Jeddah", "Asia/Riyadh"),
    )
    return UUID(party.id), UUID(meeting.id)


@pytest.fixture
def told() -> RecordingFollowers:
    return RecordingFollowers()


@pytest.fixture
def recording(clock: FrozenClock, told: RecordingFollowers) -> Tracker:
    return tracker_in_memory(clock, told)


def test_the_followers_are_told_of_each_save_before_the_command_returns(
    recording: Tracker, told: RecordingFollowers
) -> None:
    party_id, meeting_id = seed(recording)
    assert len(told.told) == 2
    view = recording.commitments.record(
        acting("key_a"), TextInput({"en": "Publish the report"}), party_id, meeting_id, due=DueInput("year", "2024")
    )
    saved = told.told[-1]
    [recording_] = saved.recordings
    position = recording_.notification.id
    assert position == saved.until == 3
    assert isinstance(saved.event_of(position), Commitment.Recorded)
    assert saved.state_at(UUID(view.id), 1) is not None and saved.state_at(UUID(view.id), 2) is None
    assert saved.state_before(UUID(view.id), 0) is None  # a new aggregate was read by no one


def test_a_change_hands_on_the_commitment_as_it_was_read_and_as_it_was_saved(
    recording: Tracker, told: RecordingFollowers
) -> None:
    party_id, meeting_id = seed(recording)
    view = recording.commitments.record(
        acting("key_a"), TextInput({"en": "Publish"}), party_id, meeting_id, status="agreed"
    )
    recording.commitments.act("start", view.id, acting("key_b"))
    saved = told.told[-1]
    before = saved.state_before(UUID(view.id), 1)
    after = saved.state_at(UUID(view.id), 2)
    assert isinstance(before, Commitment) and isinstance(after, Commitment)
    assert before.status.value == "agreed" and after.status.value == "in_progress"


def test_every_copy_kept_as_read_equals_a_replay_of_the_log_at_its_version(
    recording: Tracker, clock: FrozenClock, told: RecordingFollowers
) -> None:
    """The copies share their values with the aggregates, which change after they were taken: any
    value changed in place instead of replaced would show here, on every path of the lifecycle."""
    record_history(recording, clock, commitments=60)
    repository = recording.records.store.repository
    compared = 0
    for saved in told.told:
        for (aggregate_id, version), copy in saved.before.items():
            assert state(copy) == state(repository.get(aggregate_id, version=version))
            compared += 1
        for aggregate_id, aggregate in saved.aggregates.items():
            assert state(aggregate) == state(repository.get(aggregate_id, version=aggregate.version))
    assert compared > 100


def immutable(value: Any) -> bool:
    if value is None or isinstance(value, (str, int, float, bool, date, datetime, UUID, Enum)):
        return True
    if isinstance(value, (tuple, frozenset)):
        return all(immutable(item) for item in value)
    if isinstance(value, MappingProxyType):
        return all(immutable(key) and immutable(item) for key, item in value.items())
    if dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen:  # type: ignore[union-attr]  # set by @dataclass, untyped
        return all(immutable(getattr(value, field.name)) for field in dataclasses.fields(value))
    return False


def test_the_aggregates_hold_only_values_that_cannot_change_in_place(recording: Tracker, clock: FrozenClock) -> None:
    """What makes sharing values with the kept copies safe: a list, dict or set would not be."""
    record_history(recording, clock, commitments=60)
    store = recording.records.store
    ids = {notification.originator_id for notification in store.recorder.select_notifications(1, 10_000)}
    for aggregate_id in ids:
        assert isinstance(aggregate_id, UUID)
        for name, value in state(store.repository.get(aggregate_id)).items():
            assert immutable(value), f"{name} = {value!r}"


def test_a_copy_kept_as_read_stays_as_it_was(tracker: Tracker) -> None:
    party_id, meeting_id = seed(tracker)
    view = tracker.commitments.record(
        acting("key_a"), TextInput({"en": "Publish"}), party_id, meeting_id, status="agreed"
    )
    commitment = tracker.records.get(Commitment, view.id)
    kept = as_read(commitment)
    commitment.start(None, "key_b", tracker.records.now())
    assert (kept.version, kept.status.value) == (1, "agreed")
    assert kept.text is commitment.text  # shared, which is safe: it cannot change
    assert not kept.collect_events()  # the copy owes the store nothing


def test_a_rival_change_between_reading_and_saving_stores_nothing(tracker: Tracker) -> None:
    party_id, meeting_id = seed(tracker)
    view = tracker.commitments.record(
        acting("key_a"), TextInput({"en": "Publish"}), party_id, meeting_id, status="agreed"
    )

    def stall_after_a_rival_started_it(commitment: Commitment, when: datetime) -> None:
        tracker.commitments.act("start", view.id, acting("key_rival"))
        commitment.stall("no budget", "key_a", when)

    with pytest.raises(ConcurrentUpdate):
        tracker.records.change(Commitment, view.id, None, stall_after_a_rival_started_it)
    assert [type(event).__name__ for event in tracker.records.events(UUID(view.id))] == ["Recorded", "Started"]


def test_a_record_under_a_taken_id_already_exists(tracker: Tracker) -> None:
    party_id, meeting_id = seed(tracker)
    chosen = UUID("0b7c2c1e-7d0e-4d0e-9a57-1f3b1c8c2e11")
    tracker.commitments.record(acting("key_a"), TextInput({"en": "First"}), party_id, meeting_id, commitment_id=chosen)
    with pytest.raises(AlreadyExists):
        tracker.commitments.record(
            acting("key_a"), TextInput({"en": "Second"}), party_id, meeting_id, commitment_id=chosen
        )
    assert tracker.commitments.get(chosen).text["texts"] == {"en": "First"}


def test_a_version_not_yet_reached_is_not_found(tracker: Tracker) -> None:
    party_id, _ = seed(tracker)
    with pytest.raises(NotFound):
        tracker.parties.get(party_id, version=2)
    assert tracker.parties.get(party_id, version=1).version == 1


def test_a_failing_follower_fails_the_command_after_its_events_were_saved(clock: FrozenClock) -> None:
    """The port's implementation must not raise (``LogFollowers`` logs and catches up later): what
    it raises reaches the caller, the events stay saved, and the next command is not held up."""
    tracker = tracker_in_memory(clock, FailingFollowers())
    with pytest.raises(RuntimeError, match="the followers are down"):
        tracker.parties.register(
            acting("key_a"), TextInput({"en": "United Nations"}), "UN", "international_organisation"
        )
    with pytest.raises(RuntimeError):
        tracker.parties.register(acting("key_a"), TextInput({"en": "OIC"}), "OIC", "international_organisation")
    assert tracker.records.store.recorder.max_notification_id() == 2


def test_the_clock_must_tell_the_time_zone(clock: FrozenClock) -> None:
    records = Records(EventStore(), lambda: datetime(2022, 7, 21, 9, 0))
    with pytest.raises(ValueError, match="time-zone aware"):
        records.now()
