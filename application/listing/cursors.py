"""Page positions for every list, in one place: opaque to clients, strictly checked when they return.

A cursor is base64url of a JSON array: the name of the list (and order) it belongs to, then its
values. It is refused (400) unless it is exactly what this service would have issued for that
list: the right name, the right number of values, each of its type and within the range the
database can hold. A cursor from another list, another sort order, or made by hand never reaches
a query.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from application.errors import ApplicationError

INT4 = 2**31 - 1  # versions and log ids kept as 32-bit integers (PostgreSQL integer)
INT8 = 2**63 - 1  # positions in the event log (bigint)
MAX_CURSOR_LENGTH = 400


class InvalidCursor(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            "this cursor was not given by a previous page of the same list and order; start again without a cursor",
            "cursor",
        )


def _whole(highest: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
            raise InvalidCursor()
        return value

    return check


def _instant(value: Any) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidCursor()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidCursor() from None
    if parsed.tzinfo is None:
        raise InvalidCursor()
    return parsed.astimezone(UTC)


def _matching(pattern: str) -> Callable[[Any], str]:
    compiled = re.compile(pattern)

    def check(value: Any) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise InvalidCursor()
        return value

    return check


POSITION = _whole(INT8)  # a record's place in the event log (seq)
VERSION = _whole(INT4)  # an aggregate's version, or a row id kept as a 32-bit integer
OFFSET = _whole(10**9)  # how many items came before
INSTANT = _instant
DELIVERY_ID = _matching(r"msg_[0-9a-f]{24}")


def encode(name: str, *values: Any) -> str:
    """The cursor of list ``name`` after an item with these values."""
    data = json.dumps([name, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode(cursor: str | None, name: str, *checks: Callable[[Any], Any]) -> list[Any] | None:
    """The values of a cursor of list ``name``, each passed through its check (None: no cursor)."""
    if cursor is None:
        return None
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor() from None
    if not isinstance(values, list) or len(values) != len(checks) + 1 or values[0] != name:
        raise InvalidCursor()
    return [check(value) for check, value in zip(checks, values[1:], strict=True)]
