"""Exports: every commitment a list's filters match, page after page, and each as a flat row that a
spreadsheet shows (the columns are ``COLUMNS``, in that order)."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from application.errors import NotFound
from application.listing import lists
from application.listing.histories import Histories
from application.listing.queries import MAX_LIMIT, CommitmentFilter, PartyFilter, Results
from application.ports import Catalogue
from domain.commitments.due import last_day_before

TEXT_LANGUAGES = ("ar", "en", "fr")  # the languages a record's text is given in side by side (exports, forms)
COLUMNS = (
    "id",
    "kind",
    "status",
    "text",
    "authentic_language",
    *(f"text_{code}" for code in TEXT_LANGUAGES),
    "lead_party",
    "supporting_parties",
    "meeting",
    "meeting_id",
    "agreement_id",
    "row_number",
    "due_precision",
    "due_as_given",
    "due_at",
    "overdue",
    "due_soon",
    "review_on",
    "progress_percent",
    "latest_evidence",
    "latest_evidence_url",
    "made_on",
    "recorded_at",
    "changed_at",
    "themes",
    "weight",
    "escalation_level",
    "recorded_by",
    "changed_by",
)


def authentic_text(text: dict[str, Any]) -> str:
    """A multilingual text (as views give it) in its authentic language."""
    authentic: str = text["texts"][text.get("authentic") or next(iter(text["texts"]))]
    return authentic


def due_day(commitment: dict[str, Any]) -> date | None:
    """The last day a commitment's due allows, in the due's own time zone (``None``: open-ended)."""
    if not commitment["due_at"]:
        return None
    moment = datetime.fromisoformat(commitment["due_at"].replace("Z", "+00:00"))
    return last_day_before(moment, commitment["due"].get("time_zone") or "UTC")


def every(read: Callable[[str | None], Results]) -> Iterator[dict[str, Any]]:
    """Every item of a paged list: ``read(cursor)`` answers one page."""
    cursor = None
    while True:
        page = read(cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def matching(histories: Histories, catalogue: Catalogue, query: CommitmentFilter) -> Iterator[dict[str, Any]]:
    """Every commitment the query's filters match, in the query's order (its cursor and limit are the export's own)."""
    return every(lambda cursor: lists.commitments(histories, catalogue, replace(query, cursor=cursor, limit=MAX_LIMIT)))


def all_parties(histories: Histories, catalogue: Catalogue) -> Iterator[dict[str, Any]]:
    """Every registered party, as the list shows it."""
    return every(lambda cursor: lists.parties(histories, catalogue, PartyFilter(cursor=cursor, limit=MAX_LIMIT)))


class Names:
    """The labels of parties (their acronyms, or names) and the titles of meetings an export names,
    each read once, and who recorded and changed each commitment as its reader knows them (``actor``: a
    person by their name as it is now, an erased one said so; a key by its name; by default, no one: a
    calendar's feed names nobody)."""

    def __init__(
        self,
        party: Callable[[str], Any],
        meeting: Callable[[str], Any],
        actor: Callable[[str | None], str] = lambda _: "",
    ) -> None:
        self._party, self._meeting = party, meeting
        self.actor = actor
        self.labels: dict[str, str] = {}
        self.titles: dict[str, str] = {}

    def label(self, party_id: str) -> str:
        if party_id not in self.labels:
            try:
                self.labels[party_id] = self._party(party_id).label
            except NotFound:
                self.labels[party_id] = party_id
        return self.labels[party_id]

    def title(self, meeting_id: str) -> str:
        if meeting_id not in self.titles:
            self.titles[meeting_id] = authentic_text(self._meeting(meeting_id).title)
        return self.titles[meeting_id]


def due_as_given(due: dict[str, Any] | None) -> str:
    if due is None:
        return ""
    if due["precision"] == "relative":
        return f"{due['amount']} {due['unit']} after the meeting"
    return str(due["value"])


def row(commitment: dict[str, Any], names: Names) -> dict[str, Any]:
    """A commitment as one row of ``COLUMNS``: texts side by side, parties by acronym, the latest evidence."""
    text = commitment["text"]
    authentic = text.get("authentic") or next(iter(text["texts"]))
    provenance, due, progress = commitment["provenance"], commitment["due"], commitment["progress"]
    latest = commitment["evidence"][-1] if commitment["evidence"] else {}
    return {
        "id": commitment["id"],
        "kind": commitment["kind"],
        "status": commitment["status"],
        "text": authentic_text(text),
        "authentic_language": authentic,
        **{f"text_{code}": text["texts"].get(code, "") for code in TEXT_LANGUAGES},
        "lead_party": names.label(commitment["lead_party_id"]),
        "supporting_parties": "; ".join(names.label(p) for p in commitment["supporting_party_ids"]),
        "meeting": names.title(provenance["meeting_id"]),
        "meeting_id": provenance["meeting_id"],
        "agreement_id": provenance.get("agreement_id") or "",
        "row_number": provenance.get("row_number") or "",
        "due_precision": due["precision"] if due else "",
        "due_as_given": due_as_given(due),
        "due_at": commitment["due_at"] or "",
        "overdue": commitment["overdue"],
        "due_soon": commitment["due_soon"],
        "review_on": commitment["review_on"] or "",
        "progress_percent": progress["percent"] if progress else "",
        "latest_evidence": latest.get("title", ""),
        "latest_evidence_url": latest.get("url") or "",
        "made_on": commitment["made_on"] or "",
        "recorded_at": commitment["created_at"],
        "changed_at": commitment["modified_at"],
        "themes": "; ".join(commitment["themes"]),
        "weight": commitment["weight"] or "",
        "escalation_level": (commitment["escalation"] or {}).get("level", ""),
        "recorded_by": names.actor(commitment.get("recorded_by")),
        "changed_by": names.actor(commitment.get("changed_by")),
    }
