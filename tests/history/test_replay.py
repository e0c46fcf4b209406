"""An aggregate rebuilt from its stored events is the same, however often and whenever it is rebuilt."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.inputs import DueInput, ParticipantInput, PeriodInput, RowInput, TextInput
from application.storage.saving import Records
from application.storage.store import EventStore
from application.tracker import Tracker
from domain.commitments.promise import Evidence
from domain.meetings.meeting import Venue
from infrastructure.persistence.database import event_store_env
from tests.actors import acting
from tests.fakes import FrozenClock


def state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def record_history(tracker: Tracker, clock: FrozenClock) -> dict[str, UUID]:
    un = tracker.parties.register(
        acting("key_a"),
        TextInput({"en": "United Nations", "ar": "الأمم المتحدة"}, "en"),
        "UN",
        "international_organisation",
    )
    oic = tracker.parties.register(
        acting("key_a"), TextInput({"ar": "منظمة التعاون الإسلامي"}), "OIC", "international_organisation"
    )
    un_id, oic_id = UUID(un.id), UUID(oic.id)
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "15th general meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
        series="un-oic-general-meeting",
        session_number=15,
        participants=[ParticipantInput(un_id, "co_chair"), ParticipantInput(oic_id, "co_chair")],
    )
    agreement = tracker.agreements.adopt(
        acting("key_a"),
        UUID(meeting.id),
        TextInput({"en": "Matrix of joint activities"}),
        "action_matrix",
        [un_id, oic_id],
        rows=[
            RowInput(TextInput({"en": "Joint research"}), oic_id, [un_id], DueInput("relative", amount=2, unit="years"))
        ],
    )
    commitment = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Joint research"}),
        oic_id,
        UUID(meeting.id),
        agreement_id=UUID(agreement.id),
        row_number=1,
        status="agreed",
    )
    commitment_id = UUID(commitment.id)
    clock.advance(days=30)
    tracker.commitments.act("start", commitment.id, acting("key_b"))
    tracker.commitments.report_progress(
        commitment_id,
        acting("key_b"),
        30,
        "first workshop held",
        [Evidence("Workshop report", "https://example.org/w.pdf")],
    )
    clock.advance(days=300)
    tracker.commitments.revise_due(
        commitment_id, acting("key_b"), DueInput("year", "2025"), "extended by the working group"
    )
    tracker.commitments.deliver(commitment_id, acting("key_b"), [Evidence("Final study")], date(2023, 5, 1))
    tracker.commitments.assess(commitment_id, acting("key_c"), "partially_fulfilled", "one study of two")
    return {"commitment": commitment_id, "meeting": UUID(meeting.id), "agreement": UUID(agreement.id)}


def test_an_aggregate_rebuilt_twice_from_its_events_is_equal(tracker: Tracker, clock: FrozenClock) -> None:
    ids = record_history(tracker, clock)
    for aggregate_id in ids.values():
        first: Aggregate = tracker.records.store.repository.get(aggregate_id)
        second: Aggregate = tracker.records.store.repository.get(aggregate_id)
        assert first is not second
        assert state(first) == state(second)


def test_a_rebuild_on_another_day_by_another_process_is_equal(database_url: str, clock: FrozenClock) -> None:
    writer = EventStore(event_store_env(database_url))
    ids = record_history(Tracker.on(Records(writer, clock)), clock)
    later = EventStore(event_store_env(database_url))
    for aggregate_id in ids.values():
        assert state(writer.repository.get(aggregate_id)) == state(later.repository.get(aggregate_id))
    rebuilt = Tracker.on(Records(later, FrozenClock(datetime(2030, 1, 1, tzinfo=UTC)))).commitments.get(
        ids["commitment"]
    )
    assert rebuilt.status == "partially_fulfilled"
    assert rebuilt.due_at == "2025-12-31T23:00:00Z"
    assert rebuilt.progress is not None and rebuilt.progress["reported_at"] == "2022-08-20T09:00:00Z"
    writer.close()
    later.close()


def test_the_state_after_saving_equals_the_state_rebuilt_from_the_store(tracker: Tracker, clock: FrozenClock) -> None:
    un = tracker.parties.register(acting("key_a"), TextInput({"en": "UN"}), "UN", "international_organisation")
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Talks"}),
        "bilateral_talk",
        PeriodInput(date(2022, 7, 18)),
        Venue("Cairo", "Africa/Cairo"),
    )
    view = tracker.commitments.record(
        acting("key_a"),
        TextInput({"ar": "متابعة المشاريع المشتركة"}),
        UUID(un.id),
        UUID(meeting.id),
        due=DueInput("quarter", "2023-Q2"),
    )
    assert tracker.commitments.get(view.id) == view
