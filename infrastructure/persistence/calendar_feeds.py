"""Where calendar feeds are kept (``application.listing.calendars.FeedStore``): a secret address per key (or per
party) that calendar programs read without a key.

The address holds a random token, shown once; the table keeps its SHA-256 hash. A feed answers
while it is not revoked and its key is not revoked either."""

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from application.errors import NotFound
from application.listing.calendars import Feed
from application.views import plain
from domain.access import Principal
from infrastructure.persistence.keys import KeyStore, token_hash
from infrastructure.persistence.tables import calendar_feeds

TOKEN_PREFIX = "cal_"


def _feed(row: Row[Any]) -> Feed:
    return Feed(
        row.id,
        row.key_id,
        row.party_id,
        plain(row.created_at),
        None if row.revoked_at is None else plain(row.revoked_at),
    )


class SqlFeedStore:
    def __init__(self, engine: Engine, keys: KeyStore, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.keys = keys
        self.clock = clock

    def create(self, principal: Principal, party_id: str | None) -> tuple[Feed, str]:
        """A new feed for the key, and its token: in clear this once only."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(24)
        feed_id = "feed_" + secrets.token_hex(6)
        with self.engine.begin() as connection:
            connection.execute(
                insert(calendar_feeds).values(
                    id=feed_id,
                    token_hash=token_hash(token),
                    key_id=principal.id,
                    party_id=party_id,
                    created_at=self.clock(),
                )
            )
        return self.get(feed_id), token

    def get(self, feed_id: str) -> Feed:
        with self.engine.connect() as connection:
            row = connection.execute(select(calendar_feeds).where(calendar_feeds.c.id == feed_id)).first()
        if row is None:
            raise NotFound("calendar feed", feed_id)
        return _feed(row)

    def of(self, key_id: str | None) -> list[Feed]:
        """The feeds of a key (``None``: of every key)."""
        statement = select(calendar_feeds).order_by(calendar_feeds.c.created_at, calendar_feeds.c.id)
        if key_id is not None:
            statement = statement.where(calendar_feeds.c.key_id == key_id)
        with self.engine.connect() as connection:
            return [_feed(row) for row in connection.execute(statement)]

    def revoke(self, feed_id: str) -> Feed:
        with self.engine.begin() as connection:
            connection.execute(
                update(calendar_feeds)
                .where(calendar_feeds.c.id == feed_id, calendar_feeds.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )
        return self.get(feed_id)

    def read(self, token: str) -> tuple[Feed, Principal] | None:
        """The live feed of this token and the key it reads for, or ``None``."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(calendar_feeds).where(
                    calendar_feeds.c.token_hash == token_hash(token), calendar_feeds.c.revoked_at.is_(None)
                )
            ).first()
        if row is None:
            return None
        principal = self.keys.principal(row.key_id)
        return None if principal is None else (_feed(row), principal)
