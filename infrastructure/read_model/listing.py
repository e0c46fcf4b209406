"""The lists of records in SQL: each list's filters as conditions on its table (what
``tests/search/test_list_filters_agree.py`` holds against the filters in Python), the commitments as they
stood at an instant, and the lists' pages and ids."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, or_, select

from application.listing.queries import AgreementFilter, CommitmentFilter, Filter, MeetingFilter, PartyFilter, Results
from infrastructure.read_model.paging import page
from infrastructure.read_model.searching import found
from infrastructure.read_model.tables import (
    agreement_parties,
    agreements_view,
    commitment_escalations,
    commitment_parties,
    commitment_parties_named,
    commitment_themes,
    commitment_versions,
    commitments_view,
    meeting_participants,
    meetings_view,
    parties_view,
)


def find_commitments(engine: Engine, query: CommitmentFilter, counted_up_to: int) -> Results:
    table: Any = commitments_view if query.as_of is None else versions_as_of(query.as_of)
    conditions = fixed_conditions(table, query)
    if query.statuses:
        conditions.append(table.c.status.in_(query.statuses))
    if query.due_before is not None:
        conditions.append(table.c.due_at < query.due_before)
    if query.due_after is not None:
        conditions.append(table.c.due_at >= query.due_after)
    if query.overdue is not None:
        conditions.append(table.c.overdue == query.overdue)
    if query.due_soon is not None:
        conditions.append(table.c.due_soon == query.due_soon)
    if query.has_due is not None:
        conditions.append(table.c.due_at.isnot(None) if query.has_due else table.c.due_at.is_(None))
    if query.review_due is not None:
        conditions.append(table.c.review_due == query.review_due)
    if query.escalated is not None:
        conditions.append(table.c.escalation_level > 0 if query.escalated else table.c.escalation_level == 0)
    if query.escalated_to is not None:  # (as of an instant, the records replayed answer it: ``lists``)
        conditions.append(
            table.c.id.in_(
                select(commitment_escalations.c.commitment_id).where(
                    commitment_escalations.c.party_id == str(query.escalated_to)
                )
            )
        )
    if query.themes:
        conditions.append(
            table.c.id.in_(select(commitment_themes.c.commitment_id).where(commitment_themes.c.theme.in_(query.themes)))
        )
    statement = select(table.c.document, table.c.seq, table.c.due_order)
    return page(
        engine,
        statement,
        table,
        conditions,
        query.cursor,
        query.limit,
        counted_up_to,
        query.sort,
        ("commitment", query.words),
        exact=query.exact_total,
    )


def ids(engine: Engine, query: Filter) -> list[str]:
    kind, table, conditions = _fixed(query)
    statement = select(table.c.id).where(*conditions).order_by(table.c.seq)
    if query.words is not None:
        matches = found(engine, kind, query.words)
        statement = statement.join_from(matches, table, table.c.seq == matches.c.seq)
    with engine.connect() as connection:
        return list(connection.execute(statement).scalars())


def _fixed(query: Filter) -> tuple[str, Table, list[ColumnElement[bool]]]:
    """The search kind, the table and the conditions on what a record never changes."""
    if isinstance(query, CommitmentFilter):  # the candidates of a list as of an instant, by every party named
        return "commitment", commitments_view, fixed_conditions(commitments_view, query, ever=query.as_of is not None)
    if isinstance(query, MeetingFilter):
        return "meeting", meetings_view, _meeting_conditions(query, fixed_only=True)
    if isinstance(query, AgreementFilter):
        return "agreement", agreements_view, _agreement_conditions(query)
    return "party", parties_view, _party_conditions(query)


def fixed_conditions(table: Any, query: CommitmentFilter, ever: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on what a commitment never changes (besides its words: see ``searching.found``), and on its
    parties: those it names now, or (``ever``: the candidates of a list as of an instant) every party it has
    named, corrected ones too."""
    conditions: list[ColumnElement[bool]] = []
    links: Any = commitment_parties_named if ever else commitment_parties
    if query.kinds:
        conditions.append(table.c.kind.in_(query.kinds))
    if query.lead_party is not None and not ever:
        conditions.append(table.c.lead_party_id == str(query.lead_party))
    for party, role in ((query.party, None), (query.supporting_party, "supporting"), (query.lead_party, "lead")):
        if party is not None and (ever or role != "lead"):
            link = select(links.c.commitment_id).where(links.c.party_id == str(party))
            if role is not None:
                link = link.where(links.c.role == role)
            conditions.append(table.c.id.in_(link))
    if query.any_party is not None:
        conditions.append(
            table.c.id.in_(select(links.c.commitment_id).where(links.c.party_id.in_(sorted(query.any_party))))
        )
    if query.meeting is not None:
        conditions.append(table.c.meeting_id == str(query.meeting))
    if query.agreement is not None:
        conditions.append(table.c.agreement_id == str(query.agreement))
    return conditions


def current_at(at: datetime) -> ColumnElement[bool]:
    """The versions that were each commitment's current one at ``at``."""
    versions = commitment_versions.c
    return and_(versions.recorded_from <= at, or_(versions.recorded_until.is_(None), versions.recorded_until > at))


def versions_as_of(at: datetime) -> Any:
    """Every commitment as it stood at ``at`` (those not yet recorded are left out), in the lists' order."""
    versions = commitment_versions
    return (
        select(*(c for c in versions.c if c.name not in ("recorded_from", "recorded_until")), commitments_view.c.seq)
        .join(commitments_view, commitments_view.c.id == versions.c.id)
        .where(current_at(at))
        .subquery("as_of")
    )


def find_meetings(engine: Engine, query: MeetingFilter, counted_up_to: int) -> Results:
    table = meetings_view
    return page(
        engine,
        select(table.c.document, table.c.seq),
        table,
        _meeting_conditions(query),
        query.cursor,
        query.limit,
        counted_up_to,
        search=("meeting", query.words),
    )


def _meeting_conditions(query: MeetingFilter, fixed_only: bool = False) -> list[ColumnElement[bool]]:
    """``fixed_only``: only those on what a meeting never changes (not its status or dates)."""
    table = meetings_view
    conditions: list[ColumnElement[bool]] = []
    if query.kinds:
        conditions.append(table.c.kind.in_(query.kinds))
    if query.series is not None:
        conditions.append(table.c.series == query.series)
    if query.party is not None:
        conditions.append(
            table.c.id.in_(
                select(meeting_participants.c.meeting_id).where(meeting_participants.c.party_id == str(query.party))
            )
        )
    if fixed_only:
        return conditions
    if query.statuses:
        conditions.append(table.c.status.in_(query.statuses))
    if query.starts_after is not None:
        conditions.append(table.c.starts_on >= query.starts_after)
    if query.starts_before is not None:
        conditions.append(table.c.starts_on < query.starts_before)
    return conditions


def find_agreements(engine: Engine, query: AgreementFilter, counted_up_to: int) -> Results:
    table = agreements_view
    return page(
        engine,
        select(table.c.document, table.c.seq),
        table,
        _agreement_conditions(query),
        query.cursor,
        query.limit,
        counted_up_to,
        search=("agreement", query.words),
    )


def _agreement_conditions(query: AgreementFilter) -> list[ColumnElement[bool]]:
    table = agreements_view
    conditions: list[ColumnElement[bool]] = []
    if query.kinds:
        conditions.append(table.c.kind.in_(query.kinds))
    if query.meeting is not None:
        conditions.append(table.c.meeting_id == str(query.meeting))
    if query.party is not None:
        conditions.append(
            table.c.id.in_(
                select(agreement_parties.c.agreement_id).where(agreement_parties.c.party_id == str(query.party))
            )
        )
    return conditions


def find_parties(engine: Engine, query: PartyFilter, counted_up_to: int) -> Results:
    table = parties_view
    return page(
        engine,
        select(table.c.document, table.c.seq),
        table,
        _party_conditions(query),
        query.cursor,
        query.limit,
        counted_up_to,
        search=("party", query.words),
    )


def _party_conditions(query: PartyFilter) -> list[ColumnElement[bool]]:
    table = parties_view
    conditions: list[ColumnElement[bool]] = []
    if query.kinds:
        conditions.append(table.c.kind.in_(query.kinds))
    if query.parent is not None:
        conditions.append(table.c.parent_id == str(query.parent))
    return conditions
