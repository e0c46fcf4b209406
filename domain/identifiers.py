"""Deterministic identifiers, where uniqueness is a business rule."""

import re
import time
from typing import Any
from uuid import UUID, uuid4, uuid5

from domain.errors import InvalidValue

_NAMESPACE = UUID("6f2a7f0e-4d0b-5a55-9c1e-2f6a0c3b7d11")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def derived_id(kind: str, key: str) -> UUID:
    """The same ``key`` of the same ``kind`` always names the same aggregate."""
    return uuid5(_NAMESPACE, f"{kind}:{key}")


def time_ordered_id(*_: Any, **__: Any) -> UUID:
    """A new aggregate's id when none is derived: a UUIDv7 (RFC 9562), 48 bits of Unix milliseconds
    then random bits, so that the event store's index inserts stay at its end (decision 0029).
    The time is the machine's, not the business clock: an id says nothing of when a fact happened."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(uuid4().bytes[6:], "big") & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # the RFC's variant
    return UUID(int=value)


def series_slug(value: str, field_name: str = "series") -> str:
    """A meeting series is named by a slug such as ``un-oic-general-meeting``."""
    if not isinstance(value, str) or not _SLUG.match(value) or len(value) > 100:
        raise InvalidValue(
            "a series is a lower-case slug of letters, digits and hyphens, e.g. 'un-oic-general-meeting'",
            field_name,
        )
    return value
