"""The same code stores events and tables in PostgreSQL when the URL says so."""

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import build
from application.inputs import DueInput, PeriodInput, TextInput
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.meetings.meeting import Venue
from infrastructure.persistence.scratch import scratch_database
from infrastructure.settings import Settings
from tests.fakes import FrozenClock


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with scratch_database("postgresql", "test") as url:
        yield url


def test_commitments_are_recorded_and_read_back_from_postgresql(postgres_url: str) -> None:
    clock = FrozenClock()
    services = build(Settings(database_url=postgres_url), clock=clock)
    try:
        principal, key = services.keys.create(Role.COORDINATOR, "pg")
        assert services.keys.authenticate(key) == principal
        tracker = services.tracker
        oic = tracker.parties.register(
            principal, TextInput({"ar": "منظمة التعاون الإسلامي"}), "OIC", "international_organisation"
        )
        meeting = tracker.meetings.record(
            principal,
            TextInput({"en": "Talks"}),
            "bilateral_talk",
            PeriodInput(date(2024, 5, 12)),
            Venue("Cairo", "Africa/Cairo"),
        )
        recorded = tracker.commitments.record(
            principal,
            TextInput({"ar": "متابعة المشاريع المشتركة"}),
            UUID(oic.id),
            UUID(meeting.id),
            due=DueInput("quarter", "2024-Q4"),
            status="agreed",
        )
        tracker.commitments.act("start", recorded.id, principal)
    finally:
        services.close()
    reopened = build(Settings(database_url=postgres_url), clock=clock)
    try:
        again = reopened.tracker.commitments.get(recorded.id)
        assert again.status == "in_progress"
        assert again.text["texts"]["ar"] == "متابعة المشاريع المشتركة"
        assert again.due_at == "2024-12-31T22:00:00Z"
        assert [e.type for e in reopened.tracker.histories.events(Commitment, again.id)] == ["Recorded", "Started"]
        keys = reopened.keys.list()
        assert keys[0].created_at.tzinfo is not None
    finally:
        reopened.close()
