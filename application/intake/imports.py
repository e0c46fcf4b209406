"""Importing an action matrix from a spreadsheet into an agreement: each row of the file becomes a
row of the matrix (its key, activity, lead, partners and timeframe as written) and the commitment
made of it.

What each column holds, how cells name parties and timeframes and what identifies a row are the
domain's (``domain.meetings.matrix_import``). Here a file's rows become outcomes, each decided by the same
domain rules as any other recording or change, on copies, so that a dry run stores nothing and
says exactly what the import will do:

- ``new``: no commitment stands for the row's key yet; the import adds the row to the matrix
  (``RowsImported``, every new row in one event, stored with the first batch) and records its
  commitment (``Recorded``); a row already in the matrix whose commitment is missing (a batch that
  failed) gets its commitment;
- ``unchanged``: the commitment says what the row says;
- ``changed``: the fields that differ are corrected by events (``DueRevised`` for the timeframe,
  ``Corrected`` for the text, the parties and the notes), with the file named as the reason, and
  the matrix row says what the file says now (``RowsRevised``);
- ``refused``: the field and why; the row stores nothing (a row is stored whole or not at all).

The accepted rows are stored in batches of ``batch_size``, each in one transaction: a failure
part-way leaves every earlier batch stored and nothing of the failing one. Importing the same file
again resumes: what was stored is ``unchanged``, the rest is done.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from application import policy
from application.errors import ApplicationError, PlanChanged, TooLarge
from application.intake.matrix_rows import Row, cell_at, cell_text, column_letter, one_line, refusal
from application.intake.tables import MAX_ROWS, Table
from application.listing.exports import all_parties, every
from application.listing.histories import Histories
from application.listing.queries import MAX_LIMIT, CommitmentFilter
from application.ports import Catalogue, as_read
from application.records.making import Origin, Promised, made
from application.storage.saving import Records
from domain.access import Principal
from domain.choices import choice
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind, reason_text
from domain.errors import DomainError, InvalidValue
from domain.meetings.agreement import Agreement, MatrixRow
from domain.meetings.matrix_import import (
    Layout,
    PartyNames,
    layout,
    row_commitment_id,
    row_key,
)
from domain.meetings.meeting import Meeting
from domain.text import (
    SHORT_TEXT_MAX,
    clean_text,
    language_code,
)

CORRECTED = "corrected by importing {file}"  # the reason of the corrections a later version of a file makes
DEFAULT_BATCH = 500

Progress = Callable[[str, int, int], None]  # (phase, done, total): "checking" the rows, then "storing" them


def _ignore_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class RowOutcome:
    line: int
    key: str
    commitment_id: str
    outcome: str  # new, unchanged, changed or refused
    changed: list[str] = field(default_factory=list)  # the fields that differ (changed)
    refused: list[dict[str, str]] = field(default_factory=list)  # {"field", "reason"} (refused)
    folded: list[str] = field(default_factory=list)  # one-line fields whose line breaks became spaces
    stored: bool = False


@dataclass
class ImportReport:
    agreement_id: str
    file: str
    dry_run: bool
    columns: list[dict[str, Any]]  # each header, the field it holds and its texts' language
    ignored_columns: list[str]
    unknown_parties: list[dict[str, Any]]  # {"name", "lines"}: names no registered party has
    counts: dict[str, int]
    plan: str  # a digest of the outcomes: give it back to store exactly what the dry run said
    rows: list[RowOutcome]
    batch_size: int
    batches_stored: int = 0
    batches: int = 0
    stopped: dict[str, Any] | None = None  # the batch that failed, and why; nothing of it was stored


@dataclass
class _Planned:
    outcome: RowOutcome
    aggregate: Commitment | None = None  # to store: new, or changed with its corrections applied
    read: Commitment | None = None  # the changed commitment as it was read
    row: MatrixRow | None = None  # the matrix row to add (new) or to state anew (changed)


class MatrixImports:
    def __init__(self, records: Records, histories: Histories, catalogue: Catalogue) -> None:
        self.records = records
        self.histories = histories
        self.catalogue = catalogue

    def run(
        self,
        caller: Principal,
        agreement_id: UUID | str,
        table: Table,
        dry_run: bool = True,
        language: str = "en",
        status: str = "draft",
        expected_plan: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Progress = _ignore_progress,
    ) -> ImportReport:
        """Each row's outcome (``dry_run``: nothing stored); else store the accepted rows in batches.
        ``expected_plan``: the dry run's ``plan``; the import is refused if the outcomes differ now.
        ``language``: the language of texts in columns that name none (Arabic script is Arabic). Only a
        key not limited to some parties imports (``policy.records_everything``)."""
        actor = policy.records_everything(caller).id
        agreement = self.records.get(Agreement, agreement_id)
        meeting = self.records.get(Meeting, agreement.meeting_id)
        default_language = language_code(language, "language")
        initial = choice(Status, status, "status")
        if not 1 <= batch_size <= 5_000:
            raise InvalidValue("a batch holds 1 to 5000 rows", "batch_size")
        if len(table.rows) > MAX_ROWS:
            raise TooLarge("a file holds at most {most} rows; split it", most=MAX_ROWS)
        file_name = clean_text(table.name, "file", SHORT_TEXT_MAX).strip()  # it goes to the log, as the reason
        table = replace(table, name=file_name)
        columns = layout(table.headers)
        planned, unknown = self._plan(actor, agreement, meeting, columns, table, default_language, initial, progress)
        outcomes = [p.outcome for p in planned]
        counts = {
            name: sum(1 for o in outcomes if o.outcome == name) for name in ("new", "unchanged", "changed", "refused")
        }
        plan = hashlib.sha256(json.dumps([[o.key, o.outcome, o.changed] for o in outcomes]).encode()).hexdigest()[:16]
        report = ImportReport(
            agreement_id=str(agreement.id),
            file=table.name,
            dry_run=dry_run,
            columns=[
                {"column": column_letter(c.position), "header": c.header, "field": c.field, "language": c.language}
                for c in columns.columns
            ],
            ignored_columns=list(columns.ignored),
            unknown_parties=[{"name": name, "lines": lines} for name, lines in unknown.items()],
            counts=counts,
            plan=plan,
            rows=outcomes,
            batch_size=batch_size,
        )
        if dry_run:
            return report
        if expected_plan is not None and expected_plan != plan:
            raise PlanChanged(expected_plan, plan)
        self._store(agreement, actor, [p for p in planned if p.aggregate is not None], report, progress)
        return report

    # -- deciding each row -------------------------------------------------------------

    def _party_names(self) -> PartyNames[UUID]:
        return PartyNames(
            (UUID(p["id"]), p.get("acronym"), [*p["names"]["texts"].values(), *p.get("aliases", ())])
            for p in all_parties(self.histories, self.catalogue)
        )

    def _plan(
        self,
        actor: str,
        agreement: Agreement,
        meeting: Meeting,
        columns: Layout,
        table: Table,
        language: str,
        status: Status,
        progress: Progress,
    ) -> tuple[list[_Planned], dict[str, list[int]]]:
        names = self._party_names()
        rows = [(line, cells) for line, cells in table.rows if any(cell_text(c) for c in cells)]
        folded = [one_line(cells, columns) for _, cells in rows]
        rows = [(line, cells) for (line, _), (cells, _) in zip(rows, folded, strict=True)]
        keys: list[tuple[int, str | None, Exception | None]] = []
        for ordinal, (line, cells) in enumerate(rows, start=1):
            try:
                key = row_key(cell_at(cells, columns.of("key")[0])) if columns.of("key") else str(ordinal)
                keys.append((line, key, None if key else InvalidValue("the row has no key", "key")))
            except InvalidValue as error:
                keys.append((line, None, error))
        # The matrix's rows by the label a file gives them (a key, or a row's number when it was recorded by hand),
        # and the commitment of each row, whether the file made it or a coordinator did.
        rows_by_key = {row_key(row.label): row for row in agreement.rows}
        made_of_row = {
            c["provenance"]["row_number"]: UUID(c["id"])
            for c in every(
                lambda cursor: self.catalogue.find_commitments(
                    CommitmentFilter(agreement=agreement.id, cursor=cursor, limit=MAX_LIMIT)
                )
            )
            if c["provenance"].get("row_number") is not None
        }
        ids = [row_commitment_id(agreement.id, key) for _, key, _ in keys if key]
        ids += [
            made_of_row[rows_by_key[key].number]
            for _, key, _ in keys
            if key in rows_by_key and rows_by_key[key].number in made_of_row
        ]
        existing: dict[UUID, Any] = {}
        for start in range(0, len(ids), 500):
            existing.update(self.records.read_many(ids[start : start + 500]))
        when = self.records.now()
        reason = reason_text(CORRECTED.format(file=table.name)) or ""
        next_number = len(agreement.rows) + 1
        lines_of: dict[str, list[int]] = {}
        for line, key, _ in keys:
            if key:
                lines_of.setdefault(key, []).append(line)
        unknown: dict[str, list[int]] = {}
        planned: list[_Planned] = []
        for index, ((line, cells), (_, key, key_error)) in enumerate(zip(rows, keys, strict=True)):
            commitment_id = row_commitment_id(agreement.id, key) if key else None
            outcome = RowOutcome(
                line=line,
                key=key or "",
                commitment_id=str(commitment_id or ""),
                outcome="refused",
                folded=folded[index][1],
            )
            planned.append(_Planned(outcome))
            if index % 500 == 0:
                progress("checking", index, len(rows))
            if key_error is not None or key is None:
                outcome.refused.append(refusal(key_error or InvalidValue("the row has no key", "key"), "key"))
                continue
            if len(lines_of[key]) > 1:  # which of them is meant is not for the import to guess
                outcome.refused.append(
                    refusal(
                        InvalidValue(
                            "the key {key!r} is given on lines {lines}: give each row a key of its own",
                            "key",
                            key=key,
                            lines=", ".join(str(n) for n in lines_of[key]),
                        ),
                        "key",
                    )
                )
                continue
            try:
                written_key = cell_text(cell_at(cells, columns.of("key")[0])) if columns.of("key") else None
                row = Row.read(
                    cells, columns, names, language, meeting.venue.time_zone, unknown, line, written_key or key
                )
                in_matrix = rows_by_key.get(key)
                current = existing.get(commitment_id) if commitment_id else None
                if current is None and in_matrix is not None and in_matrix.number in made_of_row:
                    current = existing.get(made_of_row[in_matrix.number])  # the row's commitment, made by hand
                    outcome.commitment_id = str(made_of_row[in_matrix.number])
                if current is None:
                    number = in_matrix.number if in_matrix is not None else next_number
                    promised = Promised(
                        CommitmentKind.ACTION,
                        row.text,
                        row.lead,
                        row.partners or (),
                        row.due,
                        status=status,
                        clause=row.clause(key),
                        notes=row.notes,
                    )
                    planned[-1].aggregate = made(
                        Origin(meeting, agreement, number), promised, actor, when, commitment_id
                    )
                    outcome.outcome = "new"
                    if in_matrix is None:
                        planned[-1].row = row.matrix_row(number)
                        next_number += 1
                elif not isinstance(current, Commitment):
                    raise InvalidValue("the row's key names a record that is not a commitment", "key")
                else:
                    read = as_read(current)
                    outcome.changed = row.correct(current, meeting, reason, actor, when)
                    outcome.outcome = "changed" if outcome.changed else "unchanged"
                    if outcome.changed:
                        planned[-1].aggregate, planned[-1].read = current, read
                        if in_matrix is not None:
                            planned[-1].row = row.matrix_row(in_matrix.number)
            except (DomainError, ApplicationError) as error:
                outcome.outcome = "refused"
                outcome.changed = []
                planned[-1].aggregate = None
                outcome.refused.append(refusal(error, "row"))
        progress("checking", len(rows), len(rows))
        return planned, unknown

    # -- storing --------------------------------------------------------------------------

    def _store(
        self, agreement: Agreement, actor: str, accepted: list[_Planned], report: ImportReport, progress: Progress
    ) -> None:
        size = report.batch_size
        report.batches = (len(accepted) + size - 1) // size
        added = tuple(p.row for p in accepted if p.row is not None and p.read is None)
        revised = tuple(p.row for p in accepted if p.row is not None and p.read is not None)
        for number, start in enumerate(range(0, len(accepted), size), start=1):
            batch = accepted[start : start + size]
            progress("storing", start, len(accepted))
            try:
                # The matrix's rows, all of them, with the first batch: the agreement is changed once, and a
                # row whose commitment a later batch did not store is found again by the next import.
                matrix = (agreement,) if number == 1 and (added or revised) else ()
                if matrix:
                    agreement.import_rows(added, revised, report.file, actor, self.records.now())
                self.records.save(
                    *matrix,
                    *(p.aggregate for p in batch if p.aggregate is not None),
                    read=[p.read for p in batch if p.read is not None],
                )
            except Exception as error:  # noqa: BLE001 - any failure stops the import, and is reported
                report.stopped = {
                    "batch": number,
                    "first_line": batch[0].outcome.line,
                    "last_line": batch[-1].outcome.line,
                    "detail": f"{type(error).__name__}: {error}" if str(error) else type(error).__name__,
                    "resume": "nothing of this batch was stored, every earlier batch was: import the same file "
                    "again to go on (what was stored is unchanged)",
                }
                return
            for p in batch:
                p.outcome.stored = True
            report.batches_stored = number
        progress("storing", len(accepted), len(accepted))
