"""The audit chain: a SHA-256 link per stored event (``domain.audit``), kept beside the log.

The chain follows the event log like the read model, each batch of links written in the
same transaction as its position. Verifying recomputes every link from the stored events,
so a row changed, removed or inserted behind the service's back is found.
"""

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Connection, Engine, func, insert, select

from application.access.audit import Verification
from application.ports import Saved
from application.views import plain
from domain.audit import GENESIS, chain_link
from infrastructure.audit.head_signing import HeadSigner
from infrastructure.audit.tables import audit_chain
from infrastructure.log.follower import LogFollower
from infrastructure.persistence.driver import TO_THE_DRIVER, Statements

BATCH = 1000


def _stored(state: Any) -> bytes:
    """The stored state as bytes, even if someone rewrote the column with another type."""
    return state if isinstance(state, bytes) else str(state).encode("utf-8")


# Built once: the driver keeps each compiled.
_LAST_LINK = select(audit_chain.c.link).order_by(audit_chain.c.position.desc()).limit(1)
_ADD_LINKS = insert(audit_chain)


class AuditChain(LogFollower):
    """Follows the whole log, from its first event."""

    name, batch_size = "audit_chain", BATCH

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        signer: HeadSigner,
        clock: Callable[[], datetime],
        statements: Statements = TO_THE_DRIVER,
    ) -> None:
        super().__init__(engine, recorder, statements=statements)
        self.signer = signer
        self.clock = clock

    def handle(self, connection: Connection, notifications: list[Any], saved: Saved) -> None:
        """A link for each new event, written with the follower's position."""
        last = self.statements.rows(connection, _LAST_LINK)
        previous = last[0][0] if last else GENESIS
        rows = []
        for n in notifications:
            previous = chain_link(previous, n.id, str(n.originator_id), n.originator_version, n.topic, _stored(n.state))
            rows.append({"position": n.id, "link": previous})
        self.statements.run(connection, _ADD_LINKS, rows)

    def head(self) -> dict[str, Any]:
        """The last link, signed by the service: keep it to prove later that nothing up to it changed."""
        with self.engine.connect() as connection:
            row = connection.execute(select(audit_chain).order_by(audit_chain.c.position.desc()).limit(1)).first()
        position, link = (row.position, row.link) if row else (0, GENESIS)
        return {
            "position": position,
            "link": link,
            "signed_at": plain(self.clock()),
            **self.signer.sign(position, link),
            "keys": self.signer.keys(),  # every key that has signed, each endorsed by the one before it
        }

    def events(self, up_to: int | None = None, start: int = 1) -> Iterator[tuple[Any, str | None]]:
        """Every stored event in log order (from position ``start``), with the link stored for it
        (None if it has none)."""
        while True:
            batch = list(self.recorder.select_notifications(start, BATCH, stop=up_to))
            if not batch:
                return
            with self.engine.connect() as connection:
                links: dict[int, str] = dict(
                    connection.execute(
                        select(audit_chain.c.position, audit_chain.c.link).where(
                            audit_chain.c.position.between(batch[0].id, batch[-1].id)
                        )
                    )
                    .tuples()
                    .all()
                )
            for notification in batch:
                yield notification, links.get(notification.id)
            start = batch[-1].id + 1

    def verify(self, up_to: int | None = None, after: tuple[int, str] = (0, GENESIS)) -> Verification:
        """Recompute the chain from the stored events (up to a position) and compare; ``after``: a
        position and its link already verified, to check only the links after it."""
        with self.engine.connect() as connection:
            chained_to = connection.execute(select(func.max(audit_chain.c.position))).scalar() or 0
        limit = chained_to if up_to is None else min(up_to, chained_to)
        (position, previous), checked = after, 0
        for notification, stored, recomputed in self._links(limit, position + 1, after[1]):
            checked, position, previous = checked + 1, notification.id, recomputed
            if stored is None:
                return Verification(
                    checked, position, previous, position, "an event was inserted that the chain never saw"
                )
            if stored != previous:
                return Verification(
                    checked,
                    position,
                    previous,
                    position,
                    "the stored event, or one before it, differs from what was chained",
                )
        # Every event checked had its own link; a link left over belongs to an event that is gone.
        with self.engine.connect() as connection:
            links = connection.execute(
                select(func.count()).where(audit_chain.c.position > after[0], audit_chain.c.position <= limit)
            ).scalar_one()
            if links != checked:
                missing = self._first_missing(connection, limit, after[0] + 1)
                return Verification(checked, position, previous, missing, "a chained event is missing from the log")
        return Verification(checked, position, previous, None, None)

    def recomputed(self, positions: set[int]) -> dict[int, str]:
        """The links recomputed from the stored events at these positions (one pass up to the highest): what a
        witness was shown there, if nothing was rewritten."""
        if not positions:
            return {}
        return {n.id: link for n, _, link in self._links(max(positions), 1, GENESIS) if n.id in positions}

    def _links(self, up_to: int, start: int, previous: str) -> Iterator[tuple[Any, str | None, str]]:
        """Each stored event from ``start`` (the link before it: ``previous``), with the link stored for it and
        the link recomputed from it."""
        for notification, stored in self.events(up_to, start):
            previous = chain_link(
                previous,
                notification.id,
                str(notification.originator_id),
                notification.originator_version,
                notification.topic,
                _stored(notification.state),
            )
            yield notification, stored, previous

    def _first_missing(self, connection: Connection, limit: int, start: int = 1) -> int:
        """The first chained position (from ``start``) whose event is no longer in the log."""
        while start <= limit:
            chained: Sequence[int] = (
                connection.execute(
                    select(audit_chain.c.position).where(
                        audit_chain.c.position.between(start, min(limit, start + BATCH * 10 - 1))
                    )
                )
                .scalars()
                .all()
            )
            present = {n.id for n in self.recorder.select_notifications(start, BATCH * 10, stop=limit)}
            gone = sorted(set(chained) - present)
            if gone:
                return gone[0]
            start += BATCH * 10
        return limit  # not reached: the count said a link is left over

    def export_lines(
        self,
        decode: Callable[[str, bytes], dict[str, Any]],
        up_to: int,
        left_out: Callable[[bytes], bool] = lambda state: False,
    ) -> Iterator[str]:
        """The bundle's events.jsonl: each stored event, readable (``decode(topic, state)``), with
        what the chain needs; an event whose state is ``left_out`` (it holds personal data erased since, in
        clear) without its state, its link as stored."""
        for notification, link in self.events(up_to):
            state = _stored(notification.state)
            if left_out(state):
                yield json.dumps(
                    {
                        "position": notification.id,
                        "originator_id": str(notification.originator_id),
                        "originator_version": notification.originator_version,
                        "topic": notification.topic,
                        "state": None,
                        "link": link,
                        "left_out": "it holds personal data erased since",
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                )
                continue
            yield json.dumps(
                {
                    "position": notification.id,
                    "originator_id": str(notification.originator_id),
                    "originator_version": notification.originator_version,
                    "topic": notification.topic,
                    "state": base64.b64encode(state).decode("ascii"),
                    "link": link,
                    "event": decode(notification.topic, state),
                },
                ensure_ascii=False,
                sort_keys=True,
            )
