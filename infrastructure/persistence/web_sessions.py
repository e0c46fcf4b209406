"""Server-side sessions of the web pages: signing in with an API key opens one.

The browser holds only a random token (in an HttpOnly cookie); the table holds its SHA-256 hash,
the key it stands for, the CSRF token of its forms, and when it was opened and last used. A session
ends when it is signed out, when it was idle too long, when it is too old, or when its key is revoked:
the key is looked up again on every request.
"""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from application.access.sessions import WebSession
from infrastructure.persistence.keys import KeyStore, token_hash
from infrastructure.persistence.tables import web_sessions

SEEN_EVERY = timedelta(minutes=1)


class WebSessions:
    def __init__(
        self, engine: Engine, keys: KeyStore, clock: Callable[[], datetime], idle: timedelta, lifetime: timedelta
    ) -> None:
        self.engine = engine
        self.keys = keys
        self.clock = clock
        self.idle = idle
        self.lifetime = lifetime

    def open(self, key: str) -> WebSession | None:
        """A new session for this API key; ``None`` if the key is unknown or revoked."""
        principal = self.keys.authenticate(key)
        if principal is None:
            return None
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.clock()
        with self.engine.begin() as connection:
            self._prune(connection, now)
            connection.execute(
                insert(web_sessions).values(
                    token_hash=token_hash(token), key_id=principal.id, csrf=csrf, created_at=now, seen_at=now
                )
            )
        return WebSession(token, principal, csrf)

    def find(self, token: str) -> WebSession | None:
        """The live session this token opened (and now marked as used), or ``None``."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        with self.engine.begin() as connection:
            row = connection.execute(select(web_sessions).where(web_sessions.c.token_hash == token_hash(token))).first()
            if row is None:
                return None
            if now - row.seen_at > self.idle or now - row.created_at > self.lifetime:
                connection.execute(delete(web_sessions).where(web_sessions.c.token_hash == row.token_hash))
                return None
            principal = self.keys.principal(row.key_id)
            if principal is None:
                connection.execute(delete(web_sessions).where(web_sessions.c.key_id == row.key_id))
                return None
            if now - row.seen_at >= SEEN_EVERY:  # not a write per page: the idle time is counted by the minute
                connection.execute(
                    update(web_sessions).where(web_sessions.c.token_hash == row.token_hash).values(seen_at=now)
                )
        return WebSession(token, principal, row.csrf)

    def close(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash(token)))

    def _prune(self, connection: Connection, now: datetime) -> None:
        connection.execute(
            delete(web_sessions).where(
                or_(web_sessions.c.seen_at < now - self.idle, web_sessions.c.created_at < now - self.lifetime)
            )
        )
