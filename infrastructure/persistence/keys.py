"""API keys: stored as SHA-256 hashes, shown in clear only once, when created.

Keys are 256-bit random tokens, so a fast hash is enough to make a stolen table
useless; no salt or slow hash is needed as it would be for passwords.

A process remembers the active keys it has seen, so that authenticating a request asks nothing of
the database. What it remembers is dropped when any key is revoked: every ``FRESHNESS`` seconds at
most, on the first request after, one query reads how many keys are revoked and the latest
revocation, which every process sees; a revocation in this process drops it at once. A revoked key
is so refused everywhere within ``FRESHNESS`` seconds (decision 0028).
"""

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, Engine, func, insert, select, update

from application.access.keys import KeyInfo
from application.errors import AlreadyExists
from domain.access import Principal, Role
from infrastructure.persistence.tables import api_keys

KEY_PREFIX = "cmk_"
FRESHNESS = 0.25  # seconds: how long a process trusts the keys it remembers without asking
MAX_REMEMBERED = 10_000


def token_hash(token: str) -> str:
    """What is stored of a random token (a key, a session, a feed address): 256-bit tokens need no salt."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class KeyStore:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        freshness: float = FRESHNESS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.freshness = freshness
        self.monotonic = monotonic
        self._remembered: dict[tuple[str, str], Principal] = {}  # ("hash" or "id", value) -> the active key
        self._revocations: tuple[int, object] | None = None
        self._asked_at = float("-inf")
        self._lock = threading.Lock()

    def create(
        self,
        role: Role,
        name: str,
        party_scope: list[str] | None = None,
        form: str | None = None,
        owner: str | None = None,
    ) -> tuple[Principal, str]:
        """Make a key; returns it in clear, the only time it can be read. ``form``: the page's form that
        asks for it, which makes one key however often it is sent (a page reloaded sends it again)."""
        if party_scope is not None and role is not Role.COORDINATOR:
            raise ValueError("only coordinator keys are limited to parties")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        scope = None if party_scope is None else sorted(set(party_scope))
        with self.engine.begin() as connection:
            if (
                form is not None
                and connection.execute(select(api_keys.c.id).where(api_keys.c.made_by_form == form)).first() is not None
            ):
                raise AlreadyExists(
                    "this form made its key already: a key is shown only once, when it is made; "
                    "make another if that one was not kept"
                )
            connection.execute(
                insert(api_keys).values(
                    id=key_id,
                    name=name,
                    role=role.value,
                    key_hash=token_hash(key),
                    created_at=self.clock(),
                    party_scope=None if scope is None else json.dumps(scope),
                    made_by_form=form,
                    owner=owner,
                )
            )
        return Principal(id=key_id, name=name, role=role, party_scope=None if scope is None else frozenset(scope)), key

    def authenticate(self, key: str) -> Principal | None:
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        hashed = token_hash(key)
        return self._remembering(("hash", hashed), lambda: self._active(api_keys.c.key_hash == hashed))

    def principal(self, key_id: str) -> Principal | None:
        """Who the key with this id is, while it is not revoked (a web session asks on every request)."""
        return self._remembering(("id", key_id), lambda: self._active(api_keys.c.id == key_id))

    def _remembering(self, name: tuple[str, str], ask: Callable[[], Principal | None]) -> Principal | None:
        self._forget_if_revoked()
        found = self._remembered.get(name)
        if found is None:
            found = ask()
            if found is not None:
                with self._lock:
                    if len(self._remembered) >= MAX_REMEMBERED:
                        self._remembered.clear()
                    self._remembered[name] = found
        return found

    def _forget_if_revoked(self) -> None:
        now = self.monotonic()
        if now - self._asked_at < self.freshness:
            return
        with self.engine.connect() as connection:
            revocations = tuple(
                connection.execute(
                    select(func.count(), func.max(api_keys.c.revoked_at)).where(api_keys.c.revoked_at.is_not(None))
                ).one()
            )
        with self._lock:
            if revocations != self._revocations:
                self._remembered.clear()
                self._revocations = revocations
            self._asked_at = now

    def _active(self, condition: ColumnElement[bool]) -> Principal | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(api_keys.c.id, api_keys.c.name, api_keys.c.role, api_keys.c.party_scope).where(
                    condition, api_keys.c.revoked_at.is_(None)
                )
            ).first()
        if row is None:
            return None
        scope = None if row.party_scope is None else frozenset(json.loads(row.party_scope))
        return Principal(id=row.id, name=row.name, role=Role(row.role), party_scope=scope)

    def count_active(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                select(func.count()).select_from(api_keys).where(api_keys.c.revoked_at.is_(None))
            ).scalar_one()

    def scoped_parties(self) -> set[str]:
        """The parties some key in use is limited to: each has a key of its own to answer with."""
        with self.engine.connect() as connection:
            scopes = connection.execute(
                select(api_keys.c.party_scope).where(
                    api_keys.c.revoked_at.is_(None), api_keys.c.party_scope.is_not(None)
                )
            ).scalars()
            return {party for scope in scopes for party in json.loads(scope)}

    def list(self) -> list[KeyInfo]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)).all()
        return [
            KeyInfo(
                r.id,
                r.name,
                Role(r.role),
                None if r.party_scope is None else json.loads(r.party_scope),
                r.created_at,
                r.revoked_at,
                r.owner,
            )
            for r in rows
        ]

    def revoke_held_by(self, owner: str) -> int:
        """Every key the person holds revoked at once (their account disabled or erased): how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(api_keys)
                .where(api_keys.c.owner == owner, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        with self._lock:
            self._remembered.clear()
        return int(result.rowcount)

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        with self._lock:
            self._remembered.clear()
        return result.rowcount == 1
