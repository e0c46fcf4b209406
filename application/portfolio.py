"""The portfolio as things stood in the world at an instant (the effective axis).

Facts recorded late (a delivery made on 10 June, recorded on 1 July) change what had happened
by a date without a version of the record ever having shown it, so this view is not read from
the versioned read model: each commitment whose fixed attributes match is replayed with the facts
that had happened by then, and the filters on state are applied to the result. Its cost grows
with the commitments matching the fixed filters.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from application.errors import NotFound
from application.queries import Catalogue, CommitmentFilter, Results, decode_cursor, encode_cursor
from application.tracker import Tracker
from application.views import CommitmentView


def _wanted(view: CommitmentView, query: CommitmentFilter) -> bool:
    due_at = datetime.fromisoformat(view.due_at.replace("Z", "+00:00"))
    return ((not query.statuses or view.status in query.statuses)
            and (query.due_before is None or due_at < query.due_before)
            and (query.due_after is None or due_at >= query.due_after)
            and (query.overdue is None or view.overdue == query.overdue)
            and (query.due_soon is None or view.due_soon == query.due_soon))


def as_happened(tracker: Tracker, catalogue: Catalogue, query: CommitmentFilter, at: datetime) -> Results:
    views: list[CommitmentView] = []
    for commitment_id in catalogue.commitment_ids(query):
        try:
            view = tracker.get_commitment(commitment_id, as_of=at, axis="effective")
        except NotFound:
            continue  # it had not been recorded yet
        if _wanted(view, query):
            views.append(view)
    if query.sort != "recorded":
        views.sort(key=lambda v: v.due_at, reverse=query.sort == "-due")
    after = decode_cursor(query.cursor, 2)
    offset = int(after[1]) if after is not None and after[0] == "effective" else 0
    page = views[offset:offset + query.limit]
    following = offset + len(page)
    items: list[dict[str, Any]] = [asdict(view) for view in page]
    return Results(items=items, next_cursor=encode_cursor("effective", following) if following < len(views) else None,
                   total=len(views))
