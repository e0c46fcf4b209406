"""A broken chain is noticed without anyone asking.

At each tick of the worker the links added since the last check are recomputed from the stored
events (starting from the last link that matched), and the whole chain again at a longer interval,
since an old event can be edited too. A break found (by a tick, or by anyone's verification) is
recorded once, logged, and told once to ``operations`` subscribers as ``audit.chain_broken``;
``GET /audit/head`` and the readiness check report it. A later check of the whole chain that finds
it intact again (the rows restored from a backup) marks the break resolved.

Each check and each break recorded is counted in the service's metrics; and since the watch follows the
log's end, it offers the metrics, read when they are scraped, how far each follower of the log (the read
model, the webhook outbox, the chain) has come, when each background job last ran, and whether the chain
is intact (``infrastructure.operations.metrics``).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection, Engine, TextClause, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from application.access.audit import Verification
from application.views import plain
from domain.audit import GENESIS
from domain.webhooks import CHAIN_BROKEN
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.tables import audit_breaks, audit_watch
from infrastructure.operations import metrics
from infrastructure.persistence.tables import follower_positions, heartbeats
from infrastructure.read_model.tables import READ_MODEL, projection_state
from infrastructure.webhooks.outbox import Outbox

NAME = "audit_chain"
log = logging.getLogger("commitments.audit")


@dataclass(frozen=True)
class ChainState:
    """What the checks found so far."""

    intact: bool
    verified_up_to: int
    last_check_at: datetime | None
    last_full_check_at: datetime | None
    first_broken_position: int | None
    problem: str | None
    broken_since: datetime | None

    def shown(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "verified_up_to": self.verified_up_to,
            "last_check_at": plain(self.last_check_at),
            "last_full_check_at": plain(self.last_full_check_at),
            "first_broken_position": self.first_broken_position,
            "problem": self.problem,
            "broken_since": plain(self.broken_since),
        }


class ChainWatch:
    def __init__(
        self,
        engine: Engine,
        chain: AuditChain,
        outbox: Outbox,
        clock: Callable[[], datetime],
        full_check_interval: float,
    ) -> None:
        self.engine = engine
        self.chain = chain
        self.outbox = outbox
        self.clock = clock
        self.full_check_interval = timedelta(seconds=full_check_interval)
        self._log_end = _log_end(engine, chain)

    def start(self) -> None:
        """Nothing is checked yet: the first tick checks the whole chain."""
        with self.engine.begin() as connection:
            if self._row(connection) is None:
                connection.execute(insert(audit_watch).values(name=NAME, verified_position=0, verified_link=GENESIS))

    def tick(self) -> Verification:
        """Check the links added since the last check, or the whole chain when its time has come."""
        self.chain.catch_up()
        with self.engine.connect() as connection:
            row = self._row(connection)
        now = self.clock()
        full = row.last_full_check_at is None or now - row.last_full_check_at >= self.full_check_interval
        after = (0, GENESIS) if full else (row.verified_position, row.verified_link)
        result = self.chain.verify(after=after)
        self.record(result, full, now)
        return result

    def verify(self, up_to: int | None = None) -> Verification:
        """Check the whole chain (up to a position) now, as an auditor asks; a break found is recorded too."""
        self.chain.catch_up()
        result = self.chain.verify(up_to)
        self.record(result, full=up_to is None, now=self.clock())
        return result

    def record(self, result: Verification, full: bool, now: datetime) -> None:
        with self.engine.begin() as connection:
            row = self._row(connection)
            values: dict[str, Any] = {"last_check_at": now}
            if full:
                values["last_full_check_at"] = now
            if result.intact and (full or result.position >= row.verified_position):
                values.update(verified_position=result.position, verified_link=result.link)
            connection.execute(update(audit_watch).where(audit_watch.c.name == NAME).values(**values))
            if result.intact and full:
                connection.execute(
                    update(audit_breaks).where(audit_breaks.c.resolved_at.is_(None)).values(resolved_at=now)
                )
        metrics.CHAIN_CHECKS.labels("full" if full else "partial", "intact" if result.intact else "broken").inc()
        if not result.intact:
            self._broken(result, now)

    def _broken(self, result: Verification, now: datetime) -> None:
        """Recorded and told once per break, however many processes find it."""
        try:
            with self.engine.begin() as connection:
                open_break = connection.execute(
                    select(audit_breaks.c.position).where(
                        audit_breaks.c.position == result.first_broken, audit_breaks.c.resolved_at.is_(None)
                    )
                ).first()
                if open_break is not None:
                    return
                connection.execute(audit_breaks.delete().where(audit_breaks.c.position == result.first_broken))
                connection.execute(
                    insert(audit_breaks).values(
                        position=result.first_broken,
                        problem=result.problem,
                        detected_at=now,
                        record_id=self._record_at(result.first_broken),
                    )
                )
                log.error("the audit chain is broken at position %s: %s", result.first_broken, result.problem)
                self.outbox.emit(
                    connection,
                    CHAIN_BROKEN,
                    {
                        "audit": {
                            "first_broken_position": result.first_broken,
                            "problem": result.problem,
                            "detected_at": plain(now),
                            "checked": result.checked,
                        }
                    },
                    about=None,
                )
        except IntegrityError:
            return  # another process recorded the same break at the same moment, and told it
        metrics.CHAIN_BREAKS.inc()

    def _record_at(self, position: int | None) -> str | None:
        """The record whose stored event is at ``position`` (None: no event is there any more)."""
        if position is None:
            return None
        found = self.chain.recorder.select_notifications(position, 1, stop=position)
        return str(found[0].originator_id) if found else None

    def figures(self) -> list[Metric]:
        """For the metrics (read when they are scraped): see the module."""
        with self.engine.connect() as connection:
            followers = {
                row.name: row.position
                for row in connection.execute(select(follower_positions.c.name, follower_positions.c.position))
            }
            beats = {row.name: row.at for row in connection.execute(select(heartbeats.c.name, heartbeats.c.at))}
            broken = connection.execute(
                select(audit_breaks.c.position).where(audit_breaks.c.resolved_at.is_(None)).limit(1)
            ).first()
            log_end = connection.execute(self._log_end).scalar() or 0
            try:  # last: a rebuild may be making its table again
                read_model = connection.execute(
                    select(projection_state.c.position).where(projection_state.c.name == READ_MODEL)
                ).scalar()
            except SQLAlchemyError:
                read_model = None
        return metrics.log_figures(log_end, read_model, followers, beats, intact=broken is None)

    def state(self) -> ChainState:
        with self.engine.connect() as connection:
            row = self._row(connection)
            broken = connection.execute(
                select(audit_breaks)
                .where(audit_breaks.c.resolved_at.is_(None))
                .order_by(audit_breaks.c.position)
                .limit(1)
            ).first()
        return ChainState(
            intact=broken is None,
            verified_up_to=row.verified_position,
            last_check_at=row.last_check_at,
            last_full_check_at=row.last_full_check_at,
            first_broken_position=broken.position if broken else None,
            problem=broken.problem if broken else None,
            broken_since=broken.detected_at if broken else None,
        )

    @staticmethod
    def _row(connection: Connection) -> Any:
        return connection.execute(select(audit_watch).where(audit_watch.c.name == NAME)).first()


def _log_end(engine: Engine, chain: AuditChain) -> TextClause:
    """The position of the last event stored, asked through the tables' engine rather than the event
    store's own connections (a process that has closed its event store still answers its metrics)."""
    recorder: Any = chain.recorder
    if engine.dialect.name == "sqlite":
        return text(f"SELECT MAX(rowid) FROM {recorder.events_table_name}")
    return text(f'SELECT MAX(notification_id) FROM "{recorder.datastore.schema}"."{recorder.events_table_name}"')
