"""Status reports: each matrix row or commitment of an agreement, of a meeting series or of a party (what it
leads or supports), its lead party, due, status, progress and latest evidence, in the reader's language, as
of a date, with a chart of the commitments by status: what a secretariat hands the working groups of the
next session.

Each report is a page and a PDF of it, at the same address with ``.pdf`` after it (the query kept:
``/reports/agreements/{id}.pdf?as_of=2024-01-01``), behind the same sign-in. The PDF is the page drawn for
print on the server (``infrastructure.pdf``, through ``Services.pdf``): its title, what it covers, the date it
is as of (or stands on) and "page N of M" on every page, the day it was made. Where the engine cannot be
loaded, the PDF is answered 503, a problem document (or, to a browser, a page) saying what to install."""

import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from markupsafe import Markup

from api import problems
from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.negotiation import by_preference
from api.web import i18n
from api.web.charts import Bar, Labels, bar_chart, status_tone
from api.web.forms import value
from api.web.labels import N_, labeller
from api.web.page import context, error_page, page
from api.web.pages.agreements import by_row
from api.web.pages.publishing import publication_of
from api.web.refusals import sayer
from api.web.rendering import environment
from api.web.visitors import SignedInDep, SignedInVisitor
from application.errors import ApplicationError, TooLarge
from application.listing.queries import CommitmentFilter, MeetingFilter, check_axis, instant
from domain.commitments.lifecycle import Status

router = APIRouter(prefix="/reports")

PRINT_CSS = Path(__file__).parent.parent / "static" / "report-print.css"
PDF_UNAVAILABLE = N_("PDF documents cannot be made here")
MOST = 200  # commitments a report lists (per meeting, for a series)


# -- the routes: each PDF before its page, whose path would take ".pdf" as part of the identifier


@router.get("/agreements/{agreement_id}.pdf", name="agreement_report_pdf")
def agreement_report_pdf(agreement_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    return _pdf(request, visitor, services, _agreement(agreement_id, request, visitor, services), str(agreement_id))


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse, name="agreement_report")
def agreement_report(agreement_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return page(request, visitor, "report.html", **_agreement(agreement_id, request, visitor, services))


@router.get("/series/{series}.pdf", name="series_report_pdf")
def series_report_pdf(series: str, request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    return _pdf(request, visitor, services, _series(series, request, visitor, services), series)


@router.get("/series/{series}", response_class=HTMLResponse, name="series_report")
def series_report(series: str, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return page(request, visitor, "report.html", **_series(series, request, visitor, services))


@router.get("/parties/{party_id}.pdf", name="party_report_pdf")
def party_report_pdf(party_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    return _pdf(request, visitor, services, _party(party_id, request, visitor, services), str(party_id))


@router.get("/parties/{party_id}", response_class=HTMLResponse, name="party_report")
def party_report(party_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return page(request, visitor, "report.html", **_party(party_id, request, visitor, services))


# -- what each report holds


def _agreement(agreement_id: UUID, request: Request, visitor: SignedInVisitor, services: Services) -> dict[str, Any]:
    tracker = services.tracker
    as_of, axis, at = _when(request)
    view = tracker.agreements.get(agreement_id)
    made = services.lists.commitments(
        visitor.principal, CommitmentFilter(agreement=agreement_id, as_of=at, axis=axis, limit=MOST)
    )
    return _values(
        request,
        visitor,
        services,
        made.items,
        made.total,
        kind="agreement",
        title=view.title,
        agreement=view,
        meeting=tracker.meetings.get(view.meeting_id),
        rows=by_row(made.items),
        as_of=as_of,
        axis=axis,
    )


def _series(series: str, request: Request, visitor: SignedInVisitor, services: Services) -> dict[str, Any]:
    as_of, axis, at = _when(request)
    meetings = services.lists.meetings(visitor.principal, MeetingFilter.of(series=series[:100], limit=200)).items
    sections = [
        (
            m,
            services.lists.commitments(
                visitor.principal, CommitmentFilter(meeting=UUID(m["id"]), as_of=at, axis=axis, limit=MOST)
            ).items,
        )
        for m in meetings
    ]
    latest = max(meetings, key=_held_when, default=None)
    made = [c for _, items in sections for c in items]
    return _values(
        request,
        visitor,
        services,
        made,
        len(made),
        kind="series",
        title=latest["title"] if latest else None,  # a series is named by its latest meeting's title
        series=series,
        publication=publication_of(services, "series", series) if meetings else None,
        sections=sections,
        as_of=as_of,
        axis=axis,
    )


def _party(party_id: UUID, request: Request, visitor: SignedInVisitor, services: Services) -> dict[str, Any]:
    tracker = services.tracker
    as_of, axis, at = _when(request)
    tracker.parties.get(party_id)  # an unknown party is not found (404), as on its page
    made = services.lists.commitments(
        visitor.principal, CommitmentFilter(party=party_id, as_of=at, axis=axis, limit=MOST)
    )
    by_meeting: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in made.items:
        by_meeting[str(c["provenance"].get("meeting_id"))].append(c)
    meetings = {key: tracker.meetings.get(key) for key in by_meeting}
    order = sorted(by_meeting, key=lambda key: meetings[key].scheduled.get("starts_on") or "")
    return _values(
        request,
        visitor,
        services,
        made.items,
        made.total,
        kind="party",
        title=None,
        party_id=str(party_id),
        sections=[(meetings[key], by_meeting[key]) for key in order],
        as_of=as_of,
        axis=axis,
    )


def _held_when(meeting: dict[str, Any]) -> tuple[str, int]:
    return meeting["scheduled"].get("starts_on") or "", meeting.get("session_number") or 0


def _when(request: Request) -> tuple[str | None, str, Any]:
    params = request.query_params
    as_of, axis = value(params, "as_of"), check_axis(value(params, "axis") or "effective")
    return as_of, axis, instant(as_of, "as_of")


def _values(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    made: list[dict[str, Any]],
    total: int,
    **values: Any,
) -> dict[str, Any]:
    """What every report's template is given besides its own values: the chart, the link to its PDF, the day
    it stands on and the instant it was made."""
    now = services.tracker.records.now()
    query = request.url.query
    return {
        "agreement": None,
        "meeting": None,
        "rows": None,
        "sections": None,
        "series": None,
        "party_id": None,
        "publication": None,
        "printing": False,
        "print_css": "",
        "unlabelled": False,  # a printed chart whose bars go without their words (``_chart``)
        **values,
        "total": total,
        "made": made,
        "by_status": _by_status(i18n.translations(visitor.language).gettext, made),
        "chart": _chart(visitor, i18n.translations(visitor.language).gettext, made, printing=False) if made else None,
        "pdf_href": request.url.path.removesuffix(".pdf") + ".pdf" + (f"?{query}" if query else ""),
        "today": now.date(),
        "generated": now,
    }


def _by_status(gettext: Callable[[str], str], made: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Each status some of the commitments are in, in the reader's words, and how many: the lifecycle's order."""
    label = labeller(gettext)
    counts: defaultdict[str, int] = defaultdict(int)
    for c in made:
        counts[c["status"]] += 1
    return [(label("status", s.value), counts[s.value]) for s in Status if counts[s.value]]


def _chart(
    visitor: SignedInVisitor, gettext: Callable[[str], str], made: list[dict[str, Any]], printing: bool
) -> Markup:
    """The commitments of the report by status, in the reader's words, in the lifecycle's order.

    Printed right to left, the bars go without their words: the engine sets an SVG's text letter by letter,
    unjoined and left to right, so Arabic there would be unreadable; a table under the chart (``by_status``,
    set as the page's text is) names each bar, in the same order."""
    _ = gettext
    rtl = i18n.direction(visitor.language) == "rtl"
    bars = [
        Bar("" if printing and rtl else name, count, None, status_tone(status))
        for (name, count), status in zip(_by_status(_, made), _statuses(made), strict=True)
    ]
    return bar_chart(
        "by-status",
        _("Commitments by status"),
        _("How many of the report's commitments are in each status."),
        bars,
        Labels(_("The figures"), _("Status"), _("Commitments")),
        rtl=rtl,
        number=visitor.formats.number,
    )


def _statuses(made: list[dict[str, Any]]) -> list[str]:
    present = {c["status"] for c in made}
    return [s.value for s in Status if s.value in present]


# -- the PDF


def _pdf(request: Request, visitor: SignedInVisitor, services: Services, values: dict[str, Any], name: str) -> Response:
    most, count = services.pdf.most_commitments, len(values["made"])
    if count > most:
        raise TooLarge(
            "a status report's PDF lists at most {most} commitments, and this one has {count}: ask for the PDF "
            "of one agreement, of one party, or of the report as of an earlier date",
            "report",
            most=most,
            count=count,
        )
    gettext = _unmarked_gettext(visitor.language)
    printed = _chart(visitor, gettext, values["made"], printing=True) if values["made"] else None
    values = {
        **values,
        "printing": True,
        "print_css": _print_css(visitor),
        "chart": printed,
        "unlabelled": printed is not None and i18n.direction(visitor.language) == "rtl",
        "by_status": _by_status(gettext, values["made"]),
        "label": labeller(gettext),
    }
    html = _printing(visitor.language).get_template("report.html").render(context(request, visitor, **values))
    try:
        document = services.pdf.render(html)
    except ApplicationError as missing:  # the renderer's one refusal: its engine cannot be loaded here
        return _unavailable(request, visitor, missing)
    day = values["as_of"] or values["today"].isoformat()
    filename = re.sub(r"[^A-Za-z0-9_-]+", "-", f"status-report-{name}-{day}")[:120] + ".pdf"
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Content-Language": visitor.language,
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _unavailable(request: Request, visitor: SignedInVisitor, missing: ApplicationError) -> Response:
    """503 and what to install: a problem document (RFC 9457) in the reader's language, or the error page to
    a browser that asks for HTML first."""
    if _wants_html(request.headers.get("accept")):
        return error_page(request, visitor, 503, PDF_UNAVAILABLE, missing)
    _ = i18n.translations(visitor.language).gettext
    return problems.problem(
        503,
        "pdf-unavailable",
        _(PDF_UNAVAILABLE),
        sayer(visitor.language)(missing),
        request.url.path,
        {"Content-Language": visitor.language, "Cache-Control": "no-store"},
        install=dict(missing.values),
    )


def _wants_html(accept: str | None) -> bool:
    for kind in by_preference(accept):
        if kind in ("text/html", "application/xhtml+xml"):
            return True
        if kind in ("application/problem+json", "application/json", "application/pdf", "*/*"):
            return False
    return False


# Arabic's short vowels, tanwin, shadda and sukun, the superscript alef: the interface's own words are printed
# without them. The engine maps each glyph to the text of the first cluster it drew it in, and gives a letter
# drawn with a mark no text of its own: that letter would be missing from every later word's text in the PDF
# (its copies, searches, screen readers). Records' texts are printed as they were written.
MARKS = re.compile("[\u064b-\u0652\u0670]")


@cache
def _unmarked_gettext(language: str) -> Callable[[str], str]:
    translations = i18n.translations(language)
    return lambda message: MARKS.sub("", translations.gettext(message))


@cache
def _printing(language: str) -> Environment:
    """The pages' templates in ``language`` as printed: the interface's words without Arabic's marks."""
    pages = environment(language)  # the pages' own, whose words keep their marks: a new one alike
    env = Environment(
        loader=pages.loader,
        autoescape=pages.autoescape,
        undefined=pages.undefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=pages.trim_blocks,
        lstrip_blocks=pages.lstrip_blocks,
    )
    env.globals.update({name: given for name, given in pages.globals.items() if name not in env.globals})
    translations = i18n.translations(language)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
        _unmarked_gettext(language),
        lambda singular, plural, n: MARKS.sub("", translations.ngettext(singular, plural, n)),
        newstyle=True,
    )
    return env


@cache
def _print_sheet() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def _print_css(visitor: SignedInVisitor) -> Markup:
    """The print style sheet, and the page's margins in the reader's words: the report's title at the top of
    every page, the day it is as of and "page N of M" at the foot (numbered in the reader's digits)."""
    _ = i18n.translations(visitor.language).gettext
    digits = "arabic-indic" if visitor.formats.digits == "arab" else "decimal"
    counters = {"%(page)s": f"counter(page, {digits})", "%(pages)s": f"counter(pages, {digits})"}
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", _("Page %(page)s of %(pages)s"))
    numbered = " ".join(counters.get(part) or _css_string(part) for part in parts if part)
    start, end = ("right", "left") if i18n.direction(visitor.language) == "rtl" else ("left", "right")
    margins = (
        "@page {\n"
        "  @top-center { content: string(report-title); }\n"
        f"  @bottom-{start} {{ content: string(report-when); }}\n"
        f"  @bottom-{end} {{ content: {numbered}; }}\n"
        "}\n"
    )
    return Markup(_print_sheet() + margins)  # our own sheet; the words are CSS strings (_css_string)


def _css_string(words: str) -> str:
    """Words as a CSS string that cannot end the string or the ``<style>`` element it stands in."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>&\n' else ch for ch in words)
    return f'"{escaped}"'
