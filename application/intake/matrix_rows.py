"""One row of a matrix file as the domain reads it: its cells, its activity in the languages written, the
parties it names, its timeframe and notes, and what it would change of the commitment recorded for it
before (``MatrixImports`` in ``application.intake.imports`` decides each row's outcome)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.commitments.commitment import Commitment
from domain.commitments.written_dues import written_due
from domain.errors import InvalidValue
from domain.meetings.agreement import MatrixRow
from domain.meetings.matrix_import import (
    Column,
    Layout,
    PartyNames,
    named_parties,
)
from domain.meetings.meeting import Meeting
from domain.text import (
    LINE_BREAKS,
    MultilingualText,
    optional_text,
)

ARABIC = re.compile("[\u0600-\u06ff]")


def column_letter(position: int) -> str:
    """A spreadsheet's name for the column at ``position`` (from 0): A, B, …, Z, AA, …"""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_at(row: tuple[object, ...], column: Column) -> object:
    value = row[column.position] if column.position < len(row) else None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


ONE_LINE = ("key", "lead", "due")  # the fields of a row that are one line (the activity and notes keep theirs)


def one_line(cells: tuple[object, ...], columns: Layout) -> tuple[tuple[object, ...], list[str]]:
    """The row with the line breaks of its one-line cells folded into spaces, and those cells' fields."""
    folded, fields = list(cells), []
    for name in ONE_LINE:
        for column in columns.of(name):
            value = folded[column.position] if column.position < len(folded) else None
            if isinstance(value, str) and any(ch in LINE_BREAKS for ch in value):
                folded[column.position] = " ".join("".join(" " if ch in LINE_BREAKS else ch for ch in value).split())
                fields.append(name)
    return tuple(folded), fields


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


# The fields of the domain's refusals, as the file's columns name them.
COLUMN_OF = {
    "text": "activity",
    "lead_party_id": "lead",
    "supporting_party_ids": "partners",
    "due": "due",
    "notes": "notes",
    "key": "key",
}


def refusal(error: Exception, default_field: str) -> dict[str, str]:
    stated = getattr(error, "field", None) or default_field
    return {"field": COLUMN_OF.get(stated.split(".")[0].split("[")[0], stated), "reason": str(error)}


@dataclass
class Row:
    """What one row says, read by the domain's rules; ``None`` where the file has no such column."""

    text: MultilingualText
    lead: UUID
    partners: tuple[UUID, ...] | None
    due: Any
    has_due: bool
    notes: str | None
    has_notes: bool
    key: str  # as the file wrote it
    written: str | None  # the timeframe as the file wrote it

    @staticmethod
    def clause(key: str) -> str:
        return f"row {key}"

    def matrix_row(self, number: int) -> MatrixRow:
        return MatrixRow(
            number=number,
            activity=self.text,
            lead_party_id=self.lead,
            partner_party_ids=self.partners or (),
            timeframe=self.due,
            key=self.key,
            written=self.written,
        )

    @classmethod
    def read(
        cls,
        cells: tuple[object, ...],
        columns: Layout,
        names: PartyNames[UUID],
        language: str,
        time_zone: str,
        unknown: dict[str, list[int]],
        line: int,
        key: str,
    ) -> "Row":
        texts: dict[str, str] = {}
        for column in columns.of("activity"):
            value = cell_text(cell_at(cells, column))
            if value is not None:
                texts.setdefault(column.language or ("ar" if ARABIC.search(value) else language), value)
        if not texts:
            raise InvalidValue("the row has no activity", "activity")
        text = MultilingualText.of(texts, next(iter(texts)), "activity")

        def parties(field_name: str) -> tuple[UUID, ...]:
            found: list[UUID] = []
            missing: list[str] = []
            for column in columns.of(field_name):
                cell = cell_text(cell_at(cells, column))
                if cell:
                    each, unnamed = named_parties(cell, names.find)
                    found += [p for p in each if p not in found]
                    missing += unnamed
            for name in missing:
                shared = names.sharing(name)
                if len(shared) > 1:  # registered, twice over: registering it again would not help
                    raise InvalidValue(
                        "{name} names more than one party ({parties}): write the acronym of the one meant",
                        field_name,
                        name=repr(name),
                        parties=", ".join(shared),
                    )
            for name in missing:
                unknown.setdefault(name, []).append(line)
            if missing:
                listed = ", ".join(repr(name) for name in missing)
                raise InvalidValue(
                    "no party is registered as {names}: register it (or write its acronym) and import again",
                    field_name,
                    names=listed,
                )
            return tuple(found)

        lead = parties("lead")
        if len(lead) != 1:
            if lead:
                raise InvalidValue("a row names one lead party", "lead")
            raise InvalidValue("the row names no lead party", "lead")
        partners = parties("partners") if columns.of("partners") else None
        due_columns = columns.of("due")
        timeframe = cell_at(cells, due_columns[0]) if due_columns else None
        due = written_due(timeframe, time_zone, "due") if due_columns else None
        timeframe_as_written = timeframe.isoformat()[:10] if isinstance(timeframe, date) else cell_text(timeframe)
        note_columns = columns.of("notes")
        notes = None
        if note_columns:
            written = [value for column in note_columns if (value := cell_text(cell_at(cells, column)))]
            notes = optional_text("\n".join(written), "notes") if written else None
        return cls(
            text, lead[0], partners, due, bool(due_columns), notes, bool(note_columns), key, timeframe_as_written
        )

    def correct(self, commitment: Commitment, meeting: Meeting, reason: str, actor: str, when: datetime) -> list[str]:
        """Apply the row's corrections to ``commitment`` (the domain refuses what its state forbids);
        the fields that differed."""
        changed: list[str] = []
        texts = {**commitment.text.texts, **self.text.texts}
        authentic = commitment.text.authentic if commitment.text.authentic in texts else self.text.authentic
        text = MultilingualText.of(texts, authentic, "activity")
        lead = self.lead if self.lead != commitment.lead_party_id else None
        partners = None
        if self.partners is not None and set(self.partners) != set(commitment.supporting_party_ids):
            partners = tuple(p for p in self.partners if p != (lead or commitment.lead_party_id))
        notes_differ = self.has_notes and self.notes != commitment.notes
        if text != commitment.text:
            changed.append("activity")
        if lead is not None:
            changed.append("lead")
        if partners is not None:
            changed.append("partners")
        if notes_differ:
            changed.append("notes")
        if changed:
            commitment.correct(
                reason,
                actor,
                when,
                text if text != commitment.text else None,
                lead,
                partners,
                self.notes if notes_differ else None,
                without_notes=notes_differ and not self.notes,
            )
        if self.has_due and self.due != commitment.due:
            changed.append("due")
            commitment.revise_due(
                self.due, None if self.due is None else self.due.resolve(meeting.dates.ends_on), reason, actor, when
            )
        return changed
