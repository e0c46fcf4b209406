"""A report's reading turned into what a draft shows: each proposal with the words it was read from, and
the best reading of each as a confirmation to edit (``proposed``)."""

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from typing import Any

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
            "agreement": first_within(adopted, c.start, c.end),
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


def first_within(adopted: list[Proposal], start: int, end: int) -> int | None:
    """The place in ``adopted`` (sorted by start) of the first agreement from ``start`` to before ``end``."""
    first = bisect_left(adopted, start, key=lambda agreement: agreement.start)
    return first if first < len(adopted) and adopted[first].start < end else None
