"""A process that dies in the middle of saving: run as ``python -m tests.killed_writer DATABASE_URL``.

It records a commitment with a follower that, inside the saving transaction, after the read
model and the outbox wrote their rows, says "inside" and waits for its end (SIGKILL from the test).
"""

import sys
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from api.bootstrap import build
from application.inputs import DueInput, TextInput
from application.ports import Saved
from application.storage.saving import Records
from application.tracker import Tracker
from infrastructure.log.aggregates import BatchReader
from infrastructure.log.follower import LogFollower
from infrastructure.log.writer import SqlWriter
from infrastructure.settings import Settings
from tests.actors import acting


class Stuck(LogFollower):
    name = "stuck"

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        print("inside", flush=True)
        sys.stdin.readline()  # never answered: the process is killed here


def main(database_url: str, party_id: str, meeting_id: str) -> None:
    services = build(Settings(database_url=database_url, scan_interval=0, dispatch_interval=0))
    stuck = Stuck(services.engine, services.store.recorder)
    stuck.start(at_the_end=True)
    writer = SqlWriter(
        services.writing_engine, services.store, [services.projector, services.outbox, services.audit, stuck]
    )
    tracker = Tracker.on(Records(services.store, writer=writer, reader=BatchReader(services.store)))
    tracker.commitments.record(
        acting("key_killed"),
        TextInput({"ar": "التزام لن يُحفظ", "en": "Never stored"}, "ar"),
        UUID(party_id),
        UUID(meeting_id),
        due=DueInput("year", "2030"),
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
