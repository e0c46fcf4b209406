"""The small interfaces the application is given at construction, and the values it hands over.

The infrastructure implements them (``api.bootstrap`` builds and hands them in); tests
give fakes of their own.
"""

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import Recording

from application.listing.queries import (
    AgreementFilter,
    CommitmentFilter,
    Filter,
    MeetingFilter,
    PartyFilter,
    Results,
    RollupRow,
    RollupScope,
    SearchHit,
    Tally,
)
from domain.commitments.escalation import Ladder
from domain.commitments.rollup import Counts

A = TypeVar("A", bound=Aggregate)


@dataclass
class Saved:
    """What one command (or a group of commands, decision 0016) saved: the recordings of its events,
    the aggregates as it read them before changing them and as it saved them, and its events by
    the position of their notifications. Followers of the log start from these instead of reading
    and decoding again."""

    recordings: list[Recording[UUID]] = field(default_factory=list)
    before: dict[tuple[UUID, int], Aggregate] = field(default_factory=dict)  # by (id, version as read)
    aggregates: dict[UUID, Aggregate] = field(default_factory=dict)
    events: dict[int, Any] = field(default_factory=dict)

    @property
    def until(self) -> int:
        return max(recording.notification.id for recording in self.recordings)

    def add(self, other: "Saved") -> None:
        self.recordings += other.recordings
        self.before.update(other.before)
        self.aggregates.update(other.aggregates)
        self.events.update(other.events)

    def event_of(self, position: int) -> Any | None:
        """The domain event saved at this position of the log (None: not one of these)."""
        return self.events.get(position)

    def state_before(self, aggregate_id: UUID, version: int) -> Aggregate | None:
        """The aggregate at ``version`` as the command read it, if it did (None: it did not)."""
        kept = self.before.get((aggregate_id, version))
        return kept if kept is not None and kept.version == version else None

    def state_at(self, aggregate_id: UUID, version: int) -> Aggregate | None:
        """The aggregate at ``version``, if one of these commands saved that version: as saved, or
        replayed from the state it read (None: read it elsewhere). Followers that run in the saving
        transaction (decision 0030) cannot read these versions from the event store yet."""
        saved = self.aggregates.get(aggregate_id)
        if saved is None or saved.version < version:
            return None
        if saved.version == version:
            return saved
        events = sorted(
            (e for e in self.events.values() if e.originator_id == aggregate_id), key=lambda e: e.originator_version
        )
        if not events or events[0].originator_version > version:
            return None
        first = events[0].originator_version
        start = self.state_before(aggregate_id, first - 1)
        if first > 1 and start is None:
            return None
        state = as_read(start) if start is not None else None
        for event in events:
            if event.originator_version <= version:
                state = event.mutate(state)
        return state


def as_read(aggregate: A) -> A:
    """A copy of the aggregate as it stands, that later changes of the aggregate leave as it is."""
    # cast: the library types what a snapshot restores as its base class; it restores the aggregate's own class
    return cast(A, Snapshot.take(aggregate).mutate(None))


@dataclass
class Changes:
    """One command's changes, waiting for their turn to be saved (decision 0030): the aggregates it
    changed, with copies of them as it read them; then what was saved, or why nothing was."""

    aggregates: Sequence[Aggregate]
    before: dict[tuple[UUID, int], Aggregate] = field(default_factory=dict)  # by (id, version as read)
    saved: Saved | None = None
    error: BaseException | None = None
    written: bool = False  # set by ``Turns`` once the writer has returned: ``saved`` or ``error`` is final

    @property
    def done(self) -> bool:
        return self.saved is not None or self.error is not None

    def stored(self, recordings: list[Recording[UUID]]) -> Saved:
        """Its events were stored as these recordings."""
        self.saved = Saved(
            recordings,
            self.before,
            {a.id: a for a in self.aggregates},
            {r.notification.id: r.domain_event for r in recordings},
        )
        return self.saved


class Writer(Protocol):
    """Saves the changes of commands that came in turn (``turns.Turns``): each command's whole or none
    of it, several together where it can. Sets ``saved`` or ``error`` on each; when it returns, the
    followers of the log have been told what was saved."""

    def write(self, group: Sequence[Changes]) -> None: ...


class Followers(Protocol):
    """Told what each command (or group of commands) saved, before the command returns: the read
    model, the webhook outbox and the audit chain catch up, so a client reads its own writes."""

    def follow(self, saved: Saved) -> None: ...


class NoFollowers:
    """For rules tested on the in-memory event store: nothing follows the log."""

    def follow(self, saved: Saved) -> None:
        return None


class AggregateReader(Protocol):
    """Reads several aggregates at once: as they stand, or at the version given for each (those
    not found are left out)."""

    def read_many(
        self, aggregate_ids: Sequence[UUID], until: Mapping[UUID, int] | None = None
    ) -> dict[UUID, Aggregate]: ...


class Catalogue(Protocol):
    """Questions asked across many records, answered by the read model."""

    def find_commitments(self, query: CommitmentFilter) -> Results: ...

    def find_meetings(self, query: MeetingFilter) -> Results: ...

    def find_agreements(self, query: AgreementFilter) -> Results: ...

    def find_parties(self, query: PartyFilter) -> Results: ...

    def search(self, words: list[tuple[str, ...]], limit: int) -> list[SearchHit]: ...

    def tally(self, parties: frozenset[str] | None = None) -> list[Tally]:
        """The commitments counted by lead party and meeting series, by state; ``parties``: only those
        one of these parties leads or supports."""
        ...

    def ids(self, query: Filter) -> list[str]:
        """Every record of the filter's kind matching its filters on what never changes (kinds,
        parties, meeting, series, parent) and its words as they stand (which only grow: documents
        and matrix rows are added, never removed), in the order recorded; the filters on state
        are left to the caller."""
        ...

    def touched_by_party(self, party_id: str) -> list[str]:
        """The party, and the meetings it took part in, agreements it adopted, commitments it leads or supports."""
        ...

    def touched_by_meeting(self, meeting_id: str) -> list[str]:
        """The meeting, and the agreements adopted and commitments made at it."""
        ...

    def overdue_candidates(self, now: datetime, limit: int) -> list[str]:
        """Commitments that can be late, whose due has passed, not yet recorded as overdue."""
        ...

    def due_soon_candidates(self, now: datetime, limit: int) -> list[str]:
        """Commitments with a reminder that has fallen due and not yet been told."""
        ...

    def awaiting_words(self) -> list[dict[str, Any]]:
        """Each party whose word a pending change still waits for: ``commitment_id``, ``party_id``,
        ``declared_at``."""
        ...

    def silence_candidates(self, now: datetime, limit: int) -> list[str]:
        """Commitments whose pending change's silence period has passed."""
        ...

    def review_candidates(self, now: datetime, limit: int) -> list[str]:
        """Open commitments whose review day has come and not yet been told."""
        ...

    def escalation_candidates(
        self, now: datetime, limit: int, *, ladder: Ladder, leads: Collection[str] | None, others_than: Collection[str]
    ) -> list[str]:
        """Overdue commitments that have reached a step of ``ladder`` above the level recorded, led
        by one of ``leads`` (None: by any party other than ``others_than``)."""
        ...

    def latest_document(self, kind: str, record_id: UUID) -> tuple[str, int] | None:
        """A record's document (``party``, ``meeting``, ``agreement``, ``commitment``) and version as the
        read model holds it, if that is the record's latest version in the event log; else None."""
        ...

    def status_changes(self, ids: Sequence[str], until: datetime | None = None) -> list[dict[str, Any]]:
        """Each change of status of these commitments as recorded (up to ``until``): ``commitment_id``,
        ``version``, ``at``, ``before``, ``after``; in the order recorded."""
        ...

    def party_status_changes(self, party_id: str, since: datetime, through: datetime) -> list[dict[str, Any]]:
        """Each change of status of what the party leads or supports, recorded after ``since`` and up to
        ``through``, as ``status_changes`` gives them."""
        ...

    def mentions_of_party(self, party_id: str, since: datetime | None, through: datetime) -> list[dict[str, Any]]:
        """The comments (not hidden) that mention the party, written after ``since`` (None: ever) and up to
        ``through``: ``commitment_id``, ``number``, ``at``; oldest first."""
        ...

    def position(self) -> int:
        """The position in the event log the read model has reached: what it says changes only when it moves."""
        ...

    def rollup_rows(self, scope: RollupScope, as_of: datetime | None = None) -> list[RollupRow]:
        """What roll-ups count of each commitment in the scope, now or as recorded at ``as_of``."""
        ...

    def rollup_counts(self, scope: RollupScope, as_of: datetime | None = None) -> Counts | None:
        """The counts of a scope: now, as kept while commitments change (None: a scope narrowed by more than
        one thing, whose commitments are counted one by one); as recorded at ``as_of``, grouped."""
        ...

    def overdue_at(self, instants: list[datetime], parties: frozenset[str] | None = None) -> list[int]:
        """How many commitments were overdue at each of ``instants``, as recorded then (of those one of
        ``parties`` leads, when given)."""
        ...

    def statistics_counts(
        self, as_of: datetime | None = None
    ) -> tuple[Counts, dict[str, Counts], dict[str | None, Counts]]:
        """The counts of every commitment, of each lead party's and of each series' (None: of no series),
        now or as recorded at ``as_of``."""
        ...

    def own_ladders(self) -> dict[str, Ladder]:
        """The parties that keep an escalation ladder of their own, and their ladders."""
        ...


class Integrity(Protocol):
    """What the audit chain's watcher found about each record: the records an altered (or inserted)
    event belongs to, found when the watcher found the break (no chain walk per read)."""

    def of(self, record_id: str) -> dict[str, Any] | None:
        """``{"intact": false, "first_broken_position", "problem", "detected_at"}`` for a record an open
        break touches; None for every other."""
        ...

    def any(self) -> bool:
        """Whether any record is touched by an open break (lists look at each item only then)."""
        ...


class FileStore(Protocol):
    """Where evidence files are kept, each once by the SHA-256 of its bytes."""

    def put(self, data: bytes) -> str:
        """Keep ``data``; its SHA-256 (hex)."""
        ...

    def get(self, sha256: str) -> bytes | None:
        """The bytes kept under that hash, as they are now (None: none)."""
        ...

    def hashes(self) -> Iterator[str]:
        """The hash of every file kept."""
        ...


class UploadCounter(Protocol):
    def add(self, holder: str, size: int, most_files: int, most_bytes: int) -> bool:
        """Count one more file of ``size`` bytes for ``holder`` today if that keeps it within the limits."""
        ...


class PersonalSeal(Protocol):
    """Personal data sealed with a key per person, kept outside the event log (``domain.personal_data``)."""

    def sealed(self, person_id: str, value: str) -> str:
        """``value`` as the events store it."""
        ...

    def opened(self, person_id: str, stored: str) -> str | None:
        """The value as written; None once its person is erased."""
        ...

    def erase(self, person_id: str) -> None:
        """Delete the person's key, and record the erasure."""
        ...


class InClear:
    """Personal data kept as written, never erased: the in-memory store of the rules' tests."""

    def sealed(self, person_id: str, value: str) -> str:
        return value

    def opened(self, person_id: str, stored: str) -> str | None:
        return stored

    def erase(self, person_id: str) -> None:
        raise NotImplementedError("a store in memory keeps no personal keys")


class PersonCredentials(Protocol):
    """People's passwords and invitations, beside the event log (decision 0075)."""

    def invite(self, person_id: str, valid_for: timedelta) -> str:
        """A new invitation (the earlier ones stop working): its token, shown once."""
        ...

    def invited(self, token: str) -> tuple[str, str] | None:
        """The person an invitation names, and whether it ``works``, was ``used`` or has ``expired``."""
        ...

    def choose(self, token: str, person_id: str, password: str) -> bool:
        """Keep the password and use the invitation, at once; False if it was used meanwhile."""
        ...

    def verify(self, person_id: str, password: str) -> bool: ...

    def forget(self, person_id: str) -> None:
        """The person's password and invitations deleted (their account erased)."""
        ...

    def withdraw(self, person_id: str) -> None:
        """The person's unused links stop working."""
        ...

    def made_since(self, person_id: str, since: datetime, valid_for: timedelta) -> bool: ...

    def replace(self, person_id: str, password: str) -> None:
        """A new password for a person who proved the old one."""
        ...


class PersonAccounts(Protocol):
    """What an account holds beside its password: last sign-in, failed attempts, second factor (decision 0075)."""

    def made(self, person_id: str) -> None: ...

    def any(self) -> bool:
        """Whether any person has an account."""
        ...

    def listed(self) -> list[tuple[str, datetime | None, bool]]:
        """Every account: its person, its last sign-in, whether a second factor is set up."""
        ...

    def last_sign_in(self, person_id: str) -> datetime | None: ...

    def signed_in(self, person_id: str) -> None: ...

    def has_second_factor(self, person_id: str) -> bool: ...

    def secret_to_confirm(self, person_id: str, address: str) -> tuple[str, str]:
        """A new authenticator secret to show: its text and its ``otpauth://`` address."""
        ...

    def confirm_secret(self, person_id: str, code: str) -> list[str] | None:
        """The secret shown in use once a code it made is given: the recovery codes; None: a wrong code."""
        ...

    def check_code(self, person_id: str, code: str) -> str | None:
        """``totp`` or ``recovery`` when the code is right (each works once); None otherwise."""
        ...

    def recovery_codes_left(self, person_id: str) -> int: ...

    def new_recovery_codes(self, person_id: str) -> list[str]:
        """Ten new codes, shown once; the earlier ones stop working."""
        ...

    def forget_second_factor(self, person_id: str) -> None: ...


class SignInHolds(Protocol):
    """Attempts at signing in, counted before each is checked, held after too many in a row."""

    def attempt(self, subject: str) -> timedelta | None:
        """None: it may be checked now; else how long the subject is held."""
        ...

    def passed(self, subject: str) -> None: ...


class PersonAddresses(Protocol):
    """Which account an e-mail address signs in to (ids are random: erasing the row unlinks them)."""

    def find(self, address: str) -> str | None: ...

    def claim(self, address: str, person_id: str) -> bool: ...

    def forget(self, person_id: str) -> None: ...


class Letters(Protocol):
    """The e-mails people's accounts send: an invitation, a link to choose a new password."""

    def account_link(self, link: "AccountLink", wait: bool = True) -> None:
        """Send the person the link; raises when it cannot be handed over. ``wait=False``: hand it over in the
        background (what the sender of the request sees then takes no longer for an address with an account)."""
        ...


@dataclass(frozen=True)
class AccountLink:
    """An e-mail of people's accounts: an ``invitation`` (from ``inviter``, for ``role``) or a ``reset`` link."""

    kind: str
    name: str
    address: str
    language: str
    token: str
    valid_for: timedelta
    inviter: str | None = None
    role: str | None = None
