"""The overview: overdue, due soon, open and assessed commitments for the key's scope, per party and
per meeting series, with their progress, completion rate and days to fulfil (``application.listing.figures``);
the overdue ones, the latest first; and what changed recently."""

from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.dependencies import ServicesDep
from api.web.page import page
from api.web.visitors import SignedInDep
from application.listing.queries import CommitmentFilter, Tally

router = APIRouter()


@dataclass
class Counts:
    total: int = 0
    overdue: int = 0
    due_soon: int = 0
    open: int = 0
    assessed: int = 0
    key: str | None = field(default=None)

    def add(self, tally: Tally) -> None:
        self.total += tally.total
        self.overdue += tally.overdue
        self.due_soon += tally.due_soon
        self.open += tally.open
        self.assessed += tally.assessed


def grouped(tallies: list[Tally]) -> tuple[Counts, list[Counts], list[Counts]]:
    """The whole, per lead party and per series (the most overdue first)."""
    whole = Counts()
    by_party: defaultdict[str, Counts] = defaultdict(Counts)
    by_series: defaultdict[str, Counts] = defaultdict(Counts)
    for tally in tallies:
        whole.add(tally)
        by_party[tally.lead_party_id].add(tally)
        by_series[tally.series or ""].add(tally)
    for key, counts in (*by_party.items(), *by_series.items()):
        counts.key = key

    def order(counts: Counts) -> tuple[int, int, int]:
        return -counts.overdue, -counts.due_soon, -counts.total

    return whole, sorted(by_party.values(), key=order), sorted(by_series.values(), key=order)


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    tracker = services.tracker
    scope = visitor.principal.party_scope
    whole, by_party, by_series = grouped(services.figures.tally(scope))
    statistics = services.figures.statistics()
    overdue = services.lists.commitments(
        visitor.principal, CommitmentFilter(overdue=True, sort="due", limit=20, any_party=scope)
    )
    due_soon = services.lists.commitments(
        visitor.principal, CommitmentFilter(due_soon=True, overdue=False, sort="due", limit=10, any_party=scope)
    )
    return page(
        request,
        visitor,
        "overview.html",
        whole=whole,
        by_party=by_party,
        by_series=by_series,
        overdue=overdue,
        due_soon=due_soon,
        recent=tracker.histories.recent_changes(),
        party_figures={row["party_id"]: row for row in statistics["parties"]},
        series_figures={row["series"] or "": row for row in statistics["series"]},
    )
