"""What an account holds beside its password, never in the event log (decision 0075): when it last signed in,
its authenticator's secret (a time-based one-time password, RFC 6238, with pyotp) and its single-use recovery
codes (kept as SHA-256)."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

import pyotp
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from infrastructure.people.tables import person_accounts, person_recovery_codes

RECOVERY_CODES = 10
ISSUER = "Commitments"


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _recovery_code() -> str:
    """Ten characters among 32 that are not mistaken for one another (50 bits), in two groups: ``k7q2m-x9fpa``."""
    letters = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def made(self, person_id: str) -> None:
        """The account's row, once (an account made again, e.g. invited anew, keeps its row)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(person_accounts).values(person_id=person_id, created_at=self.clock()))
        except IntegrityError:
            pass

    def any(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(select(person_accounts.c.person_id).limit(1)).first() is not None

    def listed(self) -> list[tuple[str, datetime | None, bool]]:
        """Every account, oldest first: its person, its last sign-in, whether a second factor is set up."""
        row = person_accounts.c
        with self.engine.connect() as connection:
            found = connection.execute(
                select(row.person_id, row.last_sign_in_at, row.totp_secret).order_by(row.created_at, row.person_id)
            ).all()
        return [(person, last, secret is not None) for person, last, secret in found]

    def last_sign_in(self, person_id: str) -> datetime | None:
        with self.engine.connect() as connection:
            found: datetime | None = connection.execute(
                select(person_accounts.c.last_sign_in_at).where(person_accounts.c.person_id == person_id)
            ).scalar_one_or_none()
        return found

    def signed_in(self, person_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(person_accounts)
                .where(person_accounts.c.person_id == person_id)
                .values(last_sign_in_at=self.clock())
            )

    # The second factor

    def has_second_factor(self, person_id: str) -> bool:
        return self._secret(person_id) is not None

    def _secret(self, person_id: str, column: str = "totp_secret") -> str | None:
        with self.engine.connect() as connection:
            found: str | None = connection.execute(
                select(person_accounts.c[column]).where(person_accounts.c.person_id == person_id)
            ).scalar_one_or_none()
        return found

    def secret_to_confirm(self, person_id: str, address: str) -> tuple[str, str]:
        """A secret to show (not yet in use): its text and its ``otpauth://`` address for the QR code. The one shown
        before, while unconfirmed, is shown again: a mistyped code does not make the person scan anew."""
        secret = self._secret(person_id, "totp_pending")
        if secret is None:
            secret = pyotp.random_base32()
            with self.engine.begin() as connection:
                connection.execute(
                    update(person_accounts).where(person_accounts.c.person_id == person_id).values(totp_pending=secret)
                )
        return secret, pyotp.TOTP(secret).provisioning_uri(name=address, issuer_name=ISSUER)

    def confirm_secret(self, person_id: str, code: str) -> list[str] | None:
        """The secret shown is in use once a code it made is given: the recovery codes, shown once; None: the
        code is not the secret's (or no secret was shown)."""
        pending = self._secret(person_id, "totp_pending")
        step = None if pending is None else _step_of(pending, code, self.clock())
        if pending is None or step is None:
            return None
        codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
        with self.engine.begin() as connection:
            connection.execute(
                update(person_accounts)
                .where(person_accounts.c.person_id == person_id)
                .values(totp_secret=pending, totp_pending=None, totp_last_step=step)
            )
            self._replace_codes(connection, person_id, codes)
        return codes

    def _replace_codes(self, connection: Connection, person_id: str, codes: list[str]) -> None:
        connection.execute(delete(person_recovery_codes).where(person_recovery_codes.c.person_id == person_id))
        if codes:
            connection.execute(
                insert(person_recovery_codes), [{"code_hash": _digest(c), "person_id": person_id} for c in codes]
            )

    def check_code(self, person_id: str, code: str) -> str | None:
        """Whether the code is the authenticator's (``"totp"``: the current one, or the one just before or after;
        each works once) or an unused recovery code (``"recovery"``, used up); None: neither."""
        code = "".join(code.split()).lower()
        secret = self._secret(person_id)
        if secret is None or not code or len(code) > 20:
            return None
        row = person_accounts.c
        step = _step_of(secret, code, self.clock())
        with self.engine.begin() as connection:
            if step is not None:
                used = connection.execute(
                    update(person_accounts)
                    .where(row.person_id == person_id, (row.totp_last_step.is_(None)) | (row.totp_last_step < step))
                    .values(totp_last_step=step)
                ).rowcount
                return "totp" if used else None
            used = connection.execute(
                update(person_recovery_codes)
                .where(
                    person_recovery_codes.c.code_hash == _digest(code),
                    person_recovery_codes.c.person_id == person_id,
                    person_recovery_codes.c.used_at.is_(None),
                )
                .values(used_at=self.clock())
            ).rowcount
        return "recovery" if used else None

    def new_recovery_codes(self, person_id: str) -> list[str]:
        """Ten new codes, shown once; the earlier ones stop working."""
        codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
        with self.engine.begin() as connection:
            self._replace_codes(connection, person_id, codes)
        return codes

    def recovery_codes_left(self, person_id: str) -> int:
        codes = person_recovery_codes.c
        with self.engine.connect() as connection:
            return len(
                connection.execute(
                    select(codes.code_hash).where(codes.person_id == person_id, codes.used_at.is_(None))
                ).all()
            )

    def forget_second_factor(self, person_id: str) -> None:
        """The authenticator and the recovery codes no longer work; a new one is set up at the next sign-in."""
        with self.engine.begin() as connection:
            connection.execute(
                update(person_accounts)
                .where(person_accounts.c.person_id == person_id)
                .values(totp_secret=None, totp_pending=None, totp_last_step=None)
            )
            self._replace_codes(connection, person_id, [])


def _step_of(secret: str, code: str, now: datetime) -> int | None:
    """The time step (30 seconds) whose code this is, within one step of now; None: none of them."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None
