"""Whether the service is ready to be relied on, part by part: the database answers, the read model
is not far behind the event log, the scanner and the dispatcher have ticked lately (in any process),
and the audit chain is intact. Each background job leaves a heartbeat when it runs."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from infrastructure.audit.watch import ChainWatch
from infrastructure.persistence.tables import heartbeats

MAX_READ_MODEL_LAG = 1_000  # events the read model may be behind the log
SLACK = timedelta(seconds=30)


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


class Readiness:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        heartbeats: Heartbeats,
        read_model_lag: Callable[[], int],
        chain: ChainWatch,
        intervals: dict[str, float],
    ) -> None:
        """``intervals``: each background job and the seconds between its ticks (where it runs)."""
        self.engine = engine
        self.clock = clock
        self.heartbeats = heartbeats
        self.read_model_lag = read_model_lag
        self.chain = chain
        self.intervals = intervals

    def parts(self) -> dict[str, bool]:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return {"database": False, "read_model": False, "scanner": False, "dispatcher": False, "audit_chain": False}
        now = self.clock()
        beats = self.heartbeats.last()

        def ticking(name: str) -> bool:
            last = beats.get(name)
            return last is not None and now - last <= timedelta(seconds=3 * self.intervals[name]) + SLACK

        return {
            "database": True,
            "read_model": self.read_model_lag() <= MAX_READ_MODEL_LAG,
            "scanner": ticking("scanner"),
            "dispatcher": ticking("dispatcher"),
            "audit_chain": self.chain.state().intact,
        }
