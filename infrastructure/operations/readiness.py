"""Whether this process can serve (``Readiness``: its database answers, through the tables' engine and the
event store's own connections), and how the deployment is doing (``DeploymentStatus``: the read model is
not far behind the event log, the scanner and the dispatcher have ticked lately in any process, the audit
chain is intact). The two are apart (decision 0058): a load balancer asks the first of each process, and
one stopped worker must not make every API process look unable to serve. Each background job leaves a
heartbeat when it runs; ``late_jobs`` tells a worker's health check which of its jobs stopped."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from infrastructure.audit.watch import ChainWatch
from infrastructure.persistence.database import DATABASE_ERRORS, cause, unreachable
from infrastructure.persistence.tables import heartbeats
from infrastructure.settings import Settings

MAX_READ_MODEL_LAG = 1_000  # events the read model may be behind the log
SLACK = timedelta(seconds=30)
TRACKED_JOBS = ("scanner", "dispatcher")  # the jobs the deployment's status shows (in any process)
_DOWN: tuple[type[Exception], ...] = (ConnectionError, *DATABASE_ERRORS)


class Heartbeats:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def beat(self, name: str) -> None:
        now = self.clock()
        with self.engine.begin() as connection:
            if connection.execute(update(heartbeats).where(heartbeats.c.name == name).values(at=now)).rowcount:
                return
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(heartbeats).values(name=name, at=now))
        except IntegrityError:
            pass  # another process beat first

    def last(self) -> dict[str, datetime]:
        with self.engine.connect() as connection:
            return {row.name: row.at for row in connection.execute(select(heartbeats))}


def ticking(last: datetime | None, interval: float, now: datetime) -> bool:
    """Whether a job that runs every ``interval`` seconds ran lately: within three intervals and some slack."""
    return last is not None and now - last <= timedelta(seconds=3 * interval) + SLACK


def worker_jobs(settings: Settings) -> dict[str, float]:
    """The background jobs these settings run, and the seconds between their ticks: what
    ``Services.background_jobs`` schedules and ``commitments worker --health`` asks after."""
    jobs = {
        "scanner": settings.scan_interval,
        "dispatcher": settings.dispatch_interval,
        "digests": settings.digest_interval if settings.smtp_host else 0,
        "audit": settings.audit_check_interval,
        "witnesses": settings.witness_interval,
    }
    return {name: interval for name, interval in jobs.items() if interval > 0}


def late_jobs(beats: dict[str, datetime], jobs: dict[str, float], now: datetime) -> dict[str, datetime | None]:
    """The jobs (of ``jobs``: name and interval) that have not ticked lately, and when they last did."""
    return {name: beats.get(name) for name, interval in jobs.items() if not ticking(beats.get(name), interval, now)}


@dataclass(frozen=True)
class Status:
    """The deployment, as this process sees it: each part up or down (``None``: not known, the database
    does not answer), the last tick of each tracked job in any process, the read model's lag in events."""

    parts: dict[str, bool | None]
    last_ticks: dict[str, datetime | None]
    read_model_lag: int | None


class Readiness:
    """``parts``: whether this process can serve; ``status``: how the deployment is doing (see the module)."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        heartbeats: Heartbeats,
        read_model_lag: Callable[[], int],
        chain: ChainWatch,
        intervals: dict[str, float],
    ) -> None:
        """``read_model_lag``: the events the read model is behind the log (it reads the log's last
        position through the event store's own connections); ``intervals``: each tracked background job
        and the seconds between its ticks (where it runs)."""
        self.engine = engine
        self.clock = clock
        self.heartbeats = heartbeats
        self.read_model_lag = read_model_lag
        self.chain = chain
        self.intervals = intervals

    def unreachable(self, error: BaseException) -> bool:
        """Whether an error says the database does not answer (``database.unreachable``), rather than that a
        statement failed: the API answers 503 with Retry-After (it reaches the rule through this object)."""
        return unreachable(error)

    def cause(self, error: BaseException) -> str:
        """The error's cause in one line, in the driver's words, without the database's password."""
        return cause(error, self.engine.url.render_as_string(hide_password=False))

    def _database_answers(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DATABASE_ERRORS:
            return False
        return True

    def parts(self) -> dict[str, bool]:
        """This process's parts: its tables' connections and the event store's answer (the event log's last
        position is read). Nothing another process does (or fails to do) is asked."""
        if not self._database_answers():
            return {"database": False, "event_store": False}  # the event store's pool would only wait
        try:
            self.read_model_lag()
        except DATABASE_ERRORS:
            return {"database": True, "event_store": False}
        return {"database": True, "event_store": True}

    def status(self) -> Status:
        """The deployment's parts: the database, the read model's lag, the tracked jobs' last ticks in any
        process, the audit chain as last checked."""
        try:
            if not self._database_answers():
                raise ConnectionError("the database does not answer")
            beats = self.heartbeats.last()
            lag = self.read_model_lag()
            intact = self.chain.state().intact
        except _DOWN:
            unknown: dict[str, bool | None] = dict.fromkeys(("read_model", *TRACKED_JOBS, "audit_chain"))
            return Status({"database": False, **unknown}, dict.fromkeys(TRACKED_JOBS), None)
        now = self.clock()
        parts: dict[str, bool | None] = {"database": True, "read_model": lag <= MAX_READ_MODEL_LAG}
        for name in TRACKED_JOBS:
            parts[name] = ticking(beats.get(name), self.intervals[name], now)
        parts["audit_chain"] = intact
        return Status(parts, {name: beats.get(name) for name in TRACKED_JOBS}, lag)
