"""A draft's confirmation as the coordinator sends it back (edited), checked for everything that can be
checked before anything is recorded: required fields, references, counts, and every text and due by the
rules recording applies (``Drafts.confirm`` in ``application.intake.drafts`` records it)."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from application import translation
from application.errors import TooLarge
from application.inputs import DueInput, TextInput
from domain.commitments.promise import FollowUp
from domain.errors import InvalidValue
from domain.meetings.meeting import Meeting, SourceDocument, Venue
from domain.reading.proposals import PROPOSED_MOST
from domain.text import DOCUMENT_TEXT_MAX, SHORT_TEXT_MAX, optional_text


def written(texts: Mapping[str, str], language: str) -> TextInput:
    """A text of the confirmation: authentic in the report's language when it is given in it."""
    return TextInput(dict(texts), language if language in texts else next(iter(texts), None))


def due_of(value: Mapping[str, Any] | None) -> DueInput | None:
    if not value:
        return None
    return DueInput(
        value["precision"], value.get("value"), value.get("amount"), value.get("unit"), value.get("time_zone")
    )


def check_text(text: object) -> str:
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


def names_of(party: Mapping[str, Any], language: str) -> TextInput:
    """A new party's names: the name the confirmation gives, in the report's language (authentic), with those
    in other languages it gives (``names``: a party the gazetteer knows)."""
    names = {k: v for k, v in (party.get("names") or {}).items() if isinstance(v, str) and v.strip()}
    return TextInput({**names, language: party["name"]}, language)


NEEDED = {  # what a meeting of a confirmation cannot be recorded without, and how a refusal says it
    "title": "the meeting needs its title",
    "starts_on": "the meeting needs the day it began",
    "time_zone": "the meeting needs its time zone (no city of it was found in the report)",
}


def _meeting(given: Mapping[str, Any], place: str) -> dict[str, Any]:
    meeting = dict(given)
    for required, needed in NEEDED.items():
        if not meeting.get(required):
            raise InvalidValue(needed, f"{place}.{required}")
    if not (meeting.get("venue") or meeting.get("city")):
        raise InvalidValue("the meeting needs its venue (or at least its city)", f"{place}.venue")
    return meeting


@contextmanager
def _at(field: str) -> Iterator[None]:
    """A rule of the domain asked before recording, its refusal naming the confirmation's own field."""
    try:
        yield
    except InvalidValue as refused:
        raise InvalidValue(refused.template, field, **refused.values) from None


@dataclass
class Plan:
    """A confirmation, checked for what can be checked before anything is recorded."""

    text: str
    published_on: date
    language: str
    status: str
    document_title: str | None
    new_parties: dict[str, dict[str, Any]]
    meeting: dict[str, Any]
    other_meetings: list[dict[str, Any]]  # the other meetings the report tells of: ``meeting`` k is the k-th
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
    def of(cls, body: Mapping[str, Any]) -> "Plan":
        text = check_text(body.get("text"))
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
        meeting = _meeting(body.get("meeting") or {}, "meeting")
        others = list(body.get("other_meetings") or [])
        if len(others) > PROPOSED_MOST["meeting"] - 1:
            raise InvalidValue("at most {most} at once", "other_meetings", most=PROPOSED_MOST["meeting"] - 1)
        other_meetings = [_meeting(m, f"other_meetings[{index}]") for index, m in enumerate(others)]
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
        for name, items in (
            ("participants", participants),
            ("agreements", agreements),
            ("commitments", commitments),
            ("follow_ups", follow_ups),
        ):
            for index, item in enumerate(items):
                held_at = item.get("meeting", 0)
                if held_at is not None and not (isinstance(held_at, int) and 0 <= held_at <= len(other_meetings)):
                    said = "the meeting is 0 (the main one) or k for the k-th of other_meetings"
                    raise InvalidValue(said, f"{name}[{index}].meeting")
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
            other_meetings=other_meetings,
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
                translation.name(names_of(party, language), f"parties[{index}].name")
        meetings = [("meeting", m), *((f"other_meetings[{i}]", o) for i, o in enumerate(self.other_meetings))]
        for place, meeting in meetings:
            translation.name(written(meeting["title"], language), f"{place}.title")
            translation.venue(
                Venue(meeting.get("venue") or None, meeting["time_zone"], meeting.get("city"), meeting.get("country"))
            )
            with _at(f"{place}.series"):
                Meeting.check_series(meeting.get("series"), meeting.get("session_number"))
        for index, follow_up in enumerate(self.follow_ups):
            with _at(f"follow_ups[{index}].series"):
                FollowUp.of(
                    follow_up.get("series"), self.meeting_of(follow_up).get("series"), follow_up.get("session_number")
                )
        translation.document(SourceDocument(self.text, language, title=self.document_title), "document")
        for index, participant in enumerate(self.participants):
            optional_text(participant.get("person"), f"participants[{index}].person", SHORT_TEXT_MAX)
        for index, agreement in enumerate(self.agreements):
            translation.name(written(agreement["title"], language), f"agreements[{index}].title")
        for name, items in (("commitments", self.commitments), ("follow_ups", self.follow_ups)):
            for index, c in enumerate(items):
                translation.text(written(c["text"], language), f"{name}[{index}].text")
                if c.get("quote"):
                    translation.text(TextInput({language: c["quote"]}), f"{name}[{index}].quote")
                translation.optional_due(due_of(c.get("due")), self.meeting_of(c)["time_zone"], f"{name}[{index}].due")

    def meeting_of(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The meeting an item of the confirmation says it was promised at (0, the main one, by default)."""
        held_at = item.get("meeting") or 0
        return self.meeting if held_at == 0 else self.other_meetings[held_at - 1]
