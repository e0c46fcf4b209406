"""The fakes: a clock that stands still until a test moves it, and followers of the log that only
record what they are told, or fail. Everything else in the tests is real."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from application.ports import Saved
from infrastructure.log.follower import LogFollower


class FrozenClock:
    def __init__(self, now: datetime = datetime(2022, 7, 21, 9, 0, tzinfo=UTC)) -> None:
        self.now = now
        self._next_reading: Callable[[], object] | None = None

    def __call__(self) -> datetime:
        happen, self._next_reading = self._next_reading, None
        if happen is not None:
            happen()
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, now: datetime) -> None:
        self.now = now

    def before_next_reading(self, happen: Callable[[], object]) -> None:
        """``happen`` runs (once) the next time anything reads the clock, before it answers."""
        self._next_reading = happen


class RecordingFollowers:
    """Followers of the log (the ``Followers`` port) that keep what each command saved, and do nothing else."""

    def __init__(self) -> None:
        self.told: list[Saved] = []

    def follow(self, saved: Saved) -> None:
        self.told.append(saved)


class FailingFollowers:
    """Followers of the log that fail every time they are told of a save."""

    def follow(self, saved: Saved) -> None:
        raise RuntimeError("the followers are down")


class FailingFollower(LogFollower):
    """A follower of the log, with a position of its own, that fails the first ``failures`` times it handles events."""

    name = "failing"

    def __init__(self, *args: Any, failures: int = 1_000_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures = failures
        self.handled: list[int] = []

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("connection lost")
        self.handled += [notification.id for notification in notifications]
