"""APScheduler as a tick only: jobs run at an interval, nothing is persisted.

Which facts a tick records is decided by the commitments themselves and their versions,
so a lost tick is made up by the next one and racing ticks record nothing twice.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger("commitments.ticks")
# A tick still running when the next is due is skipped by design; do not warn about it.
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


def _logged(name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("the %s tick failed; the next tick tries again", name)

    return run


def start(jobs: dict[str, tuple[Callable[[], object], float]]) -> BackgroundScheduler:
    """Run each job every so many seconds, the first time now."""
    scheduler = BackgroundScheduler(timezone=UTC)
    for name, (job, interval_seconds) in jobs.items():
        scheduler.add_job(
            _logged(name, job),
            "interval",
            seconds=interval_seconds,
            id=name,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
    scheduler.start()
    return scheduler
