"""A report's reading turned into what a draft shows: each proposal with the words it was read from, and
the best reading of each as a confirmation to edit (``proposed``)."""

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.parties.party import ALIAS_MAX, MOST_ALIASES
from domain.reading.proposals import Proposal, Reading

ADOPTED = 0.7  # the confidence of an agreement the report says was agreed


def shown(reading_text: str, proposal: Any) -> dict[str, Any]:
    """A proposal as the draft shows it: its value, where it was read, the words, how sure the reading is."""
    return {
        "value": proposal.value,
        "span": {"start": proposal.start, "end": proposal.end},
        "quote": reading_text[proposal.start : proposal.end],
        "confidence": proposal.confidence,
    }


MEETING_FIELDS = ("kind", "series", "session_number", "starts_on", "ends_on", "venue", "city", "country", "time_zone")


def _new_party(value: dict[str, Any]) -> dict[str, Any]:
    """A new party as the confirmation registers it: by its acronym (or, with none, its name: a ministry named
    only in Arabic is registered by its name); one the gazetteer knows with its names in every language it
    has, its aliases and its kind."""
    party = {"ref": value["ref"], "acronym": value.get("acronym"), "name": value["name"], "kind": "other"}
    if value.get("key"):
        aliases = [a for a in value.get("aliases") or [] if len(a) <= ALIAS_MAX and "\n" not in a][:MOST_ALIASES]
        party.update(key=value["key"], names=value.get("names") or {}, aliases=aliases, kind=value["kind"])
    return party


def proposed(reading: Reading, text: str, published_on: date) -> dict[str, Any]:
    """The proposals as a confirmation, ready to edit: the best reading of each, new parties with their
    acronym (or, with none, their name), the main meeting and the others the report tells of, each promise
    with the meeting whose part of the report says it (0: the main one, k: ``other_meetings[k - 1]``)."""
    meetings = [m.value for m in reading.of("meeting")]
    language = reading.language
    new_parties = [_new_party(p.value) for p in reading.of("party") if not p.value["known"]]
    usable = {p.value["ref"] for p in reading.of("party") if p.value["known"]} | {p["ref"] for p in new_parties}
    headline = {language: text.strip().split("\n")[0][:300]}

    def meeting_of(value: dict[str, Any]) -> dict[str, Any]:
        return {key: value.get(key) for key in MEETING_FIELDS} | {"title": value.get("title") or headline}

    def refs(values: Sequence[str | None]) -> list[str]:
        return [v for v in values if v is not None and v in usable]

    participants = [
        {
            "party": p.value["party"],
            "role": p.value["role"],
            "person": p.value["person"],
            "meeting": p.value.get("meeting", 0),
        }
        for p in reading.of("participant")
        if p.value.get("party") in usable
    ]
    parts = reading.parts or [(0, len(text))]

    def adopting(meeting: int) -> list[str]:
        """Who adopts a meeting's agreements: its chairs, else the first two parties its part names (the
        report's first two, if it names none first)."""
        start, end = parts[meeting] if meeting < len(parts) else parts[0]
        return (
            refs([p["party"] for p in participants if p["role"] in ("co_chair", "chair") and p["meeting"] == meeting])
            or refs([p.value["ref"] for p in reading.of("party") if start <= p.start < end])[:2]
            or refs([p.value["ref"] for p in reading.of("party")])[:2]
        )

    adopted = [a for a in reading.of("agreement") if a.confidence >= ADOPTED]  # said to be agreed, not only named
    agreements = [
        {
            "kind": a.value["kind"],
            "title": a.value["title"],
            "validity": a.value.get("validity"),
            "adopted_by": adopting(a.value.get("meeting", 0)),
            "meeting": a.value.get("meeting", 0),
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
            "agreement": first_within(adopted, c.start, c.end),
            "meeting": c.value.get("meeting", 0),
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
            "meeting": f.value.get("meeting", 0),
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
        "meeting": meeting_of(meetings[0]),
        "other_meetings": [meeting_of(m) for m in meetings[1:]],
        "participants": participants,
        "agreements": agreements,
        "commitments": commitments,
        "follow_ups": follow_ups,
    }


def first_within(adopted: list[Proposal], start: int, end: int) -> int | None:
    """The place in ``adopted`` (sorted by start) of the first agreement from ``start`` to before ``end``."""
    first = bisect_left(adopted, start, key=lambda agreement: agreement.start)
    return first if first < len(adopted) and adopted[first].start < end else None
