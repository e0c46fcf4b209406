"""The unsubscribe link of a contact: it names the party and the contact and is signed with a key
the service keeps, so it needs no sign-in and cannot be made up for another contact."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from uuid import UUID

TAG_BYTES = 16


class UnsubscribeLinks:
    def __init__(self, secret: Callable[[], str], base_url: str) -> None:
        self.secret = secret  # read when first needed (it is kept in the database), then kept here
        self.base_url = base_url.rstrip("/")
        self._key: bytes | None = None

    @staticmethod
    def new_secret() -> str:
        return secrets.token_hex(32)

    def _tag(self, body: bytes) -> bytes:
        if self._key is None:
            self._key = self.secret().encode()
        return hmac.new(self._key, body, hashlib.sha256).digest()[:TAG_BYTES]

    def token(self, party_id: UUID, contact_id: UUID) -> str:
        body = party_id.bytes + contact_id.bytes
        return base64.urlsafe_b64encode(body + self._tag(body)).decode().rstrip("=")

    def url(self, party_id: UUID, contact_id: UUID) -> str:
        return f"{self.base_url}/app/unsubscribe/{self.token(party_id, contact_id)}"

    def read(self, token: str) -> tuple[UUID, UUID] | None:
        """The party and contact a token names, or None if it is not one this service signed."""
        if len(token) > 100:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        if len(raw) != 32 + TAG_BYTES or base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
            return None  # only the one form the service wrote
        if not hmac.compare_digest(raw[32:], self._tag(raw[:32])):
            return None
        return UUID(bytes=raw[:16]), UUID(bytes=raw[16:32])
