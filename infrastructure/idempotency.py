"""Responses remembered under a client's ``Idempotency-Key``, replayed on retries."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from infrastructure.tables import idempotency_records


@dataclass(frozen=True)
class Remembered:
    fingerprint: str
    status_code: int
    body: str


class IdempotencyStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def find(self, principal: str, key: str) -> Remembered | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    idempotency_records.c.fingerprint, idempotency_records.c.status_code, idempotency_records.c.body
                ).where(idempotency_records.c.principal == principal, idempotency_records.c.key == key)
            ).first()
        return None if row is None else Remembered(row.fingerprint, row.status_code, row.body)

    def remember(self, principal: str, key: str, fingerprint: str, status_code: int, body: str) -> None:
        """Keep the first response; a concurrent twin that lost the race keeps nothing."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(idempotency_records).values(
                        principal=principal,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=status_code,
                        body=body,
                        created_at=self.clock(),
                    )
                )
        except IntegrityError:
            pass
