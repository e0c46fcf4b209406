"""Agreements: outcomes adopted at a meeting, including action matrices."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commitments.confirmation import DEFAULT_SILENCE_DAYS, Rule, silence_days
from domain.commitments.due import Due
from domain.errors import DomainError, InvalidValue
from domain.identifiers import time_ordered_id
from domain.meetings.meeting import DateRange
from domain.text import MultilingualText

MAX_MATRIX_ROWS = 20_000  # as many as one spreadsheet may bring (``application.intake.tables.MAX_ROWS``)


class AgreementKind(Enum):
    JOINT_STATEMENT = "joint_statement"
    MOU = "mou"
    RECOMMENDATIONS = "recommendations"
    FRAMEWORK = "framework"
    ACTION_MATRIX = "action_matrix"


@dataclass(frozen=True)
class MatrixRow:
    """One activity of an action matrix: what, led by whom, with whom, by when. A row imported from
    a spreadsheet keeps the key the file gave it and its timeframe as the file wrote it."""

    number: int  # its place in the matrix, from 1, in the order rows joined it
    activity: MultilingualText
    lead_party_id: UUID
    partner_party_ids: tuple[UUID, ...]
    timeframe: Due | None = None
    key: str | None = None  # as the file wrote it ("1.2", "A3", "١٢")
    written: str | None = None  # the timeframe as the file wrote it ("Q3 2025", «سنتين», "ongoing")

    def __post_init__(self) -> None:
        object.__setattr__(self, "partner_party_ids", tuple(self.partner_party_ids))

    @property
    def label(self) -> str:
        """How the matrix names the row: its key, or else its number."""
        return self.key if self.key is not None else str(self.number)


def natural_order(label: str) -> tuple[tuple[int, int | str], ...]:
    """Row labels in the order people number them: "2" before "10", "1.2" before "1.10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.findall(r"\d+|[^\d\s.\-_/]+", label)
    )


class NotAnActionMatrix(DomainError):
    def __init__(self) -> None:
        super().__init__("only an action matrix has rows", "kind")


def check_parties(lead: UUID | None, others: tuple[UUID, ...], field_name: str) -> None:
    """A party is named once: not twice among the others, and not as lead and other."""
    seen = {lead} if lead is not None else set()
    for index, party in enumerate(others):
        if party in seen:
            raise InvalidValue("a party is named twice", f"{field_name}[{index}]")
        seen.add(party)


class Agreement(Aggregate):
    """Version 2 of the aggregate (in snapshots) added ``adopted_on``; version 3 its rule of confirmation."""

    class_version = 3
    create_id = staticmethod(time_ordered_id)  # new ones are time-ordered (UUIDv7)

    class Adopted(Aggregate.Created):
        """Version 2 added ``adopted_on``; agreements adopted before count from when they were recorded."""

        class_version = 2
        meeting_id: UUID
        title: MultilingualText
        kind: AgreementKind
        adopted_by: tuple[UUID, ...]
        text: MultilingualText | None
        validity: DateRange | None
        adopted_on: date | None
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["adopted_on"] = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["adopted_on"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state.update(confirmation=Rule.NONE, silence_days=DEFAULT_SILENCE_DAYS)

    @event(Adopted)
    def __init__(
        self,
        meeting_id: UUID,
        title: MultilingualText,
        kind: AgreementKind,
        adopted_by: tuple[UUID, ...],
        text: MultilingualText | None,
        validity: DateRange | None,
        adopted_on: date | None,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.meeting_id = meeting_id
        self.title = title
        self.kind = kind
        self.adopted_by = tuple(adopted_by)
        self.text = text
        self.validity = validity
        self.adopted_on = adopted_on  # the day it was adopted (None in records older than the field)
        self.rows: tuple[MatrixRow, ...] = ()
        # Whether its commitments' binding changes wait for their parties' word (``domain.commitments.confirmation``).
        self.confirmation = Rule.NONE
        self.silence_days = DEFAULT_SILENCE_DAYS

    def set_confirmation(self, rule: Rule, days: int, reason: str | None, actor: str, when: datetime) -> None:
        """Its rule of confirmation: ``required``, every binding change of its commitments waits for their
        parties' word, whoever makes it; and the days after which silence is consent."""
        days = silence_days(days)
        if (rule, days) == (self.confirmation, self.silence_days):
            raise InvalidValue("the agreement has this rule of confirmation already", "confirmation")
        self._confirmation_set(confirmation=rule, silence_days=days, reason=reason, actor=actor, timestamp=when)

    @event("ConfirmationRuleSet")
    def _confirmation_set(
        self, confirmation: Rule, silence_days: int, reason: str | None, actor: str, timestamp: datetime
    ) -> None:
        self.confirmation = confirmation
        self.silence_days = silence_days

    @staticmethod
    def check_adoption(kind: AgreementKind, adopted_by: tuple[UUID, ...], validity: DateRange | None) -> None:
        if not adopted_by:
            raise InvalidValue("an agreement is adopted by at least one party", "adopted_by")
        check_parties(None, adopted_by, "adopted_by")
        if kind is AgreementKind.FRAMEWORK and validity is None:
            raise InvalidValue("a framework needs its validity period", "validity")

    def correct(
        self,
        reason: str | None,
        actor: str,
        when: datetime,
        title: MultilingualText | None = None,
        adopted_by: tuple[UUID, ...] | None = None,
    ) -> tuple[str, ...]:
        """Correct what the record says of the agreement where it was written wrong (its title, who
        adopted it), with a reason; the fields changed (nothing is recorded when none differs)."""
        if reason is None:
            raise InvalidValue("a reason is required to correct", "reason")
        if adopted_by is not None:
            self.check_adoption(self.kind, tuple(adopted_by), self.validity)
        changed = tuple(
            name
            for name, differs in (
                ("title", title is not None and title != self.title),
                ("adopted_by", adopted_by is not None and tuple(adopted_by) != self.adopted_by),
            )
            if differs
        )
        if changed:
            self._corrected(
                fields=changed,
                title=title or self.title,
                adopted_by=self.adopted_by if adopted_by is None else tuple(adopted_by),
                reason=reason,
                actor=actor,
                timestamp=when,
            )
        return changed

    @event("Corrected")
    def _corrected(
        self,
        fields: tuple[str, ...],
        title: MultilingualText,
        adopted_by: tuple[UUID, ...],
        reason: str,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.title = title
        self.adopted_by = tuple(adopted_by)

    def row(self, number: int) -> MatrixRow | None:
        return next((row for row in self.rows if row.number == number), None)

    def ordered_rows(self) -> tuple[MatrixRow, ...]:
        """The rows as the matrix lists them: by key (or number), in natural order."""
        return tuple(sorted(self.rows, key=lambda row: (natural_order(row.label), row.number)))

    def add_row(
        self,
        activity: MultilingualText,
        lead_party_id: UUID,
        partner_party_ids: tuple[UUID, ...],
        timeframe: Due | None,
        actor: str,
        when: datetime,
    ) -> MatrixRow:
        if self.kind is not AgreementKind.ACTION_MATRIX:
            raise NotAnActionMatrix()
        if len(self.rows) >= MAX_MATRIX_ROWS:
            raise InvalidValue("an action matrix has at most {most} rows", "rows", most=MAX_MATRIX_ROWS)
        check_parties(lead_party_id, partner_party_ids, "partner_party_ids")
        row = MatrixRow(
            number=len(self.rows) + 1,
            activity=activity,
            lead_party_id=lead_party_id,
            partner_party_ids=partner_party_ids,
            timeframe=timeframe,
        )
        self._row_added(row=row, agreed_on=self.adopted_on, actor=actor, timestamp=when)
        return row

    class RowAdded(Aggregate.Event):
        """Version 2 added ``agreed_on``: a row is part of the matrix as adopted, on its day."""

        class_version = 2
        row: MatrixRow
        agreed_on: date | None
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["agreed_on"] = None

    @event(RowAdded)
    def _row_added(self, row: MatrixRow, agreed_on: date | None, actor: str, timestamp: datetime) -> None:
        self.rows = (*self.rows, row)

    def import_rows(
        self, added: tuple[MatrixRow, ...], revised: tuple[MatrixRow, ...], file: str, actor: str, when: datetime
    ) -> None:
        """Rows read from a spreadsheet join the matrix (numbered after the last one) and rows it
        imported before take what the file now says: one event per stored batch."""
        if self.kind is not AgreementKind.ACTION_MATRIX:
            raise NotAnActionMatrix()
        if len(self.rows) + len(added) > MAX_MATRIX_ROWS:
            raise InvalidValue("an action matrix has at most {most} rows", "rows", most=MAX_MATRIX_ROWS)
        for offset, row in enumerate(added, start=len(self.rows) + 1):
            if row.number != offset:
                raise InvalidValue(
                    "the row {row!r} was planned as row {planned}, but is row {now} now",
                    "rows",
                    row=row.label,
                    planned=row.number,
                    now=offset,
                )
        for row in revised:
            if self.row(row.number) is None:
                raise InvalidValue("the matrix has no row {number}", "rows", number=row.number)
        for row in (*added, *revised):
            check_parties(row.lead_party_id, row.partner_party_ids, "partner_party_ids")
        if added:
            self._rows_imported(added=added, file=file, agreed_on=self.adopted_on, actor=actor, timestamp=when)
        if revised:
            self._rows_revised(revised=revised, file=file, actor=actor, timestamp=when)

    @event("RowsImported")
    def _rows_imported(
        self, added: tuple[MatrixRow, ...], file: str, agreed_on: date | None, actor: str, timestamp: datetime
    ) -> None:
        """Rows that are part of the matrix as adopted, on its day (``effective``), read from ``file``."""
        self.rows = (*self.rows, *added)

    @event("RowsRevised")
    def _rows_revised(self, revised: tuple[MatrixRow, ...], file: str, actor: str, timestamp: datetime) -> None:
        """Rows that a later version of the file states otherwise: its own fact, when recorded."""
        changed = {row.number: row for row in revised}
        self.rows = tuple(changed.get(row.number, row) for row in self.rows)
