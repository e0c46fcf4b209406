"""Through which door a change came: the JSON API (``api``), the web pages (``page``), a focal point's link from
an e-mail (``link``), the command line on the server (``cli``) or the service's own scheduler (``scheduler``).
Each door says so once for what it runs (``through``); every event its commands save carries it beside the
actor (``Records.save``), in the event itself, so the audit chain covers it and bundles show it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DOORS = ("api", "page", "link", "cli", "scheduler")
_current: ContextVar[str | None] = ContextVar("door", default=None)


@contextmanager
def through(door: str) -> Iterator[None]:
    """What runs within is done through ``door``."""
    if door not in DOORS:
        raise ValueError(f"no door {door!r}")
    token = _current.set(door)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str | None:
    """The door of what runs now; None: none said (a test calling the use cases itself)."""
    return _current.get()
