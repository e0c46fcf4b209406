"""Drafting a record from a meeting report: read it (``read``: proposals, nothing stored), let the
coordinator edit what was proposed (``proposed``: the proposals as a confirmation to edit), then
record it all in one call (``confirm``).

A confirmation names parties by id, or ``new:<key>`` for one it registers. It records, in order: the
new parties, the meeting (the report as its source document; held, if it ended before the report
was published), its agreements, then its commitments and follow-up sessions, each with its quote
as provenance. What can be checked without recording (references, required fields, acronyms) is
checked before anything is recorded; a rule that only recording checks (a framework's period, a
due's form) may refuse part-way. Each record's id is derived from the report (its text and
publication day), so a report is recorded once: confirming it again, corrected, records what is
missing and corrects what was recorded (the meeting's title, kind, venue and participants, an
agreement's title and who adopted it, a commitment's text, parties and due) by correction events
naming the reason, never a second record.
"""

import hashlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy, translation
from application.errors import TooLarge
from application.exports import all_parties
from application.inputs import (
    DocumentInput,
    DueInput,
    ParticipantInput,
    PeriodInput,
    TextInput,
    VenueInput,
)
from application.ports import Catalogue
from application.tracker import Tracker
from domain.access import Principal
from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.party import Party, named_party_id, party_id
from domain.reading.proposals import PROPOSED_MOST, KnownParty, Proposal, Reading
from domain.reading.report import read_report
from domain.text import DOCUMENT_TEXT_MAX, SHORT_TEXT_MAX, optional_text

ADOPTED = 0.7  # the confidence of an agreement the report says was agreed


def _proposal(reading_text: str, proposal: Any) -> dict[str, Any]:
    return {
        "value": proposal.value,
        "span": {"start": proposal.start, "end": proposal.end},
        "quote": reading_text[proposal.start : proposal.end],
        "confidence": proposal.confidence,
    }


@dataclass
class Recorded:
    """What a confirmation recorded now, and what it found recorded already (by a confirmation before)."""

    meeting_id: str
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
            KnownParty(p["id"], p.get("acronym"), tuple(p["names"]["texts"].values()))
            for p in all_parties(self.tracker.histories, self.catalogue)
        ]

    def read(self, text: str, published_on: date) -> dict[str, Any]:
        """Each proposal the report supports, with its span of the text and its confidence."""
        _check_text(text)
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
            "meeting": _proposal(text, reading.of("meeting")[0]),
        }
        for kind, name in kinds.items():
            draft[name] = [_proposal(text, p) for p in reading.of(kind)]
        draft["left_out"] = {kinds[kind]: count for kind, count in reading.left_out.items()}
        draft["confirmation"] = proposed(reading, text, published_on)
        meeting_id = report_meeting_id(published_on, text)
        draft["recorded_meeting_id"] = str(meeting_id) if _exists(self.tracker, meeting_id) else None
        return draft

    # -- recording -------------------------------------------------------------------------

    def confirm(self, caller: Principal, confirmation: Mapping[str, Any]) -> Recorded:
        """Record everything the (edited) confirmation says, once; see the module's description. Only a key
        not limited to some parties records a report (``policy.records_everything``)."""
        policy.records_everything(caller)
        plan = _Plan.of(confirmation)
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
        done = Recorded(meeting_id=str(report_meeting_id(plan.published_on, plan.text)))
        for ref, party in plan.new_parties.items():
            if _exists(tracker, ids[ref]):
                done.already_recorded.append(f"party {party.get('acronym') or party['name']}")
            else:
                tracker.parties.register(
                    caller,
                    TextInput({plan.language: party["name"]}),
                    party.get("acronym"),
                    party.get("kind") or "other",
                )
            done.parties[ref] = str(ids[ref])
        meeting_id = UUID(done.meeting_id)
        m = plan.meeting
        title, kind = _written(m["title"], plan.language), m.get("kind") or "other"
        venue = VenueInput(m.get("venue") or None, m["time_zone"], m.get("city"), m.get("country"))
        participants = [
            ParticipantInput(ids[p["party"]], p.get("role") or "participant", p.get("person"))
            for p in plan.participants
        ]
        if _exists(tracker, meeting_id):
            done.already_recorded.append("meeting")
            before = tracker.meetings.get(meeting_id).version
            corrected = tracker.meetings.correct(meeting_id, caller, CORRECTED, title, kind, venue, participants)
            if corrected.version > before:
                done.corrected.append("meeting")
        else:
            tracker.meetings.record(
                caller,
                title,
                kind,
                PeriodInput(date.fromisoformat(m["starts_on"]), _day(m.get("ends_on"))),
                venue,
                series=m.get("series"),
                session_number=m.get("session_number"),
                participants=participants,
                documents=[DocumentInput(plan.text, plan.language, title=plan.document_title)],
                meeting_id=meeting_id,
            )
            ends_on = _day(m.get("ends_on")) or date.fromisoformat(m["starts_on"])
            if ends_on <= plan.published_on:
                tracker.meetings.hold(meeting_id, caller, PeriodInput(date.fromisoformat(m["starts_on"]), ends_on))
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
                        _written(a["title"], plan.language),
                        [ids[r] for r in a["adopted_by"]],
                    ).version
                    > before
                ):
                    done.corrected.append(f"agreements[{index}]")
                continue
            validity = a.get("validity")
            tracker.agreements.adopt(
                caller,
                meeting_id,
                _written(a["title"], plan.language),
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
                    _written(c["text"], plan.language),
                    ids[c["lead"]],
                    meeting_id,
                    kind="follow_up_session" if follow_up else "action",
                    supporting_party_ids=[ids[r] for r in c.get("partners", []) if r != c["lead"]],
                    agreement_id=None if agreement is None else agreement_ids[agreement],
                    quote=TextInput({plan.language: c["quote"]}) if c.get("quote") else None,
                    due=_due(c.get("due")),
                    status=plan.status,
                    follow_up_series=c.get("series") if follow_up else None,
                    follow_up_session_number=c.get("session_number") if follow_up else None,
                    commitment_id=commitment_id,
                )
                getattr(done, name).append(str(commitment_id))
        return done

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
            _due(c.get("due")),
        )
        return restated.version > now.version


CORRECTED = "corrected by confirming the report again"


def report_digest(published_on: date, text: str) -> str:
    """What identifies a report: its publication day and its text."""
    return hashlib.sha256(f"{published_on}\n{text}".encode()).hexdigest()


def report_meeting_id(published_on: date, text: str) -> UUID:
    """The meeting a report's confirmation records (the same for every confirmation of that report)."""
    return derived_id("report-meeting", report_digest(published_on, text))


def _written(texts: Mapping[str, str], language: str) -> TextInput:
    """A text of the confirmation: authentic in the report's language when it is given in it."""
    return TextInput(dict(texts), language if language in texts else next(iter(texts), None))


def _exists(tracker: Tracker, aggregate_id: UUID) -> bool:
    return tracker.records.load(Aggregate, aggregate_id) is not None


def _day(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def _due(value: Mapping[str, Any] | None) -> DueInput | None:
    if not value:
        return None
    return DueInput(
        value["precision"], value.get("value"), value.get("amount"), value.get("unit"), value.get("time_zone")
    )


def _check_text(text: object) -> str:
    """The report's text, if it is one a draft can be made of."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidValue("paste the report's text", "text")
    if len(text) > DOCUMENT_TEXT_MAX:
        raise TooLarge(
            "a report is at most {most} characters; this one has {length}",
            "text",
            most=DOCUMENT_TEXT_MAX,
            length=len(text),
        )
    return text


def proposed(reading: Reading, text: str, published_on: date) -> dict[str, Any]:
    """The proposals as a confirmation, ready to edit: the best reading of each, new parties with their
    acronym (or, with none, their name: a ministry named only in Arabic is registered by its name)."""
    meeting = reading.of("meeting")[0].value
    language = reading.language
    new_parties = [
        {"ref": p.value["ref"], "acronym": p.value.get("acronym"), "name": p.value["name"], "kind": "other"}
        for p in reading.of("party")
        if not p.value["known"]
    ]
    usable = {p.value["ref"] for p in reading.of("party") if p.value["known"]} | {p["ref"] for p in new_parties}
    title = meeting.get("title") or {language: text.strip().split("\n")[0][:300]}

    def refs(values: Sequence[str | None]) -> list[str]:
        return [v for v in values if v is not None and v in usable]

    participants = [
        {"party": p.value["party"], "role": p.value["role"], "person": p.value["person"]}
        for p in reading.of("participant")
        if p.value.get("party") in usable
    ]
    adopting = (
        refs([p["party"] for p in participants if p["role"] in ("co_chair", "chair")])
        or refs([p.value["ref"] for p in reading.of("party")])[:2]
    )
    adopted = [a for a in reading.of("agreement") if a.confidence >= ADOPTED]  # said to be agreed, not only named
    agreements = [
        {
            "kind": a.value["kind"],
            "title": a.value["title"],
            "validity": a.value.get("validity"),
            "adopted_by": adopting,
        }
        for a in adopted
    ]
    commitments = [
        {
            "text": c.value["text"],
            "quote": c.quote(text),
            "lead": c.value["lead"] if c.value["lead"] in usable else None,
            "partners": refs(c.value["partners"]),
            "due": c.value["due"],
            "agreement": _first_within(adopted, c.start, c.end),
        }
        for c in reading.of("commitment")
    ]
    follow_ups = [
        {
            "text": f.value["text"],
            "quote": f.quote(text),
            "lead": f.value["lead"] if f.value["lead"] in usable else None,
            "partners": [],
            "due": f.value["due"],
            "series": f.value["series"],
            "session_number": f.value["session_number"],
        }
        for f in reading.of("follow_up")
    ]
    return {
        "text": text,
        "published_on": published_on.isoformat(),
        "language": language,
        "status": "draft",
        "document_title": text.strip().split("\n")[0][:300],
        "parties": new_parties,
        "meeting": {
            key: meeting.get(key)
            for key in (
                "kind",
                "series",
                "session_number",
                "starts_on",
                "ends_on",
                "venue",
                "city",
                "country",
                "time_zone",
            )
        }
        | {"title": title},
        "participants": participants,
        "agreements": agreements,
        "commitments": commitments,
        "follow_ups": follow_ups,
    }


def _first_within(adopted: list[Proposal], start: int, end: int) -> int | None:
    """The place in ``adopted`` (sorted by start) of the first agreement from ``start`` to before ``end``."""
    first = bisect_left(adopted, start, key=lambda agreement: agreement.start)
    return first if first < len(adopted) and adopted[first].start < end else None


@dataclass
class _Plan:
    """A confirmation, checked for what can be checked before anything is recorded."""

    text: str
    published_on: date
    language: str
    status: str
    document_title: str | None
    new_parties: dict[str, dict[str, Any]]
    meeting: dict[str, Any]
    participants: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    commitments: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]

    def party_refs(self) -> set[str]:
        named = {p["party"] for p in self.participants}
        named |= {r for a in self.agreements for r in a["adopted_by"]}
        named |= {r for c in (*self.commitments, *self.follow_ups) for r in (c["lead"], *c.get("partners", []))}
        return {r for r in named if r not in self.new_parties}

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> "_Plan":
        text = _check_text(body.get("text"))
        try:
            published = date.fromisoformat(str(body.get("published_on")))
        except ValueError:
            raise InvalidValue("the day the report was published, as 2024-07-11", "published_on") from None
        new = {}
        for index, party in enumerate(body.get("parties") or []):
            if not party.get("acronym") and not party.get("name"):
                raise InvalidValue(
                    "a new party needs its name (and its acronym, if it has one), or name a registered party instead",
                    f"parties[{index}].name",
                )
            new[party.get("ref") or f"new:{party.get('acronym') or party['name']}"] = party
        meeting = dict(body.get("meeting") or {})
        for required in ("title", "starts_on", "time_zone"):
            if not meeting.get(required):
                raise InvalidValue(
                    "the meeting needs its {part}", f"meeting.{required}", part=required.replace("_", " ")
                )
        if not (meeting.get("venue") or meeting.get("city")):
            raise InvalidValue("the meeting needs its venue (or at least its city)", "meeting.venue")
        commitments = list(body.get("commitments") or [])
        follow_ups = list(body.get("follow_ups") or [])
        agreements = list(body.get("agreements") or [])
        participants = list(body.get("participants") or [])
        for name, kind, items in (
            ("parties", "party", new),
            ("participants", "participant", participants),
            ("agreements", "agreement", agreements),
            ("commitments", "commitment", commitments),
            ("follow_ups", "follow_up", follow_ups),
        ):
            if len(items) > PROPOSED_MOST[kind]:
                raise InvalidValue("at most {most} at once", name, most=PROPOSED_MOST[kind])
        for name, items in (("commitments", commitments), ("follow_ups", follow_ups)):
            for index, item in enumerate(items):
                if not item.get("lead"):
                    raise InvalidValue("choose the party that leads it", f"{name}[{index}].lead")
                if not item.get("text"):
                    raise InvalidValue("a commitment needs its text", f"{name}[{index}].text")
                agreement = item.get("agreement")
                if agreement is not None and not (isinstance(agreement, int) and 0 <= agreement < len(agreements)):
                    raise InvalidValue("the agreement is named by its place in the list", f"{name}[{index}].agreement")
        for index, agreement in enumerate(agreements):
            if not agreement.get("adopted_by"):
                raise InvalidValue("name the parties that adopted it", f"agreements[{index}].adopted_by")
        plan = cls(
            text=text,
            published_on=published,
            language=body.get("language") or "en",
            status=body.get("status") or "draft",
            document_title=body.get("document_title"),
            new_parties=new,
            meeting=meeting,
            participants=participants,
            agreements=agreements,
            commitments=commitments,
            follow_ups=follow_ups,
        )
        plan.check_what_is_written()
        return plan

    def check_what_is_written(self) -> None:
        """Every text and due the confirmation would record, checked by the rules recording applies, before
        anything is recorded: a confirmation refused for one of them stores nothing."""
        language, m = self.language, self.meeting
        for index, party in enumerate(self.new_parties.values()):
            if party.get("name"):
                translation.name(TextInput({language: party["name"]}), f"parties[{index}].name")
        translation.name(_written(m["title"], language), "meeting.title")
        translation.venue(VenueInput(m.get("venue") or None, m["time_zone"], m.get("city"), m.get("country")))
        translation.document(DocumentInput(self.text, language, title=self.document_title), "document")
        for index, participant in enumerate(self.participants):
            optional_text(participant.get("person"), f"participants[{index}].person", SHORT_TEXT_MAX)
        for index, agreement in enumerate(self.agreements):
            translation.name(_written(agreement["title"], language), f"agreements[{index}].title")
        for name, items in (("commitments", self.commitments), ("follow_ups", self.follow_ups)):
            for index, c in enumerate(items):
                translation.text(_written(c["text"], language), f"{name}[{index}].text")
                if c.get("quote"):
                    translation.text(TextInput({language: c["quote"]}), f"{name}[{index}].quote")
                translation.optional_due(_due(c.get("due")), m["time_zone"], f"{name}[{index}].due")
