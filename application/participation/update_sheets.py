"""A party updates its commitments by spreadsheet: it downloads a sheet of its open commitments (``rows``),
fills in the status, progress, note, evidence link and a requested new due, and brings it back. A dry run
(``run(dry_run=True)``) shows, per row, each change (before → after) or why the lifecycle refuses it, and
stores nothing; the import records the accepted changes through the same use cases as the API, with the file
as the reason, so that a change that binds other parties waits for their word as any other would.

A row is carried out in order: progress, then status, then due; the import stops a row at its first refusal
(the changes before it in that row are recorded, and said so)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import policy, translation
from application.errors import ApplicationError, NotFound
from application.inputs import DueInput
from application.intake.formulas import unprotected
from application.intake.tables import Table
from application.listing.queries import CommitmentFilter
from application.ports import Catalogue
from application.records.commitments import REASONED, Commitments
from application.storage.saving import Records
from application.views import CommitmentView
from domain.access import Principal
from domain.commitments.commitment import Commitment
from domain.commitments.confirmation import BINDING
from domain.commitments.lifecycle import OPEN, Action, Status, action_to
from domain.commitments.promise import Evidence
from domain.errors import N_, DomainError, InvalidValue, Refusal
from domain.meetings.meeting import Meeting
from domain.parties.party import Party
from domain.text import SHORT_TEXT_MAX, clean_text

COLUMNS = ("id", "commitment", "lead_party", "due", "status", "progress", "note", "evidence", "new_due", "reason")
EDITABLE = ("status", "progress", "note", "evidence", "new_due", "reason")
MOST_ROWS = 2_000  # open commitments in one sheet, and rows read back
STATUSES = tuple(status.value for status in Status)


@dataclass(frozen=True)
class SheetChange:
    what: str  # status | progress | due
    before: Any
    after: Any


@dataclass
class SheetRowOutcome:
    line: int
    commitment_id: str | None
    outcome: str  # unchanged | changed | waits (a change waits for other parties' word) | refused
    changes: list[SheetChange] = field(default_factory=list)
    awaiting: list[str] = field(default_factory=list)  # the parties whose word a binding change would wait for
    refusal: dict[str, Any] | None = None  # template, values, field, detail: why the lifecycle refuses it
    recorded: int = 0  # changes recorded (the import)


@dataclass
class SheetReport:
    name: str
    dry_run: bool
    rows: list[SheetRowOutcome]

    @property
    def counts(self) -> dict[str, int]:
        counted = {"unchanged": 0, "changed": 0, "waits": 0, "refused": 0}
        for row in self.rows:
            counted[row.outcome] += 1
        return counted


@dataclass(frozen=True)
class _Step:
    change: SheetChange
    binding: bool
    tried: Callable[[Commitment], object]  # on a copy of the commitment: the lifecycle decides
    carried_out: Callable[[], CommitmentView]  # through the use case


class UpdateSheets:
    def __init__(self, records: Records, commitments: Commitments, catalogue: Catalogue) -> None:
        self.records = records
        self.commitments = commitments
        self.catalogue = catalogue

    def rows(self, caller: Principal, party_id: UUID) -> tuple[Party, list[dict[str, Any]]]:
        """The party's open commitments (it leads or supports them), as the sheet lists them, by due."""
        policy.reads(caller)
        party = self.records.get(Party, party_id)
        found: list[dict[str, Any]] = []
        cursor = None
        statuses = sorted(status.value for status in OPEN)
        while len(found) < MOST_ROWS:
            query = CommitmentFilter(party=party.id, statuses=statuses, sort="due", limit=200, cursor=cursor)
            page = self.catalogue.find_commitments(query)
            found.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        return party, found[:MOST_ROWS]

    def run(self, caller: Principal, table: Table, dry_run: bool = True) -> SheetReport:
        policy.records(caller)
        columns = self._columns(table)
        if len(table.rows) > MOST_ROWS:
            raise InvalidValue("an update sheet holds at most {most} rows", "file", most=MOST_ROWS)
        reason = clean_text(f"update sheet {table.name}", "file", SHORT_TEXT_MAX)
        outcomes: list[SheetRowOutcome] = []
        seen: dict[str, int] = {}  # each commitment's first line
        for line, cells in table.rows:
            given = {name: unprotected(cells[index]) if index < len(cells) else None for name, index in columns.items()}
            key = str(given.get("id")).strip().casefold()
            if key in seen:
                refusal = InvalidValue(
                    "the commitment is on an earlier row of the sheet (line {line}): one row each", "id", line=seen[key]
                )
                outcomes.append(SheetRowOutcome(line, None, "refused", refusal=_refusal(refusal)))
                continue
            seen[key] = line
            outcomes.append(self._row(caller, line, given, reason, dry_run))
        return SheetReport(table.name, dry_run, outcomes)

    @staticmethod
    def _columns(table: Table) -> dict[str, int]:
        found = {str(name).strip().casefold(): index for index, name in enumerate(table.headers) if name}
        if "id" not in found:
            raise InvalidValue("the sheet has no {column} column: download the update sheet again", "file", column="id")
        return {name: found[name] for name in ("id", *EDITABLE) if name in found}

    def _row(self, caller: Principal, line: int, given: dict[str, Any], reason: str, dry_run: bool) -> SheetRowOutcome:
        outcome = SheetRowOutcome(line, None, "unchanged")
        try:
            commitment = self._commitment(given.get("id"))
            outcome.commitment_id = str(commitment.id)
            policy.changes_commitment(caller, commitment.parties)
            steps = self._steps(caller, commitment, given, reason)
            outcome.changes = [step.change for step in steps]
            if not steps:
                return outcome
            binding = [step for step in steps if step.binding]
            if binding:
                outcome.awaiting = [str(p) for p in self.commitments.awaiting(caller, commitment)]
            if outcome.awaiting and len(binding) > 1:
                raise InvalidValue(
                    "one change at a time waits for the other parties' word: bring the new due in a later sheet",
                    "new_due",
                )
            trial = commitment.trial()
            for step in steps:
                step.tried(trial)
            outcome.outcome = "waits" if outcome.awaiting and binding else "changed"
            if not dry_run:
                for step in steps:
                    step.carried_out()
                    outcome.recorded += 1
        except (DomainError, ApplicationError) as error:
            outcome.outcome = "refused"
            outcome.refusal = _refusal(error)
        return outcome

    def _commitment(self, written: Any) -> Commitment:
        try:
            commitment_id = UUID(str(written).strip())
        except ValueError:
            raise InvalidValue("this is not the id of a commitment: keep the id column as it was", "id") from None
        found = self.records.load(Commitment, commitment_id)
        if found is None:
            raise NotFound("commitment", commitment_id)
        return found

    def _steps(self, caller: Principal, commitment: Commitment, given: dict[str, Any], reason: str) -> list[_Step]:
        """The changes a row asks for, each with how it is tried and carried out."""
        actor, now, target = caller.id, self.records.now(), commitment.id
        commitments = self.commitments
        note = translation.reason(_text(given.get("note")), "note")
        why = translation.reason(_text(given.get("reason"))) or reason
        link = _text(given.get("evidence"))
        proofs = translation.evidence(() if link is None else (Evidence(link, link),))
        steps: list[_Step] = []
        percent = _percent(given.get("progress"))
        now_percent = None if commitment.progress is None else commitment.progress.percent
        if percent is not None and percent != now_percent:
            steps.append(
                _Step(
                    SheetChange("progress", now_percent, percent),
                    False,
                    lambda c: c.report_progress(percent, note, proofs, actor, now),
                    lambda: commitments.report_progress(target, caller, percent, note, proofs),
                )
            )
        wanted = _status(given.get("status"))
        if wanted is not None and wanted is not commitment.status:
            steps.append(self._status_step(caller, commitment, wanted, why, note, proofs))
        new_due = _due_text(given.get("new_due"))
        if new_due is not None:
            meeting = self.records.get(Meeting, commitment.provenance.meeting_id)
            due = translation.optional_due(DueInput(None, new_due), meeting.venue.time_zone, "new_due")
            due_at = None if due is None else due.resolve(meeting.dates.ends_on)
            if due != commitment.due:
                steps.append(
                    _Step(
                        SheetChange("due", None if commitment.due is None else commitment.due.value, new_due),
                        True,
                        lambda c: c.revise_due(due, due_at, why, actor, now),
                        lambda: commitments.revise_due(target, caller, DueInput(None, new_due), why),
                    )
                )
        return steps

    def _status_step(
        self,
        caller: Principal,
        commitment: Commitment,
        wanted: Status,
        why: str,
        note: str | None,
        proofs: tuple[Evidence, ...],
    ) -> _Step:
        actor, now, target, commitments = caller.id, self.records.now(), commitment.id, self.commitments
        change = SheetChange("status", commitment.status.value, wanted.value)
        action = action_to(commitment.status, wanted)
        if action is None or action in (Action.SUSPEND, Action.SUPERSEDE):
            raise InvalidValue(
                N_("a sheet cannot move a commitment from {status} to {wanted}: use its page"),
                "status",
                status=commitment.status.value,
                wanted=wanted.value,
            )
        binding = action in BINDING
        if action is Action.DELIVER:
            return _Step(
                change,
                binding,
                lambda c: c.deliver(proofs, None, note, actor, now),
                lambda: commitments.deliver(target, caller, proofs, None, note),
            )
        if action is Action.ASSESS:
            return _Step(
                change,
                binding,
                lambda c: c.assess(wanted, why, actor, now),
                lambda: commitments.assess(target, caller, wanted.value, why),
            )
        move = REASONED[action]
        return _Step(
            change,
            binding,
            lambda c: move(c, why, actor, now),
            lambda: commitments.act(action, target, caller, why),
        )


def _refusal(error: Refusal) -> dict[str, Any]:
    return {
        "template": error.template,
        "values": {k: str(v) for k, v in error.values.items()},
        "field": error.field,
        "detail": str(error),
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    return value.strip() or None


def _percent(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        raise InvalidValue("progress is a whole percentage from 0 to 100", "progress") from None
    if not number.is_integer() or not 0 <= number <= 100:
        raise InvalidValue("progress is a whole percentage from 0 to 100", "progress")
    return int(number)


def _status(value: Any) -> Status | None:
    written = _text(value)
    if written is None:
        return None
    try:
        return Status(written.casefold().replace(" ", "_"))
    except ValueError:
        raise InvalidValue("unknown status {value!r}: choose one of the list", "status", value=written[:50]) from None


def _due_text(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)
