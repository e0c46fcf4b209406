"""The scanner records each overdue and due-soon fact exactly once, however many scanners race."""

import os
import subprocess
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, TextInput
from application.listing.queries import CommitmentFilter, MeetingFilter, PartyFilter
from domain.commitments.commitment import Commitment
from domain.commitments.promise import Evidence
from domain.meetings.meeting import Venue
from infrastructure.settings import Settings
from tests.actors import acting
from tests.fakes import FrozenClock
from tests.racing import race
from tests.server import COMMAND, ROOT, wait_for

UTC = UTC


def seed(services: Services, count: int, due: str = "2024", reminder_days: Sequence[int] | None = None) -> list[str]:
    tracker = services.tracker
    party = tracker.parties.register(acting("key_a"), TextInput({"en": "SESRIC"}), "SESRIC", "subsidiary_organ")
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "15th general meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
        series="un-oic-general-meeting",
        session_number=15,
    )
    return [
        tracker.commitments.record(
            acting("key_a"),
            TextInput({"en": f"Activity {n}"}),
            UUID(party.id),
            UUID(meeting.id),
            due=DueInput("year", due),
            status="agreed",
            reminder_days=reminder_days,
        ).id
        for n in range(count)
    ]


def facts(services: Services, commitment_id: str, kind: str) -> int:
    return sum(1 for e in services.tracker.histories.events(Commitment, commitment_id) if e.type == kind)


def test_a_tick_marks_what_the_clock_has_passed_once(services: Services, clock: FrozenClock) -> None:
    ids = seed(services, 3)
    services.tracker.commitments.deliver(UUID(ids[2]), acting("key_a"), [Evidence("Report")])
    clock.set(datetime(2024, 12, 2, tzinfo=UTC))  # 30 days before the end of 2024 in Geneva (23:00 UTC)
    assert services.scanner.tick().due_soon == 2
    clock.set(datetime(2025, 1, 2, tzinfo=UTC))
    result = services.scanner.tick()
    assert (result.overdue, result.due_soon) == (2, 0)
    assert services.scanner.tick().overdue == 0
    for commitment_id in ids[:2]:
        assert facts(services, commitment_id, "MarkedOverdue") == 1
        assert facts(services, commitment_id, "DueSoon") == 1
    assert facts(services, ids[2], "MarkedOverdue") == 0
    found = services.catalogue.find_commitments(CommitmentFilter(overdue=True))
    assert sorted(item["id"] for item in found.items) == sorted(ids[:2])
    assert all(item["overdue"] for item in found.items)


def test_a_due_soon_reminder_follows_each_lead_time(services: Services, clock: FrozenClock) -> None:
    [commitment_id] = seed(services, 1, reminder_days=[60, 14])
    for day, expected in [
        (datetime(2024, 10, 1, tzinfo=UTC), 0),
        (datetime(2024, 11, 2, tzinfo=UTC), 1),
        (datetime(2024, 12, 1, tzinfo=UTC), 0),
        (datetime(2024, 12, 18, tzinfo=UTC), 1),
        (datetime(2024, 12, 20, tzinfo=UTC), 0),
    ]:
        clock.set(day)
        assert services.scanner.tick().due_soon == expected, day
    history = services.tracker.histories.events(Commitment, commitment_id)
    assert [e.payload["lead_days"] for e in history if e.type == "DueSoon"] == [60, 14]
    assert services.catalogue.find_commitments(CommitmentFilter(due_soon=True)).total == 1


def test_revising_the_due_clears_overdue_and_watches_the_new_due(services: Services, clock: FrozenClock) -> None:
    [commitment_id] = seed(services, 1)
    clock.set(datetime(2025, 1, 2, tzinfo=UTC))
    services.scanner.tick()
    services.tracker.commitments.revise_due(
        UUID(commitment_id), acting("key_a"), DueInput("year", "2025"), "extended by the plenary"
    )
    assert services.catalogue.find_commitments(CommitmentFilter(overdue=True)).total == 0
    assert services.scanner.tick().overdue == 0
    clock.set(datetime(2026, 1, 2, tzinfo=UTC))
    assert services.scanner.tick().overdue == 1
    assert facts(services, commitment_id, "MarkedOverdue") == 2
    assert facts(services, commitment_id, "OverdueCleared") == 1


def test_a_follow_up_session_is_overdue_when_its_window_closes_without_the_session(
    services: Services, clock: FrozenClock
) -> None:
    seed(services, 0)
    tracker = services.tracker
    meeting = services.catalogue.find_meetings(MeetingFilter()).items[0]
    party = services.catalogue.find_parties(PartyFilter()).items[0]
    waiting = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Hold the 16th session"}),
        party["id"],
        meeting["id"],
        kind="follow_up_session",
        due=DueInput("year", "2024"),
        follow_up_session_number=16,
        status="agreed",
    )
    held = tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Hold a working group"}),
        party["id"],
        meeting["id"],
        kind="follow_up_session",
        due=DueInput("year", "2024"),
        follow_up_series="un-oic-working-group",
        status="agreed",
    )
    clock.set(datetime(2024, 6, 1, tzinfo=UTC))
    group = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Working group"}),
        "working_group",
        PeriodInput(date(2024, 5, 20)),
        Venue("Jeddah", "Asia/Riyadh"),
        series="un-oic-working-group",
        session_number=1,
    )
    tracker.meetings.hold(UUID(group.id), acting("key_a"), PeriodInput(date(2024, 5, 20)))
    clock.set(datetime(2025, 1, 1, tzinfo=UTC))
    assert services.scanner.tick().overdue == 1
    assert tracker.commitments.get(waiting.id).overdue
    assert tracker.commitments.get(held.id).status == "fulfilled"


def test_racing_scanner_threads_record_one_fact_per_commitment(database_url: str, clock: FrozenClock) -> None:
    scanners = [build(Settings(database_url=database_url, scan_interval=0), clock=clock) for _ in range(3)]
    try:
        ids = seed(scanners[0], 25)
        clock.set(datetime(2025, 1, 2, tzinfo=UTC))
        assert sum(race(scanners, lambda services: services.scanner.tick().overdue)) == len(ids)
        for commitment_id in ids:
            assert facts(scanners[0], commitment_id, "MarkedOverdue") == 1
    finally:
        for services in scanners:
            services.close()


@pytest.mark.slow  # three worker processes
def test_racing_worker_processes_record_one_fact_per_commitment(database_url: str, tmp_path: Path) -> None:
    services = build(
        Settings(database_url=database_url, scan_interval=0), clock=FrozenClock(datetime(2023, 1, 1, tzinfo=UTC))
    )
    ids = seed(services, 20, due="2024")  # long past by the real clock the workers read
    # What a worker logs goes to a file: a pipe nobody reads fills up, and a worker writing to it never stops.
    logs = [(tmp_path / f"worker-{n}.log").open("w+") for n in range(3)]
    workers = [
        subprocess.Popen(
            [*COMMAND, "worker", "--interval", "0.2", "--database-url", database_url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            text=True,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        for log in logs
    ]
    started: list[str] = []
    for worker in workers:
        threading.Thread(target=lambda w=worker: started.append(w.stdout.readline()), daemon=True).start()
    try:
        wait_for(lambda: len(started) == len(workers), 60, "every worker to start")
        assert all(line.startswith("worker running") for line in started), [
            (tmp_path / f"worker-{n}.log").read_text() for n in range(3)
        ]
        wait_for(lambda: all(facts(services, i, "MarkedOverdue") for i in ids), 60, "every commitment marked")
        wait_for(
            lambda: services.catalogue.find_commitments(CommitmentFilter(overdue=True)).total == len(ids),
            30,
            "the read model to show them",
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    try:
        for commitment_id in ids:
            assert facts(services, commitment_id, "MarkedOverdue") == 1
        assert all(worker.returncode == 0 for worker in workers), [
            (tmp_path / f"worker-{n}.log").read_text() for n in range(3)
        ]
    finally:
        for log in logs:
            log.close()
        services.close()


def test_the_api_runs_the_scanner_at_its_interval(database_url: str) -> None:
    clock = FrozenClock(datetime(2023, 1, 1, tzinfo=UTC))
    services = build(Settings(database_url=database_url, scan_interval=0.1), clock=clock)
    [commitment_id] = seed(services, 1)
    clock.set(datetime(2025, 1, 2, tzinfo=UTC))
    with TestClient(create_app(services=services)):
        wait_for(lambda: services.tracker.commitments.get(commitment_id).overdue, 20, "the scheduler's tick")
    services.close()
