"""New meetings, agreements and commitments get time-ordered ids (UUIDv7): the event store's index
inserts stay at its end. Derived ids (parties, series, imported rows, reports) stay derived."""

from datetime import date
from uuid import UUID

from application.inputs import PeriodInput, TextInput
from application.tracker import Tracker
from domain.identifiers import time_ordered_id
from domain.meetings.meeting import Venue
from tests.actors import acting


def test_ids_made_later_sort_after_ids_made_earlier_and_are_version_7() -> None:
    made = [time_ordered_id() for _ in range(1_000)]
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in made)
    by_time = [int(i) >> 80 for i in made]  # the 48 bits of milliseconds
    assert by_time == sorted(by_time) and len(set(made)) == len(made)


def test_recorded_records_have_time_ordered_ids_and_parties_keep_their_derived_ones(tracker: Tracker) -> None:
    party = tracker.parties.register(
        acting("key"), TextInput({"en": "United Nations"}), "UN", "international_organisation"
    )
    meeting = tracker.meetings.record(
        acting("key"),
        TextInput({"en": "General meeting"}),
        "general_meeting",
        PeriodInput(date(2024, 1, 10)),
        Venue("Palais", "Europe/Zurich"),
    )
    agreement = tracker.agreements.adopt(
        acting("key"), UUID(meeting.id), TextInput({"en": "Matrix"}), "action_matrix", [UUID(party.id)]
    )
    commitment = tracker.commitments.record(acting("key"), TextInput({"en": "Act"}), UUID(party.id), UUID(meeting.id))
    assert [UUID(v.id).version for v in (meeting, agreement, commitment)] == [7, 7, 7]
    assert UUID(party.id).version == 5  # named by its acronym
