"""Responses remembered under a client's ``Idempotency-Key``: one request carried out per key.

A request with a key first reserves it (a row with the request's fingerprint and no response yet);
the reservation is the lock, so two requests racing with one key cannot both be carried out. A twin
that finds the key reserved with the same fingerprint waits for the response and replays it; with
another fingerprint it is refused at once. A reservation whose owner failed is released; one whose
process died is taken over after ``stale_after`` (the request's derived ids then make it find what
the first attempt created).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from application.errors import StillInProgress
from infrastructure.persistence.tables import idempotency_records

IN_PROGRESS = 0  # status_code of a reservation whose response is not known yet


@dataclass(frozen=True)
class Remembered:
    fingerprint: str
    status_code: int
    body: str


class IdempotencyStore:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        stale_after: timedelta = timedelta(seconds=60),
        wait: float = 30.0,
        poll: float = 0.05,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.stale_after = stale_after
        self.wait = wait
        self.poll = poll

    def find(self, principal: str, key: str) -> Remembered | None:
        row = self._row(principal, key)
        return None if row is None else Remembered(row.fingerprint, row.status_code, row.body)

    def _row(self, principal: str, key: str) -> Row[Any] | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(idempotency_records).where(
                    idempotency_records.c.principal == principal, idempotency_records.c.key == key
                )
            ).first()

    def reserve(self, principal: str, key: str, fingerprint: str) -> Remembered | None:
        """None: the key is this request's to carry out (then ``remember`` or ``release`` it). Else what
        the key already holds: a response to replay, or another request's fingerprint (not waited for)."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        insert(idempotency_records).values(
                            principal=principal,
                            key=key,
                            fingerprint=fingerprint,
                            status_code=IN_PROGRESS,
                            body="",
                            created_at=self.clock(),
                        )
                    )
                return None
            except IntegrityError:
                pass
            row = self._row(principal, key)
            if row is None:
                continue  # released meanwhile: try again
            held = Remembered(row.fingerprint, row.status_code, row.body)
            if held.fingerprint != fingerprint or held.status_code != IN_PROGRESS:
                return held
            if self._take_over_if_stale(principal, key, row.created_at):
                return None
            if time.monotonic() >= deadline:
                raise StillInProgress()
            time.sleep(self.poll)  # the twin carrying it out answers within a command's time

    def _take_over_if_stale(self, principal: str, key: str, reserved_at: datetime) -> bool:
        if self.clock() - reserved_at < self.stale_after:
            return False
        with self.engine.begin() as connection:
            return (
                connection.execute(
                    update(idempotency_records)
                    .where(
                        idempotency_records.c.principal == principal,
                        idempotency_records.c.key == key,
                        idempotency_records.c.status_code == IN_PROGRESS,
                        idempotency_records.c.created_at == reserved_at,
                    )
                    .values(created_at=self.clock())
                ).rowcount
                == 1
            )

    def remember(self, principal: str, key: str, status_code: int, body: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(idempotency_records)
                .where(
                    idempotency_records.c.principal == principal,
                    idempotency_records.c.key == key,
                )
                .values(status_code=status_code, body=body)
            )

    def release(self, principal: str, key: str) -> None:
        """The request failed: the key is free for a retry."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(idempotency_records).where(
                    idempotency_records.c.principal == principal,
                    idempotency_records.c.key == key,
                    idempotency_records.c.status_code == IN_PROGRESS,
                )
            )
