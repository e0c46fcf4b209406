"""The overview: where things stand for the key's scope. The work queue first (escalated, overdue, due
soon: ``application.listing.standing``); charts drawn on the server (``api.web.charts``): the commitments by
status, the overdue by lead party, progress per series and per agreement, what was overdue at each of the
last 24 months' ends, each linking to the list it summarises; then the figures per party and per meeting
series (``application.listing.figures``) and what changed recently."""

from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.web import i18n
from api.web.charts import Bar, Labels, Progress, bar_chart, columns_chart, progress_chart, status_tone
from api.web.labels import labeller
from api.web.page import PartyNames, page
from api.web.visitors import SignedInDep, SignedInVisitor
from application.listing.queries import MeetingFilter, Tally
from application.listing.standing import Standing

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
    standing = services.overview.standing(visitor.principal, tracker.records.now().date())
    names = PartyNames(tracker, visitor.language)  # each party read once, for the charts and the tables
    return page(
        request,
        visitor,
        "overview.html",
        whole=whole,
        by_party=by_party,
        by_series=by_series,
        queue=standing.queue,
        charts=charts_of(standing, request, visitor, services, names),
        parties=names,
        recent=tracker.histories.recent_changes(),
        party_figures={row["party_id"]: row for row in statistics["parties"]},
        series_figures={row["series"] or "": row for row in statistics["series"]},
    )


def charts_of(
    standing: Standing, request: Request, visitor: SignedInVisitor, services: Services, names: PartyNames
) -> list[Markup]:
    """The overview's charts, in the reader's language and direction, each linking to its list."""
    language = visitor.language
    _ = i18n.translations(language).gettext
    label = labeller(_)
    base = request.scope.get("root_path", "")
    rtl = i18n.direction(language) == "rtl"
    number = visitor.formats.number
    series_names = SeriesNames(services, visitor, language)

    def party_name(party_id: str | None) -> str:
        found = names.party(party_id)
        return str(found["label"]) if found else _("unknown party")

    def title_of(text: dict[str, str] | None) -> tuple[str, str | None]:
        """A record's title in the reader's language if it has one, and its language where it is another."""
        shown = i18n.shown(text, language)
        if shown is None:
            return "—", None
        return shown.text, None if shown.lang == language else shown.lang

    commitments = _("Commitments")
    return [
        bar_chart(
            "by-status",
            _("Commitments by status"),
            _("How many commitments are in each status."),
            [
                Bar(label("status", s), n, f"{base}/commitments?status={s}", status_tone(s))
                for s, n in standing.by_status
            ],
            Labels(_("The figures"), _("Status"), commitments),
            rtl=rtl,
            number=number,
        ),
        bar_chart(
            "overdue-by-party",
            _("Overdue, by lead party"),
            _("How many overdue commitments each lead party has."),
            [
                Bar(party_name(b.key), b.value or 0, f"{base}/commitments?lead_party={b.key}&overdue=true", "overdue")
                for b in standing.overdue_by_party
            ],
            Labels(_("The figures"), _("Lead"), _("overdue")),
            rtl=rtl,
            number=number,
        ),
        progress_chart(
            "progress-by-series",
            _("Progress per meeting series"),
            _("The weighted progress of each series' commitments, in percent."),
            [
                Progress(name[0], b.value, f"{base}/reports/series/{b.key}" if b.key else None, "open", lang=name[1])
                for b in standing.progress_by_series
                for name in [series_names(b.key)]
            ],
            Labels(_("The figures"), _("Series"), _("Progress")),
            rtl=rtl,
            number=number,
        ),
        progress_chart(
            "progress-by-agreement",
            _("Progress per agreement"),
            _("The weighted progress of the latest agreements' commitments, in percent."),
            [
                Progress(title[0], b.value, f"{base}/agreements/{b.key}", "open", lang=title[1])
                for b in standing.progress_by_agreement
                for title in [title_of(b.title)]
            ],
            Labels(_("The figures"), _("Agreement"), _("Progress")),
            rtl=rtl,
            number=number,
        ),
        columns_chart(
            "overdue-by-month",
            _("Overdue at each month's end"),
            _("How many commitments were overdue at the end of each of the last 24 months, as recorded then."),
            [
                Bar(
                    visitor.formats.month(day),
                    n,
                    f"{base}/commitments?overdue=true&as_of={day.isoformat()}&axis=recorded",
                    "overdue",
                )
                for day, n in standing.overdue_by_month
            ],
            Labels(_("The figures"), _("Month"), _("overdue")),
            rtl=rtl,
            number=number,
        ),
    ]


class SeriesNames:
    """A meeting series as a reader knows it: the title of its first meeting recorded (its slug where it has
    none)."""

    def __init__(self, services: Services, visitor: SignedInVisitor, language: str) -> None:
        self.services = services
        self.visitor = visitor
        self.language = language

    def __call__(self, slug: str | None) -> tuple[str, str | None]:
        """The name, and its language where it is not the reader's."""
        if not slug:
            return i18n.translations(self.language).gettext("no series"), None
        meetings = self.services.lists.meetings(self.visitor.principal, MeetingFilter.of(series=slug, limit=1)).items
        shown = i18n.shown(meetings[0]["title"], self.language) if meetings else None
        if shown is None:
            return slug, "en"  # a slug is written in Latin letters
        return shown.text, None if shown.lang == self.language else shown.lang
