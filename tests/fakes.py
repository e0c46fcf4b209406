"""The only fake: a clock that stands still until a test moves it."""

from datetime import datetime, timedelta, timezone


class FrozenClock:
    def __init__(self, now: datetime = datetime(2022, 7, 21, 9, 0, tzinfo=timezone.utc)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, now: datetime) -> None:
        self.now = now
