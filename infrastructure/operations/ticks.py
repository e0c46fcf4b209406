"""APScheduler as a tick only: jobs run at an interval, nothing is persisted.

Which facts a tick records is decided by the commitments themselves and their versions,
so a lost tick is made up by the next one and racing ticks record nothing twice.

A job that fails is logged once, with its cause, and then tried less and less often (decision 0058):
while the database does not answer, the dispatcher's tick every 2 s is a line when it stops working
and a line when it works again, not a traceback every 2 s.
"""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from application import doors
from infrastructure.persistence.database import cause, unreachable

log = logging.getLogger("commitments.ticks")
# A tick still running when the next is due is skipped by design; do not warn about it.
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)

LONGEST_WAIT = 60.0  # seconds: a failing job is tried at least this often (or at its own interval, if longer)


class Backoff:
    """A job run at each tick; after a failure, the ticks are skipped for twice its interval, then twice
    as long after each further failure, up to ``LONGEST_WAIT`` (never less often than its own interval).

    A failure is logged when it starts, with its cause: one line when the database does not answer (its
    driver's words, never the password), a traceback otherwise; again only when the kind of failure changes. The
    first run that works again is logged too, with how long and how many tries it failed."""

    def __init__(
        self, name: str, job: Callable[[], object], interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.job = job
        self.interval = interval
        self.clock = clock
        self.failures = 0
        self.failing_since: float | None = None
        self.next_try = 0.0
        self._last_cause: str | None = None

    @property
    def wait(self) -> float:
        """Seconds until the next try, after as many failures as there were."""
        if not self.failures:
            return 0.0
        return max(self.interval, min(LONGEST_WAIT, self.interval * 2.0**self.failures))

    def __call__(self) -> None:
        now = self.clock()
        if self.failing_since is not None and now < self.next_try:
            return  # still waiting after a failure
        try:
            with doors.through("scheduler"):
                self.job()
        except Exception as error:
            self._failed(error, now)
            return
        if self.failing_since is not None:
            log.warning(
                "the %s tick works again, after %d failed tries in %.0f s",
                self.name,
                self.failures,
                now - self.failing_since,
            )
            self.failures, self.failing_since, self._last_cause = 0, None, None

    def _failed(self, error: Exception, now: float) -> None:
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = now
        self.next_try = now + self.wait
        database = unreachable(error)
        said = "the database does not answer" if database else f"{type(error).__name__}: {cause(error)}"
        if said == self._last_cause:
            return  # said already, when this failure began
        self._last_cause = said
        if database:
            log.warning(
                "the %s tick cannot reach the database (%s); tried again in %g s, then less and less "
                "often (at most %g s apart) until it answers",
                self.name,
                cause(error),
                self.wait,
                max(self.interval, LONGEST_WAIT),
            )
        else:
            log.error(
                "the %s tick failed (%s); tried again in %g s, then less and less often until it works",
                self.name,
                said,
                self.wait,
                exc_info=error,
            )


def start(jobs: dict[str, tuple[Callable[[], object], float]]) -> BackgroundScheduler:
    """Run each job every so many seconds, the first time now."""
    scheduler = BackgroundScheduler(timezone=UTC)
    for name, (job, interval_seconds) in jobs.items():
        scheduler.add_job(
            Backoff(name, job, interval_seconds),
            "interval",
            seconds=interval_seconds,
            id=name,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
    scheduler.start()
    return scheduler
