"""A report's reading turned into what a draft shows: each proposal with the words it was read from, and
the best reading of each as a confirmation to edit (``proposed``)."""

import re
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

    def part_of(proposal: Proposal) -> int:
        return next((k for k, (start, end) in enumerate(parts) if start <= proposal.start < end), 0)

    named = [(part_of(p), p.value["ref"]) for p in reading.of("party") if p.value["ref"] in usable]
    for held_at, ref in dict.fromkeys(named):  # each party a meeting's part names takes part in it
        if not any(p["party"] == ref and p["meeting"] == held_at for p in participants):
            participants.append({"party": ref, "role": "participant", "person": None, "meeting": held_at})

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

    def sides(value: dict[str, Any]) -> tuple[str | None, list[str]]:
        """Who leads a promise and who supports it: as its sentence names them, else its meeting's sides (the
        sentence says "both sides agreed")."""
        lead = value["lead"] if value["lead"] in usable else None
        partners = refs(value.get("partners") or [])
        if lead is None:
            meeting_sides = adopting(value.get("meeting", 0))
            lead = meeting_sides[0] if meeting_sides else None
            partners = [*partners, *(r for r in meeting_sides[1:] if r not in partners)]
        return lead, [r for r in partners if r != lead]

    commitments = [
        {
            "text": c.value["text"],
            "quote": c.quote(text),
            "lead": lead,
            "partners": partners,
            "due": c.value["due"],
            "agreement": first_within(adopted, c.start, c.end),
            "meeting": c.value.get("meeting", 0),
        }
        for c in reading.of("commitment")
        for lead, partners in [sides(c.value)]
    ]
    follow_ups = [
        {
            "text": f.value["text"],
            "quote": f.quote(text),
            "lead": sides(f.value | {"partners": []})[0],
            "partners": [],
            "due": f.value["due"],
            "series": f.value["series"],
            "session_number": f.value["session_number"],
            "meeting": f.value.get("meeting", 0),
        }
        for f in reading.of("follow_up")
    ]
    shown_meetings = [meeting_of(m) for m in meetings]
    for k, meeting in enumerate(shown_meetings):  # a session number, or a session to hold, needs a series
        awaited = [f for f in follow_ups if f["meeting"] == k and not f["series"]]
        if not meeting["series"] and (meeting["session_number"] or awaited):
            labels = [label for label in (_latin(p) for p in reading.of("party") if part_of(p) == k) if label]
            meeting["series"] = _slug([*dict.fromkeys(labels)][:2] + [meeting["kind"] or "meeting"]) or None
        for f in awaited:
            f["series"] = meeting["series"]
    return {
        "text": text,
        "published_on": published_on.isoformat(),
        "language": language,
        "status": "draft",
        "document_title": text.strip().split("\n")[0][:300],
        "parties": new_parties,
        "meeting": shown_meetings[0],
        "other_meetings": shown_meetings[1:],
        "participants": participants,
        "agreements": agreements,
        "commitments": commitments,
        "follow_ups": follow_ups,
    }


def _latin(party: Proposal) -> str | None:
    """What a series is named by for a party: its acronym, or the gazetteer's key (a state's ISO code)."""
    return party.value.get("acronym") or party.value.get("key")


def _slug(words: Sequence[str]) -> str:
    """Words as a series' slug: lower-case Latin letters and digits joined by hyphens."""
    cut = (re.sub(r"[^a-z0-9]+", "-", word.casefold()).strip("-") for word in words)
    return "-".join(word for word in cut if word)[:100].strip("-")


def first_within(adopted: list[Proposal], start: int, end: int) -> int | None:
    """The place in ``adopted`` (sorted by start) of the first agreement from ``start`` to before ``end``."""
    first = bisect_left(adopted, start, key=lambda agreement: agreement.start)
    return first if first < len(adopted) and adopted[first].start < end else None
