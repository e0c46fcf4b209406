"""Attempts at signing in, held after too many in a row (decision 0075): each attempt at an address's password,
or at a person's second-factor code, is counted *before* it is checked, in one statement that also refuses it
while the subject is held, so that guesses sent all at once are counted as surely as guesses sent one by one.
After five in a row, each further one waits twice as long as the one before (at most 15 minutes); a sign-in
that succeeds clears the count. An address without an account is counted and held the same way, so that
the answers never tell which addresses have one."""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from infrastructure.people.tables import sign_in_holds

FREE_ATTEMPTS = 5
LONGEST_HOLD = timedelta(minutes=15)
FORGOTTEN_AFTER = timedelta(days=1)  # a subject not tried for a day starts afresh


def _key(subject: str) -> str:
    """What is tried (``address:…``, ``code:…``) as the table keeps it: a hash, never the address itself."""
    return hashlib.sha256(subject.casefold().encode()).hexdigest()


def _hold(attempts: int) -> timedelta:
    """1, 2, 4 … seconds after the free attempts, at most ``LONGEST_HOLD`` (the power bounded before it is taken)."""
    return min(LONGEST_HOLD, timedelta(seconds=2 ** min(attempts - FREE_ATTEMPTS, 20)))


class Holds:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def attempt(self, subject: str) -> timedelta | None:
        """Count one attempt: None if it may be checked now, else how long the subject is held."""
        now, subject = self.clock(), _key(subject)
        row = sign_in_holds.c
        for _ in range(2):  # a first attempt made at the same moment by another process: counted on its row
            with self.engine.begin() as connection:
                counted = connection.execute(
                    update(sign_in_holds)
                    .where(row.subject == subject, or_(row.held_until.is_(None), row.held_until <= now))
                    .values(
                        attempts=case((row.seen_at < now - FORGOTTEN_AFTER, 1), else_=row.attempts + 1), seen_at=now
                    )
                ).rowcount
                if counted:
                    attempts = connection.execute(select(row.attempts).where(row.subject == subject)).scalar_one()
                    if attempts >= FREE_ATTEMPTS:
                        connection.execute(
                            update(sign_in_holds).where(row.subject == subject).values(held_until=now + _hold(attempts))
                        )
                    return None
                until: datetime | None = connection.execute(
                    select(row.held_until).where(row.subject == subject)
                ).scalar_one_or_none()
                if until is not None:
                    return until - now
            try:  # its first attempt (or the first for a day)
                with self.engine.begin() as connection:
                    connection.execute(delete(sign_in_holds).where(row.seen_at < now - FORGOTTEN_AFTER))
                    connection.execute(insert(sign_in_holds).values(subject=subject, attempts=1, seen_at=now))
                return None
            except IntegrityError:
                continue
        return None

    def passed(self, subject: str) -> None:
        """The attempt was right: the count starts afresh."""
        with self.engine.begin() as connection:
            connection.execute(delete(sign_in_holds).where(sign_in_holds.c.subject == _key(subject)))
