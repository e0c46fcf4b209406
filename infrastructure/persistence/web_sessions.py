"""Server-side sessions of the web pages: signing in with an API key opens one.

The browser holds only a random token (in an HttpOnly cookie); the table holds its SHA-256 hash,
the key it stands for, the CSRF token of its forms, and when it was opened and last used. A session
ends when it is signed out, when it was idle too long, when it is too old, or when its key is revoked:
the key is looked up again on every request. Sessions started and ended (and why) are counted in the
service's metrics (``infrastructure.operations.metrics``).
"""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from application.access.sessions import WebSession
from domain.access import Principal
from infrastructure.operations import metrics
from infrastructure.persistence.keys import KeyStore, token_hash
from infrastructure.persistence.tables import web_sessions

SEEN_EVERY = timedelta(minutes=1)


class WebSessions:
    def __init__(
        self,
        engine: Engine,
        keys: KeyStore,
        clock: Callable[[], datetime],
        idle: timedelta,
        lifetime: timedelta,
        people: Callable[[str], Principal | None] = lambda _: None,
    ) -> None:
        """``people``: the principal of a person's account as it is now (None: it signs in no more)."""
        self.engine = engine
        self.keys = keys
        self.clock = clock
        self.idle = idle
        self.lifetime = lifetime
        self.people = people

    def open(self, key: str) -> WebSession | None:
        """A new session for this API key; ``None`` if the key is unknown or revoked."""
        principal = self.keys.authenticate(key)
        return None if principal is None else self.open_for(principal)

    def open_for(self, principal: Principal, holder: str | None = None) -> WebSession:
        """A new session for a principal already proven (a person who signed in): ``holder``
        (``person:<id>@<generation>``) is looked up again on every request, so a person disabled, or given
        another role, is so at once."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.clock()
        with self.engine.begin() as connection:
            pruned = self._prune(connection, now)
            connection.execute(
                insert(web_sessions).values(
                    token_hash=token_hash(token), key_id=holder or principal.id, csrf=csrf, created_at=now, seen_at=now
                )
            )
        metrics.WEB_SESSIONS_STARTED.inc()
        metrics.counted(metrics.WEB_SESSIONS_ENDED, {"expired": pruned})
        return WebSession(token, principal, csrf)

    def find(self, token: str) -> WebSession | None:
        """The live session this token opened (and now marked as used), or ``None``."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        ended: tuple[str, int] | None = None  # why sessions ended here, and how many
        with self.engine.begin() as connection:
            row = connection.execute(select(web_sessions).where(web_sessions.c.token_hash == token_hash(token))).first()
            if row is None:
                return None
            principal: Principal | None = None
            if now - row.seen_at > self.idle or now - row.created_at > self.lifetime:
                gone = connection.execute(delete(web_sessions).where(web_sessions.c.token_hash == row.token_hash))
                ended = ("expired", gone.rowcount)
            elif (principal := self._principal(row.key_id)) is None:
                gone = connection.execute(delete(web_sessions).where(web_sessions.c.key_id == row.key_id))
                ended = ("key_revoked", gone.rowcount)
            elif now - row.seen_at >= SEEN_EVERY:  # not a write per page: the idle time is counted by the minute
                connection.execute(
                    update(web_sessions).where(web_sessions.c.token_hash == row.token_hash).values(seen_at=now)
                )
        if ended is not None:
            metrics.counted(metrics.WEB_SESSIONS_ENDED, {ended[0]: ended[1]})
        if principal is None:
            return None
        return WebSession(token, principal, row.csrf)

    def _principal(self, held_by: str) -> Principal | None:
        return self.people(held_by) if held_by.startswith("person:") else self.keys.principal(held_by)

    def close(self, token: str) -> None:
        with self.engine.begin() as connection:
            gone = connection.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash(token)))
        metrics.counted(metrics.WEB_SESSIONS_ENDED, {"signed_out": gone.rowcount})

    def _prune(self, connection: Connection, now: datetime) -> int:
        """Remove the sessions idle too long or too old; how many (counted once committed)."""
        gone = connection.execute(
            delete(web_sessions).where(
                or_(web_sessions.c.seen_at < now - self.idle, web_sessions.c.created_at < now - self.lifetime)
            )
        )
        return int(gone.rowcount)
