"""Each person's key (AES-256-GCM), kept in a table beside the event log, never in it: a value of theirs is
stored in events as ``sealed:v1:<base64 of nonce and ciphertext>``, bound to the person by the cipher's
associated data. Erasing the person deletes the key, records the erasure and empties the addresses the mailer
kept; every process forgets the keys it held within ``FORGET_AFTER`` seconds (it reads the erasures again),
and at once in the process that erased.

A value stored in clear (before values were sealed) is hidden once its person is erased: ``opened`` answers
None for it too."""

import base64
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from infrastructure.mail.tables import mail_digests
from infrastructure.personal.tables import personal_erasures, personal_keys

PREFIX = "sealed:v1:"
FORGET_AFTER = 30.0  # seconds: how long a process trusts what it read of the keys and erasures


class PersonalKeys:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self._keys: dict[str, bytes] = {}
        self._erased: set[str] = set()
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    # -- the port the transcodings use (``application.ports.PersonalSeal``)

    def sealed(self, person_id: str, value: str) -> str:
        """``value`` sealed with the person's key (made on first use). An erased person's value is not kept."""
        if self.is_erased(person_id):
            return ""
        key = self._key(person_id, create=True)
        assert key is not None  # made on first use
        nonce = os.urandom(12)
        cipher = AESGCM(key).encrypt(nonce, value.encode("utf-8"), person_id.encode())
        return PREFIX + base64.b64encode(nonce + cipher).decode("ascii")

    def opened(self, person_id: str, stored: str) -> str | None:
        """The value as written, or None when its person was erased (or its key is gone)."""
        if self.is_erased(person_id):
            return None
        if not stored.startswith(PREFIX):
            return stored  # stored in clear, before values were sealed
        key = self._key(person_id, create=False)
        if key is None:
            return None
        raw = base64.b64decode(stored.removeprefix(PREFIX))
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], person_id.encode()).decode("utf-8")
        except (InvalidTag, ValueError):
            return None

    def is_erased(self, person_id: str) -> bool:
        self._refresh()
        return person_id in self._erased

    # -- erasing

    def erase(self, person_id: str) -> None:
        """Delete the person's key and record the erasure; the addresses the mailer kept for them go too."""
        with self.engine.begin() as connection:
            connection.execute(delete(personal_keys).where(personal_keys.c.person_id == person_id))
            connection.execute(update(mail_digests).where(mail_digests.c.contact_id == person_id).values(address=""))
            known = connection.execute(
                select(personal_erasures.c.person_id).where(personal_erasures.c.person_id == person_id)
            ).first()
            if known is None:
                connection.execute(insert(personal_erasures).values(person_id=person_id, erased_at=self.clock()))
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # the pages the deletion left in the write-ahead log, gone
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        with self._lock:
            self._keys.pop(person_id, None)
            self._erased.add(person_id)

    def erasures(self) -> list[dict[str, Any]]:
        """Every erasure: the person, and when."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(personal_erasures).order_by(personal_erasures.c.erased_at)).all()
        return [{"person_id": r.person_id, "erased_at": r.erased_at} for r in rows]

    def erased(self) -> set[str]:
        self._refresh(at_once=True)
        return set(self._erased)

    # -- the cache

    def _refresh(self, at_once: bool = False) -> None:
        if not at_once and time.monotonic() - self._read_at < FORGET_AFTER:
            return
        with self.engine.connect() as connection:
            erased = set(connection.execute(select(personal_erasures.c.person_id)).scalars())
        with self._lock:
            self._erased = erased
            self._keys = {k: v for k, v in self._keys.items() if k not in erased}
            self._read_at = time.monotonic()

    def _key(self, person_id: str, create: bool) -> bytes | None:
        with self._lock:
            known = self._keys.get(person_id)
        if known is not None:
            return known
        with self.engine.connect() as connection:
            found = connection.execute(
                select(personal_keys.c.key).where(personal_keys.c.person_id == person_id)
            ).scalar_one_or_none()
        if found is None and create:
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        insert(personal_keys).values(
                            person_id=person_id, key=AESGCM.generate_key(256), created_at=self.clock()
                        )
                    )
            except IntegrityError:
                pass  # another process made it at the same time: read theirs
            return self._key(person_id, create=False)
        if found is not None:
            with self._lock:
                self._keys[person_id] = bytes(found)
        return None if found is None else bytes(found)
