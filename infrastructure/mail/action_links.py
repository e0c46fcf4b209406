"""The focal points' links (``domain.parties.action_links``), signed with a key the service keeps: the token
holds the action, the party, the contact, the commitment, when it was issued and a nonce, and a tag over
them all, so it needs no sign-in and cannot be altered to reach another commitment, contact or action. The
links used already are kept by the digest of their token (``action_links_used``), so a link works once."""

import base64
import hashlib
import hmac
import secrets
import struct
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError

from domain.parties.action_links import ActionLink, LinkAction
from infrastructure.mail.tables import action_links_used

TAG_BYTES = 16
NONCE_BYTES = 6
VERSION = 1
ACTIONS = list(LinkAction)  # their codes in a token are their places here: new ones go at the end
_BODY = struct.Struct(">BB16s16s16sq6s")  # version, action, party, contact, commitment, issued (s), nonce
DOMAIN = b"action-link\x00"  # what the tag is for, besides its own key


class ActionLinks:
    def __init__(self, secret: Callable[[], str], base_url: str) -> None:
        self.secret = secret  # read when first needed (it is kept in the database), then kept here
        self.base_url = base_url.rstrip("/")
        self._key: bytes | None = None

    def _tag(self, body: bytes) -> bytes:
        if self._key is None:
            self._key = self.secret().encode()
        return hmac.new(self._key, DOMAIN + body, hashlib.sha256).digest()[:TAG_BYTES]

    def issue(
        self, action: LinkAction, party_id: UUID, contact_id: UUID, commitment_id: UUID, now: datetime
    ) -> ActionLink:
        return ActionLink(action, party_id, contact_id, commitment_id, now.replace(microsecond=0), new_nonce())

    def token(self, link: ActionLink) -> str:
        body = _BODY.pack(
            VERSION,
            ACTIONS.index(link.action),
            link.party_id.bytes,
            link.contact_id.bytes,
            link.commitment_id.bytes,
            int(link.issued_at.timestamp()),
            link.nonce,
        )
        return base64.urlsafe_b64encode(body + self._tag(body)).decode().rstrip("=")

    def url(self, link: ActionLink) -> str:
        return f"{self.base_url}/app/act/{self.token(link)}"

    def read(self, token: str) -> ActionLink | None:
        """The link a token is, or None if it is not one this service signed (or was altered)."""
        if len(token) > 200:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        if len(raw) != _BODY.size + TAG_BYTES or base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
            return None  # only the one form the service wrote: a link is used once, whatever else decodes alike
        body, tag = raw[: _BODY.size], raw[_BODY.size :]
        if not hmac.compare_digest(tag, self._tag(body)):
            return None
        version, action, party, contact, commitment, issued, nonce = _BODY.unpack(body)
        if version != VERSION or action >= len(ACTIONS):
            return None
        return ActionLink(
            ACTIONS[action],
            UUID(bytes=party),
            UUID(bytes=contact),
            UUID(bytes=commitment),
            datetime.fromtimestamp(issued, UTC),
            nonce,
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UsedActionLinks:
    """The links used already, in the database: the first request to claim a link uses it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, token: str, link: ActionLink, when: datetime) -> bool:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(action_links_used).values(
                        token_digest=_digest(token),
                        commitment_id=str(link.commitment_id),
                        contact_id=str(link.contact_id),
                        action=link.action.value,
                        used_at=when,
                    )
                )
        except IntegrityError:
            return False
        return True

    def release(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(action_links_used).where(action_links_used.c.token_digest == _digest(token)))

    def used(self, token: str) -> bool:
        with self.engine.connect() as connection:
            found: bool = connection.execute(
                select(exists().where(action_links_used.c.token_digest == _digest(token)))
            ).scalar_one()
        return found


def new_nonce() -> bytes:
    return secrets.token_bytes(NONCE_BYTES)
