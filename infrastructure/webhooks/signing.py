"""Standard Webhooks v1 signatures: HMAC-SHA256 over ``id.timestamp.body`` with a ``whsec_`` secret."""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def in_use(secret: str, previous: str | None, previous_until: datetime | None, now: datetime) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    return [secret, previous] if previous and previous_until and now < previous_until else [secret]


def headers(secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers; during a secret rotation, one signature per secret still in use."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, message_id, timestamp, body) for s in secrets_in_use),
    }
