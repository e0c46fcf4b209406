"""Commands written together: their events and everything that follows from them (read model,
webhook outbox, audit chain) are stored in one transaction, whole or not at all."""

import signal
import subprocess
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate
from sqlalchemy import func, select

from api.bootstrap import Services
from application.errors import ConcurrentUpdate
from application.inputs import DueInput, PeriodInput, TextInput
from application.listing.queries import CommitmentFilter
from application.ports import Changes, as_read
from domain.commitments.commitment import Commitment
from domain.meetings.meeting import Venue
from infrastructure.log.writer import SqlWriter
from infrastructure.read_model.tables import commitments_view
from infrastructure.webhooks.tables import deliveries
from tests.actors import acting
from tests.server import COMMAND, ROOT

DEADLINE = 60
WHEN = datetime(2024, 6, 1, tzinfo=UTC)


def seeded(services: Services) -> tuple[str, str]:
    party = services.tracker.parties.register(
        acting("key_a"),
        TextInput({"ar": "منظمة التعاون الإسلامي", "en": "OIC"}, "ar"),
        "OIC",
        "international_organisation",
    )
    meeting = services.tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Joint committee"}),
        "general_meeting",
        PeriodInput(date(2024, 5, 1), date(2024, 5, 2)),
        Venue("Jeddah", "Asia/Riyadh"),
    )
    return party.id, meeting.id


def commitment(services: Services, party_id: str, meeting_id: str, text: str) -> str:
    return services.tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": text}),
        UUID(party_id),
        UUID(meeting_id),
        due=DueInput("year", "2030"),
        status="agreed",
    ).id


def changed(services: Services, commitment_id: str, move: str) -> Changes:
    """A command's changes: the commitment as it stands, moved (``start`` or ``cancel``)."""
    aggregate: Aggregate = services.store.repository.get(UUID(commitment_id))
    read = as_read(aggregate)
    getattr(aggregate, move)("as planned", "key_a", WHEN)
    return Changes([aggregate], {(read.id, read.version): read})


def status_in_read_model(services: Services) -> dict[str, str]:
    with services.engine.connect() as connection:
        return {
            row.id: row.status for row in connection.execute(select(commitments_view.c.id, commitments_view.c.status))
        }


def test_two_commands_of_one_group_changing_the_same_commitment_store_the_first_and_refuse_the_second(
    services: Services,
) -> None:
    party_id, meeting_id = seeded(services)
    first_id, other_id = (commitment(services, party_id, meeting_id, text) for text in ("Shared", "Other"))
    group = [
        changed(services, first_id, "start"),
        changed(services, first_id, "cancel"),
        changed(services, other_id, "start"),
    ]
    latest = services.store.recorder.max_notification_id()
    assert latest is not None
    writer = SqlWriter(services.writing_engine, services.store, [services.projector, services.outbox, services.audit])
    writer.write(group)
    assert group[0].saved is not None and group[2].saved is not None
    assert isinstance(group[1].error, ConcurrentUpdate)
    stored = list(services.store.recorder.select_notifications(latest + 1, 10))
    assert [(str(n.originator_id), n.originator_version) for n in stored] == [(first_id, 2), (other_id, 2)]
    assert services.tracker.commitments.get(first_id).status == "in_progress"
    statuses = status_in_read_model(services)
    assert (statuses[first_id], statuses[other_id]) == ("in_progress", "in_progress")
    assert services.projector.position() == services.outbox.position() == services.audit.position() == stored[-1].id
    assert services.audit.verify().intact


def test_a_command_saved_with_others_is_read_back_at_once_with_its_fellows(services: Services) -> None:
    party_id, meeting_id = seeded(services)
    ids = [commitment(services, party_id, meeting_id, f"Item {n}") for n in range(3)]
    group = [changed(services, commitment_id, "start") for commitment_id in ids]
    services.tracker.records.turns.write(group)
    positions = [changes.saved.until for changes in group if changes.saved is not None]
    assert len(positions) == 3 and positions == sorted(positions)
    assert {status_in_read_model(services)[i] for i in ids} == {"in_progress"}
    assert services.catalogue.find_commitments(CommitmentFilter(statuses=["in_progress"])).total == 3


def test_a_process_killed_in_the_middle_of_saving_leaves_no_trace_and_the_next_command_is_saved(
    services: Services, database_url: str
) -> None:
    party_id, meeting_id = seeded(services)
    services.subscriptions.create("http://127.0.0.1:9/hooks", ["all"], [], None)
    commitment(services, party_id, meeting_id, "Before")
    latest = services.store.recorder.max_notification_id()
    with services.engine.connect() as connection:
        outbox_before = connection.execute(select(func.count()).select_from(deliveries)).scalar_one()
    views_before = status_in_read_model(services)
    worker = subprocess.Popen(
        [*COMMAND[:1], "-m", "tests.killed_writer", database_url, party_id, meeting_id],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "inside"  # the read model and the outbox have written
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(DEADLINE) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    assert services.store.recorder.max_notification_id() == latest
    assert status_in_read_model(services) == views_before
    with services.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(deliveries)).scalar_one() == outbox_before
    assert services.projector.position() == services.outbox.position() == services.audit.position() == latest
    after = commitment(services, party_id, meeting_id, "After")
    assert status_in_read_model(services)[after] == "agreed"
    assert services.audit.verify().intact


def test_a_command_that_changes_an_aggregate_twice_tells_the_followers_each_state(services: Services) -> None:
    """Followers in the saving transaction cannot read the versions it stores from the event store:
    every state they ask for comes from what the command saved."""
    party_id, meeting_id = seeded(services)
    commitment_id = commitment(services, party_id, meeting_id, "Twice")
    changes = changed(services, commitment_id, "start")
    aggregate = changes.aggregates[0]
    assert isinstance(aggregate, Commitment)
    aggregate.stall("waiting for funds", "key_a", WHEN)
    services.tracker.records.turns.write([changes])
    assert changes.saved is not None
    first, second = (r.domain_event.originator_version for r in changes.saved.recordings)
    in_between = changes.saved.state_at(aggregate.id, first)
    assert isinstance(in_between, Commitment) and in_between.status.value == "in_progress"
    assert changes.saved.state_at(aggregate.id, second) is aggregate
    rebuilt: Aggregate = services.store.repository.get(aggregate.id, version=first)
    assert isinstance(rebuilt, Commitment) and rebuilt.status == in_between.status
    assert status_in_read_model(services)[commitment_id] == "stalled"
