"""The topics events were stored under before their modules moved into the domain's rooms (decision 0052).
The domain does not know them: the stored format is the storage's.

A stored event names its class by topic (``module:Class.Event``) and the event that creates an aggregate
names the aggregate's class too; both are part of the stored format. When a module moves, its old topic
is registered here for the class, so that every event stored before still reads; new events are stored
under the new topic."""

from eventsourcing.utils import register_topic

from domain.commitments.commitment import Commitment
from domain.commitments.recurrence import Recurrence
from domain.meetings.agreement import Agreement
from domain.meetings.meeting import Meeting
from domain.meetings.series import MeetingSeries
from domain.parties.party import Party

MOVED = {
    "domain.commitment:Commitment": Commitment,
    "domain.recurrence:Recurrence": Recurrence,
    "domain.agreement:Agreement": Agreement,
    "domain.meeting:Meeting": Meeting,
    "domain.series:MeetingSeries": MeetingSeries,
    "domain.party:Party": Party,
}


def register_moved() -> None:
    """Old topics resolve to the classes (their events too: ``domain.commitment:Commitment.Started``)."""
    for topic, cls in MOVED.items():
        register_topic(topic, cls)
