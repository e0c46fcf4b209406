"""People's passwords hashed with Argon2id (argon2-cffi's defaults: RFC 9106's second recommended set), the
invitations that let a person choose one (a random token, kept as its SHA-256, used once, until it expires),
and the commonest leaked passwords (zxcvbn's list of 30,000, shipped in its package: nothing is looked up)."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from infrastructure.people.tables import person_credentials, person_invitations

HASHER = PasswordHasher()  # Argon2id
NOT_A_PASSWORD = HASHER.hash(secrets.token_urlsafe(32))  # what an unknown person is checked against: same time


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether the password is too easy to guess: among the commonest leaked ones (as typed or in lower case), or
    scored below 3 of 4 by zxcvbn (repeats, sequences, keyboard rows, dates, common words and their l33t forms),
    read on its first 64 characters (enough to tell; a longer one is scored in bounded time)."""
    if password in _common() or password.casefold() in _common():
        return True
    from zxcvbn import zxcvbn

    return int(zxcvbn(password[:64])["score"]) < 3


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def invite(self, person_id: str, valid_for: timedelta) -> str:
        """A new invitation for the person (those it had before no longer work): its token, shown once."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(  # the earlier ones say they no longer work, rather than that they never did
                update(person_invitations)
                .where(person_invitations.c.person_id == person_id, person_invitations.c.used_at.is_(None))
                .values(used_at=self.clock())
            )
            connection.execute(
                insert(person_invitations).values(
                    token_hash=_digest(token), person_id=person_id, expires_at=self.clock() + valid_for
                )
            )
        return token

    def invited(self, token: str) -> tuple[str, str] | None:
        """The person an invitation names, and whether it ``works``, was ``used`` or has ``expired``; None: no
        invitation has this token."""
        if not token or len(token) > 100:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(person_invitations).where(person_invitations.c.token_hash == _digest(token))
            ).first()
        if row is None:
            return None
        state = "used" if row.used_at is not None else "expired" if self.clock() >= row.expires_at else "works"
        return str(row.person_id), state

    def choose(self, token: str, person_id: str, password: str) -> bool:
        """The password kept for the person and the invitation used, at once; False if it was used meanwhile."""
        now = self.clock()
        hashed = HASHER.hash(password)
        with self.engine.begin() as connection:
            used = connection.execute(
                update(person_invitations)
                .where(person_invitations.c.token_hash == _digest(token), person_invitations.c.used_at.is_(None))
                .values(used_at=now)
            ).rowcount
            if not used:
                return False
            connection.execute(delete(person_credentials).where(person_credentials.c.person_id == person_id))
            connection.execute(
                insert(person_credentials).values(person_id=person_id, password_hash=hashed, updated_at=now)
            )
        return True

    def verify(self, person_id: str, password: str) -> bool:
        """Whether the password is the person's (an unknown person costs the same time as a known one)."""
        with self.engine.connect() as connection:
            stored = connection.execute(
                select(person_credentials.c.password_hash).where(person_credentials.c.person_id == person_id)
            ).scalar_one_or_none()
        try:
            return HASHER.verify(stored or NOT_A_PASSWORD, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def forget(self, person_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(person_credentials).where(person_credentials.c.person_id == person_id))
            connection.execute(delete(person_invitations).where(person_invitations.c.person_id == person_id))

    def withdraw(self, person_id: str) -> None:
        """The person's unused links stop working (their account was disabled)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(person_invitations)
                .where(person_invitations.c.person_id == person_id, person_invitations.c.used_at.is_(None))
                .values(used_at=self.clock())
            )

    def made_since(self, person_id: str, since: datetime, valid_for: timedelta) -> bool:
        """Whether a link valid for ``valid_for`` was made for the person after ``since``."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(person_invitations.c.token_hash).where(
                        person_invitations.c.person_id == person_id,
                        person_invitations.c.expires_at > since + valid_for,
                        person_invitations.c.expires_at <= self.clock() + valid_for,  # a link this long, not longer
                    )
                ).first()
                is not None
            )

    def replace(self, person_id: str, password: str) -> None:
        """The person's new password (they proved the old one)."""
        hashed = HASHER.hash(password)
        with self.engine.begin() as connection:
            connection.execute(
                update(person_credentials)
                .where(person_credentials.c.person_id == person_id)
                .values(password_hash=hashed, updated_at=self.clock())
            )
