"""Dispatchers share the work through leases: no attempt is sent twice at once, none is lost in a crash."""

import json
import os
import signal
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from api.bootstrap import Services, build
from application.inputs import DueInput, PeriodInput, TextInput
from domain.meetings.meeting import Venue
from infrastructure.settings import Settings
from infrastructure.webhooks.dispatcher import Dispatcher, DispatchSettings
from infrastructure.webhooks.tables import deliveries
from infrastructure.webhooks.url_safety import UrlPolicy
from tests.actors import acting
from tests.fakes import FrozenClock
from tests.receiver import Receiver
from tests.server import COMMAND, ROOT, wait_for

UTC = UTC
LOOPBACK = UrlPolicy(allow_http=True, allow_loopback=True)


def seed(services: Services, count: int) -> list[str]:
    tracker = services.tracker
    party = tracker.parties.register(acting("key_a"), TextInput({"en": "IOFS"}), "IOFS", "specialised_institution")
    meeting = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "General assembly"}),
        "assembly",
        PeriodInput(datetime(2023, 1, 10).date()),
        Venue("Astana", "Asia/Almaty"),
    )
    return [
        tracker.commitments.record(
            acting("key_a"),
            TextInput({"en": f"Activity {n}"}),
            UUID(party.id),
            UUID(meeting.id),
            due=DueInput("year", "2024"),
            status="agreed",
        ).id
        for n in range(count)
    ]


def test_two_dispatchers_never_send_the_same_delivery_at_once(database_url: str) -> None:
    clock = FrozenClock(datetime(2023, 1, 11, tzinfo=UTC))
    services = build(
        Settings(
            database_url=database_url,
            scan_interval=0,
            dispatch_interval=0,
            webhook_allow_http=True,
            webhook_allow_loopback=True,
        ),
        clock=clock,
    )
    with Receiver() as receiver:
        services.subscriptions.create(receiver.url, ["overdue"], [], None)
        seed(services, 30)
        clock.set(datetime(2025, 1, 2, tzinfo=UTC))
        services.scanner.tick()
        dispatchers = [
            Dispatcher(services.engine, services.outbox, clock, DispatchSettings(policy=LOOPBACK)) for _ in range(3)
        ]
        start = threading.Barrier(len(dispatchers))

        def run(dispatcher: Dispatcher) -> None:
            start.wait()
            dispatcher.tick(limit=5)

        threads = [threading.Thread(target=run, args=(d,)) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        ids = [r.headers["webhook-id"] for r in receiver.received]
        assert len(ids) == 30
        assert len(set(ids)) == 30
        for dispatcher in dispatchers:
            dispatcher.close()
    services.close()


@pytest.mark.slow  # a dispatcher process killed
def test_a_dispatcher_killed_between_sending_and_recording_is_followed_by_a_resend_with_the_same_id_counted_twice(
    database_url: str,
) -> None:
    services = build(
        Settings(
            database_url=database_url,
            scan_interval=0,
            dispatch_interval=0,
            webhook_allow_http=True,
            webhook_allow_loopback=True,
        ),
        clock=FrozenClock(datetime(2023, 1, 11, tzinfo=UTC)),
    )
    worker: subprocess.Popen[str] | None = None

    def kill_the_sender(_: object) -> None:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGKILL)  # it sent, and dies before it can record anything
            worker.wait()

    with Receiver(before_answer=kill_the_sender) as receiver:
        services.subscriptions.create(receiver.url, ["overdue"], [], None)
        [commitment_id] = seed(services, 1)  # due in 2024: long past by the real clock the worker reads
        worker = subprocess.Popen(
            [*COMMAND, "worker", "--interval", "0.2", "--database-url", database_url],
            cwd=ROOT,
            text=True,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "COMMITMENTS_WEBHOOK_LEASE": "1",
                "COMMITMENTS_WEBHOOK_TIMEOUT": "1",  # a lease outlives the timeout: it lasts 2 s
                "COMMITMENTS_WEBHOOK_ALLOW_HTTP": "1",
                "COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK": "1",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: receiver.received and worker.poll() is not None, 60, "the worker to send and be killed")
        assert worker.returncode == -signal.SIGKILL
        first = receiver.received[0]
        delivery = services.delivery_log.get(first.headers["webhook-id"])
        assert delivery["status"] == "pending" and delivery["attempt_log"] == []  # nothing was recorded

        receiver.before_answer = None
        survivor = Dispatcher(
            services.engine, services.outbox, lambda: datetime.now(UTC), DispatchSettings(policy=LOOPBACK)
        )
        wait_for(lambda: survivor.tick() and len(receiver.received) > 1, 30, "the lease to run out and a resend")
        survivor.close()
        again = receiver.received[1]
        assert again.headers["webhook-id"] == first.headers["webhook-id"]
        assert json.loads(again.body) == json.loads(first.body)
        delivered = services.delivery_log.get(first.headers["webhook-id"])
        assert delivered["status"] == "succeeded"
        assert delivered["attempts"] == len(receiver.received) == 2  # the bug: 1, though it was received twice
        assert json.loads(first.body)["data"]["commitment"]["id"] == commitment_id
    services.close()


def test_a_slow_endpoint_never_outlives_a_lease_the_rest_are_handed_back_and_sent_once(database_url: str) -> None:
    clock = FrozenClock(datetime(2023, 1, 11, tzinfo=UTC))
    services = build(
        Settings(
            database_url=database_url,
            scan_interval=0,
            dispatch_interval=0,
            webhook_allow_http=True,
            webhook_allow_loopback=True,
        ),
        clock=clock,
    )
    # Each answer takes 4 s by the clock; a lease lasts 11 s and an attempt may take 10 s, so after
    # the first attempt of a claimed batch the dispatcher must not start another on the same lease.
    sent_without_a_lease = []

    def answer_slowly(request: Any) -> None:
        with services.engine.connect() as connection:
            expires = connection.execute(
                select(deliveries.c.lease_expires_at).where(deliveries.c.id == request.headers["webhook-id"])
            ).scalar_one()
        if expires is None or expires <= clock.now:
            sent_without_a_lease.append(request.headers["webhook-id"])
        clock.advance(seconds=4)

    with Receiver(before_answer=answer_slowly) as slow:
        services.subscriptions.create(slow.url, ["overdue"], [], None)
        seed(services, 6)
        clock.set(datetime(2025, 1, 2, tzinfo=UTC))
        services.scanner.tick()
        dispatcher = Dispatcher(
            services.engine,
            services.outbox,
            clock,
            DispatchSettings(timeout=10, lease=timedelta(seconds=11), policy=LOOPBACK),
        )
        assert dispatcher.tick(limit=6) == 6
        assert sent_without_a_lease == []
        dispatcher.close()
        ids = [r.headers["webhook-id"] for r in slow.received]
        assert sorted(ids) == sorted(set(ids)) and len(ids) == 6
        for webhook_id in ids:
            delivery = services.delivery_log.get(webhook_id)
            assert delivery["status"] == "succeeded" and len(delivery["attempt_log"]) == 1
    services.close()
