"""A published record as documents for machines: JSON (what the page shows, field by field), CSV (one
commitment per row; no cell is ever a formula), schema.org JSON-LD (each meeting an ``Event``) and an Atom
feed of its changes of status. Each is made from the same ``PublicRecord`` as the page, so none can say more
than the page does."""

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from xml.etree import ElementTree

from api.exports import csv_lines
from application.listing.exports import TEXT_LANGUAGES, authentic_text, due_as_given
from application.publishing.public import PublicRecord

ATOM = "http://www.w3.org/2005/Atom"
MOST_ENTRIES = 100  # changes of status in a feed, the latest
EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "held": "https://schema.org/EventScheduled",  # schema.org has no "held": it took place as scheduled
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}
CSV_COLUMNS = (
    "id",
    "text",
    "authentic_language",
    *(f"text_{code}" for code in TEXT_LANGUAGES),
    "lead_party",
    "supporting_parties",
    "meeting",
    "row",
    "status",
    "progress_percent",
    "due_as_given",
    "due_at",
    "overdue",
    "made_on",
    "fulfilled_on",
    "public_evidence",
)


def as_json(record: PublicRecord, address: str) -> bytes:
    return json.dumps({"address": address, **asdict(record)}, ensure_ascii=False, indent=1).encode("utf-8")


def as_csv(record: PublicRecord) -> bytes:
    meetings = {m["id"]: m for m in record.meetings}
    return b"".join(csv_lines(CSV_COLUMNS, (_row(c, record, meetings) for c in record.commitments)))


def _row(c: dict[str, Any], record: PublicRecord, meetings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    text = c["text"]
    meeting = meetings.get(c["meeting_id"] or "")
    return {
        "id": c["id"],
        "text": authentic_text(text),
        "authentic_language": text.get("authentic") or next(iter(text["texts"])),
        **{f"text_{code}": text["texts"].get(code, "") for code in TEXT_LANGUAGES},
        "lead_party": _label(record, c["lead_party_id"]),
        "supporting_parties": "; ".join(_label(record, p) for p in c["supporting_party_ids"]),
        "meeting": authentic_text(meeting["title"]) if meeting else "",
        "row": c["row"] or c["row_number"] or "",
        "status": c["status"],
        "progress_percent": "" if c["progress"] is None else c["progress"],
        "due_as_given": due_as_given(c["due"]),
        "due_at": c["due_at"] or "",
        "overdue": c["overdue"],
        "made_on": c["made_on"] or "",
        "fulfilled_on": c["fulfilled_on"] or "",
        "public_evidence": "; ".join(" ".join(filter(None, (e["title"], e["url"]))) for e in c["evidence"]),
    }


def _label(record: PublicRecord, party_id: str) -> str:
    party = record.parties.get(party_id)
    return party["label"] if party else ""


# -- schema.org


def events(record: PublicRecord, address: str) -> dict[str, Any]:
    """The record's meetings as schema.org ``Event`` items, in one JSON-LD graph."""
    return {"@context": "https://schema.org", "@graph": [_event(m, record, address) for m in record.meetings]}


def _event(m: dict[str, Any], record: PublicRecord, address: str) -> dict[str, Any]:
    venue = m["venue"]
    dates = m["held"] or m["scheduled"]
    hosts = [p["party_id"] for p in m["participants"] if p["role"] in ("host", "chair", "co_chair")]
    return {
        "@type": "Event",
        "@id": f"{address}#meeting-{m['id']}",
        "name": _language_values(m["title"]),
        "startDate": dates.get("starts_on"),
        "endDate": dates.get("ends_on"),
        "eventStatus": EVENT_STATUS.get(m["status"], EVENT_STATUS["scheduled"]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": venue.get("name") or venue.get("city"),
            "address": {
                "@type": "PostalAddress",
                **({"addressLocality": venue["city"]} if venue.get("city") else {}),
                **({"addressCountry": venue["country"]} if venue.get("country") else {}),
            },
        },
        "organizer": [_organisation(record, p) for p in hosts],
        "attendee": [_organisation(record, p["party_id"]) for p in m["participants"]],
        **({"superEvent": {"@type": "EventSeries", "name": m["series"]}} if m.get("series") else {}),
    }


def _organisation(record: PublicRecord, party_id: str) -> dict[str, Any]:
    party = record.parties.get(party_id) or {"names": None, "acronym": None}
    found: dict[str, Any] = {"@type": "Organization"}
    if party["names"]:
        found["name"] = _language_values(party["names"])
    if party["acronym"]:
        found["alternateName"] = party["acronym"]
    return found


def _language_values(text: dict[str, Any]) -> list[dict[str, str]]:
    return [{"@value": value, "@language": language} for language, value in text["texts"].items()]


def script_json(value: Any) -> str:
    """JSON that can stand inside a ``<script>`` element: no ``<``, ``>`` or ``&`` as such."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- Atom


def atom_feed(
    record: PublicRecord,
    address: str,
    title: str,
    change_title: Callable[[dict[str, Any], dict[str, Any] | None], str],
    language: str,
) -> bytes:
    """The record's changes of status, the latest first (RFC 4287). ``change_title`` words one change for
    the reader (the commitment, its status before and after)."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _add(feed, "id", _urn(f"{record.subject}:{record.key}"))
    _add(feed, "title", title)
    changes = record.changes[:MOST_ENTRIES]
    _add(feed, "updated", changes[0]["at"] if changes else record.published_since)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": address})
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"{address}/feed.atom"})
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", title)
    commitments = {c["id"]: c for c in record.commitments}
    for change in changes:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", _urn(f"{change['commitment_id']}:{change['version']}"))
        _add(entry, "title", change_title(change, commitments.get(change["commitment_id"])))
        _add(entry, "updated", change["at"])
        link = f"{address}#c-{change['commitment_id']}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": link})
    written: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written


def _add(parent: ElementTree.Element, name: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{name}").text = _xml_text(text)


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the characters it forbids (controls but tab and line breaks) are dropped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def _urn(key: str) -> str:
    return f"urn:uuid:{uuid5(NAMESPACE_URL, 'commitment-tracker/public/' + key)}"
