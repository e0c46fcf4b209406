"""The scanner's questions: the commitments that may have become overdue, due soon, due for review
or escalated since it last looked, and the parties with an escalation ladder of their own."""

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, true

from domain.commitments.escalation import Ladder
from infrastructure.read_model.tables import commitment_awaiting, commitments_view, parties_view


def overdue_candidates(engine: Engine, now: datetime, limit: int) -> list[str]:
    table = commitments_view
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(table.c.id)
                .where(table.c.can_be_late.is_(True), table.c.overdue.is_(False), table.c.due_at <= now)
                .order_by(table.c.due_at, table.c.seq)
                .limit(limit)
            ).scalars()
        )


def due_soon_candidates(engine: Engine, now: datetime, limit: int) -> list[str]:
    table = commitments_view
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(table.c.id)
                .where(table.c.next_reminder_at <= now, table.c.due_at > now)
                .order_by(table.c.next_reminder_at, table.c.seq)
                .limit(limit)
            ).scalars()
        )


def escalation_candidates(
    engine: Engine,
    now: datetime,
    limit: int,
    *,
    ladder: Ladder,
    leads: Collection[str] | None,
    others_than: Collection[str],
) -> list[str]:
    table = commitments_view
    if not ladder.steps:
        return []
    # A step falls due at local midnight N calendar days on (``Ladder.reached`` decides): days of 23 or
    # 25 hours between put it up to two hours from N × 24 h, so candidates are looked for three hours early.
    reached = or_(
        *(
            and_(
                table.c.escalation_level < level,
                table.c.due_at <= now - timedelta(days=step.days) + timedelta(hours=3),
            )
            for level, step in enumerate(ladder.steps, start=1)
        )
    )
    led = (
        table.c.lead_party_id.in_(list(leads))
        if leads is not None
        else table.c.lead_party_id.not_in(list(others_than))
        if others_than
        else true()
    )
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(table.c.id)
                .where(table.c.can_be_late.is_(True), table.c.overdue.is_(True), reached, led)
                .order_by(table.c.due_at, table.c.seq)
                .limit(limit)
            ).scalars()
        )


def own_ladders(engine: Engine) -> dict[str, Ladder]:
    table = parties_view
    with engine.connect() as connection:
        return {
            row.id: Ladder.parse(row.ladder)
            for row in connection.execute(
                select(table.c.id, table.c.ladder).where(table.c.ladder.is_not(None)).order_by(table.c.seq)
            )
        }


def awaiting_words(engine: Engine) -> list[dict[str, Any]]:
    """Each party whose word a pending change still waits for."""
    a = commitment_awaiting.c
    with engine.connect() as connection:
        rows = connection.execute(select(a.commitment_id, a.party_id, a.declared_at).order_by(a.declared_at))
        return [dict(row._mapping) for row in rows]


def silence_candidates(engine: Engine, now: datetime, limit: int) -> list[str]:
    """Commitments whose pending change's silence period has passed."""
    a = commitment_awaiting.c
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(a.commitment_id)
                .where(a.silence_until <= now)
                .group_by(a.commitment_id)
                .order_by(func.min(a.silence_until), a.commitment_id)
                .limit(limit)
            ).scalars()
        )


def review_candidates(engine: Engine, now: datetime, limit: int) -> list[str]:
    table = commitments_view
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(table.c.id)
                .where(table.c.next_review_at <= now)
                .order_by(table.c.next_review_at, table.c.seq)
                .limit(limit)
            ).scalars()
        )
