"""Drafting a record from a meeting report: read it (``read``: proposals, nothing stored), let the
coordinator edit what was proposed (``proposed``: the proposals as a confirmation to edit), then
record it all in one call (``confirm``).

A confirmation names parties by id, or ``new:<key>`` for one it registers (with every name and alias
it gives: a party the gazetteer knows). It records, in order: the new parties, the meeting (the report
as its source document; held, if it ended before the report was published) and the other meetings
the report tells of (``other_meetings``), the agreements, then the commitments and follow-up
sessions, each with its quote as provenance and at the meeting it names (``meeting``: 0 the main
one, k the k-th other one). What can be checked without recording (references, required fields, acronyms) is
checked before anything is recorded; a rule that only recording checks (a framework's period, a
due's form) may refuse part-way. Each record's id is derived from the report (its text and
publication day; another meeting's, with its place too), so a report is recorded once: confirming it
again, corrected, records what is missing and corrects what was recorded (a meeting's title, kind,
venue and participants, an agreement's title and who adopted it, a commitment's text, parties and
due) by correction events naming the reason, never a second record.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy
from application.errors import AlreadyExists
from application.inputs import ParticipantInput, PeriodInput, TextInput
from application.intake.confirmations import Plan, check_text, due_of, names_of, written
from application.intake.proposing import proposed, shown
from application.listing.exports import all_parties
from application.ports import Catalogue
from application.tracker import Tracker
from domain.access import Principal
from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.meetings.meeting import SourceDocument, Venue
from domain.parties.party import Party, named_party_id, party_id
from domain.reading.proposals import KnownParty, Reading
from domain.reading.report import read_report
from domain.reading.words import sentences


@dataclass
class Recorded:
    """What a confirmation recorded now, and what it found recorded already (by a confirmation before)."""

    meeting_id: str
    other_meeting_ids: list[str] = field(default_factory=list)  # the other meetings', in the confirmation's order
    parties: dict[str, str] = field(default_factory=dict)  # "new:<key>" -> id
    agreements: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    already_recorded: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # what was recorded before and is corrected now


ReadReport = Callable[[str, date, Iterable[KnownParty]], Reading]


class Drafts:
    def __init__(self, tracker: Tracker, catalogue: Catalogue, read: ReadReport = read_report) -> None:
        """``read``: how a report is read (``read_report``, or the same in another process)."""
        self.tracker = tracker
        self.catalogue = catalogue
        self._read = read

    # -- reading ---------------------------------------------------------------------------

    def _known(self) -> list[KnownParty]:
        return [
            KnownParty(p["id"], p.get("acronym"), tuple(p["names"]["texts"].values()), tuple(p.get("aliases", ())))
            for p in all_parties(self.tracker.histories, self.catalogue)
        ]

    def read(self, text: str, published_on: date) -> dict[str, Any]:
        """Each proposal the report supports, with its span of the text and its confidence."""
        check_text(text)
        reading = self._read(text, published_on, self._known())
        kinds = {
            "party": "parties",
            "participant": "participants",
            "agreement": "agreements",
            "commitment": "commitments",
            "follow_up": "follow_ups",
            "recurrence": "recurrences",
        }
        draft: dict[str, Any] = {
            "language": reading.language,
            "published_on": published_on.isoformat(),
            "meeting": shown(text, reading.of("meeting")[0]),
            "meetings": [shown(text, m) for m in reading.of("meeting")],
        }
        for kind, name in kinds.items():
            draft[name] = [shown(text, p) for p in reading.of(kind)]
        draft["left_out"] = {kinds.get(kind, f"{kind}s"): count for kind, count in reading.left_out.items()}
        draft["ambiguous"] = [  # an alias registered parties share: the report's words name none of them
            {
                "name": a["name"],
                "span": {"start": a["start"], "end": a["end"]},
                "parties": a["parties"],
                "note": f"«{a['name']}» is an alias of more than one party "
                f"({', '.join(p['label'] for p in a['parties'])}): choose the one meant",
            }
            for a in reading.ambiguous
        ]
        draft["sentences"] = [{"start": start, "end": end} for start, end in sentences(text)]
        draft["confirmation"] = proposed(reading, text, published_on)
        meeting_id = report_meeting_id(published_on, text)
        draft["recorded_meeting_id"] = str(meeting_id) if _exists(self.tracker, meeting_id) else None
        return draft

    # -- recording -------------------------------------------------------------------------

    def confirm(self, caller: Principal, confirmation: Mapping[str, Any]) -> Recorded:
        """Record everything the (edited) confirmation says, once; see the module's description. Only a key
        not limited to some parties records a report (``policy.records_everything``)."""
        policy.records_everything(caller)
        plan = Plan.of(confirmation)
        tracker = self.tracker
        report = report_digest(plan.published_on, plan.text)
        ids: dict[str, UUID] = {}
        for ref, party in plan.new_parties.items():  # checked first: an acronym taken by another name is refused
            ids[ref] = party_id(party["acronym"]) if party.get("acronym") else named_party_id(party["name"])
        for ref in sorted(plan.party_refs()):
            try:
                ids[ref] = tracker.records.ref(Party, UUID(ref), "parties").id
            except ValueError:
                raise InvalidValue(
                    "{ref!r} is neither a party's id nor one of the new parties", "parties", ref=ref
                ) from None
        done = Recorded(
            meeting_id=str(report_meeting_id(plan.published_on, plan.text)),
            other_meeting_ids=[
                str(report_meeting_id(plan.published_on, plan.text, k)) for k in range(1, len(plan.other_meetings) + 1)
            ],
        )
        for ref, party in plan.new_parties.items():
            if _exists(tracker, ids[ref]) or not self._registered(caller, party, plan.language):
                done.already_recorded.append(f"party {party.get('acronym') or party['name']}")
            done.parties[ref] = str(ids[ref])
        meeting_ids = [UUID(done.meeting_id), *map(UUID, done.other_meeting_ids)]
        for k, m in enumerate([plan.meeting, *plan.other_meetings]):
            participants = [
                ParticipantInput(ids[p["party"]], p.get("role") or "participant", p.get("person"))
                for p in plan.participants
                if (p.get("meeting") or 0) == k
            ]
            label = "meeting" if k == 0 else f"other_meetings[{k - 1}]"
            self._meeting(caller, plan, meeting_ids[k], m, participants, done, label)
        agreement_ids: list[UUID] = []
        for index, a in enumerate(plan.agreements):
            agreement_id = derived_id("report-agreement", f"{report}:{index}")
            agreement_ids.append(agreement_id)
            if _exists(tracker, agreement_id):
                done.already_recorded.append(f"agreements[{index}]")
                before = tracker.agreements.get(agreement_id).version
                if (
                    tracker.agreements.correct(
                        agreement_id,
                        caller,
                        CORRECTED,
                        written(a["title"], plan.language),
                        [ids[r] for r in a["adopted_by"]],
                    ).version
                    > before
                ):
                    done.corrected.append(f"agreements[{index}]")
                continue
            validity = a.get("validity")
            tracker.agreements.adopt(
                caller,
                meeting_ids[a.get("meeting") or 0],
                written(a["title"], plan.language),
                a["kind"],
                [ids[r] for r in a["adopted_by"]],
                validity=None
                if not validity
                else PeriodInput(date.fromisoformat(validity["starts_on"]), _day(validity.get("ends_on"))),
                agreement_id=agreement_id,
            )
            done.agreements.append(str(agreement_id))
        for name, items in (("commitments", plan.commitments), ("follow_ups", plan.follow_ups)):
            for index, c in enumerate(items):
                commitment_id = derived_id("report-commitment", f"{report}:{name}:{index}")
                if _exists(tracker, commitment_id):
                    done.already_recorded.append(f"{name}[{index}]")
                    if self._correct(caller, commitment_id, c, ids):
                        done.corrected.append(f"{name}[{index}]")
                    continue
                agreement = c.get("agreement")
                follow_up = name == "follow_ups"
                tracker.commitments.record(
                    caller,
                    written(c["text"], plan.language),
                    ids[c["lead"]],
                    meeting_ids[c.get("meeting") or 0],
                    kind="follow_up_session" if follow_up else "action",
                    supporting_party_ids=[ids[r] for r in c.get("partners", []) if r != c["lead"]],
                    agreement_id=None if agreement is None else agreement_ids[agreement],
                    quote=TextInput({plan.language: c["quote"]}) if c.get("quote") else None,
                    due=due_of(c.get("due")),
                    status=plan.status,
                    follow_up_series=c.get("series") if follow_up else None,
                    follow_up_session_number=c.get("session_number") if follow_up else None,
                    commitment_id=commitment_id,
                )
                getattr(done, name).append(str(commitment_id))
        return done

    def _registered(self, caller: Principal, party: Mapping[str, Any], language: str) -> bool:
        """Register a new party of the confirmation; False if it was registered meanwhile (the same report
        confirmed twice at once: the second finds it, as if confirmed after)."""
        try:
            self.tracker.parties.register(
                caller,
                names_of(party, language),
                party.get("acronym"),
                party.get("kind") or "other",
                aliases=[a for a in party.get("aliases") or () if isinstance(a, str)],
            )
        except AlreadyExists:
            return False
        return True

    def _meeting(
        self,
        caller: Principal,
        plan: Plan,
        meeting_id: UUID,
        m: Mapping[str, Any],
        participants: list[ParticipantInput],
        done: Recorded,
        label: str,
    ) -> None:
        """Record a meeting of the report (with the report as its source document; held, if it ended before the
        report was published), or correct the one a confirmation before recorded."""
        tracker = self.tracker
        title, kind = written(m["title"], plan.language), m.get("kind") or "other"
        venue = Venue(m.get("venue") or None, m["time_zone"], m.get("city"), m.get("country"))
        if _exists(tracker, meeting_id):
            done.already_recorded.append(label)
            before = tracker.meetings.get(meeting_id).version
            corrected = tracker.meetings.correct(meeting_id, caller, CORRECTED, title, kind, venue, participants)
            if corrected.version > before:
                done.corrected.append(label)
            return
        tracker.meetings.record(
            caller,
            title,
            kind,
            PeriodInput(date.fromisoformat(m["starts_on"]), _day(m.get("ends_on"))),
            venue,
            series=m.get("series"),
            session_number=m.get("session_number"),
            participants=participants,
            documents=[SourceDocument(plan.text, plan.language, title=plan.document_title)],
            meeting_id=meeting_id,
        )
        ends_on = _day(m.get("ends_on")) or date.fromisoformat(m["starts_on"])
        if ends_on <= min(plan.published_on, tracker.records.now().date()):  # a day typed ahead: not held yet
            tracker.meetings.hold(meeting_id, caller, PeriodInput(date.fromisoformat(m["starts_on"]), ends_on))

    def _correct(self, caller: Principal, commitment_id: UUID, c: Mapping[str, Any], ids: Mapping[str, UUID]) -> bool:
        """What the confirmation says of a commitment it recorded before, where that differs (its text,
        its parties, its due); True if anything was corrected."""
        commitments = self.tracker.commitments
        now = commitments.get(commitment_id)
        texts = {**now.text["texts"], **c["text"]}
        restated = commitments.restate(
            commitment_id,
            caller,
            CORRECTED,
            TextInput(texts, now.text.get("authentic")),
            ids[c["lead"]],
            [ids[r] for r in c.get("partners", []) if r != c["lead"]],
            due_of(c.get("due")),
        )
        return restated.version > now.version


CORRECTED = "corrected by confirming the report again"


def report_digest(published_on: date, text: str) -> str:
    """What identifies a report: its publication day and its text."""
    return hashlib.sha256(f"{published_on}\n{text}".encode()).hexdigest()


def report_meeting_id(published_on: date, text: str, position: int = 0) -> UUID:
    """The meeting a report's confirmation records (the same for every confirmation of that report): its main
    meeting, or (``position`` k ≥ 1) the k-th of the other meetings it tells of."""
    digest = report_digest(published_on, text)
    return derived_id("report-meeting", digest if position == 0 else f"{digest}:{position}")


def _exists(tracker: Tracker, aggregate_id: UUID) -> bool:
    return tracker.records.load(Aggregate, aggregate_id) is not None


def _day(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)
