"""Deterministic identifiers, where uniqueness is a business rule."""

import re
from uuid import UUID, uuid5

from domain.errors import InvalidValue

_NAMESPACE = UUID("6f2a7f0e-4d0b-5a55-9c1e-2f6a0c3b7d11")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def derived_id(kind: str, key: str) -> UUID:
    """The same ``key`` of the same ``kind`` always names the same aggregate."""
    return uuid5(_NAMESPACE, f"{kind}:{key}")


def series_slug(value: str, field_name: str = "series") -> str:
    """A meeting series is named by a slug such as ``un-oic-general-meeting``."""
    if not isinstance(value, str) or not _SLUG.match(value) or len(value) > 100:
        raise InvalidValue(
            "a series is a lower-case slug of letters, digits and hyphens, e.g. 'un-oic-general-meeting'",
            field_name,
        )
    return value
