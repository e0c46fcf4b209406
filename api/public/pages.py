"""The public pages and documents, under ``/public``, for anyone: no sign-in, no cookie needed.

- ``/public/``: every published record; ``/public/index.json`` the same for machines.
- ``/public/agreements/{id}``, ``/public/series/{slug}``, ``/public/parties/{id}``: a published record's
  page, as of any date (``?as_of=2024-06-30``, ``&axis=recorded``); the same address with ``.json``,
  ``.csv`` or ``.jsonld`` (its meetings as schema.org ``Event``), and ``/feed.atom`` after it (its changes
  of status).

The language is the one asked for (``?lang=ar``), else the one chosen on the pages (their cookie, if any),
else the browser's (``Accept-Language``); Arabic-Indic digits with ``?digits=arab``. An unpublished record is
not found at any of its addresses. Every answer is a copy kept while nothing it depends on has moved
(``api.public.copies``), with a validator (``ETag``) that browsers and caches must check before each use
(``no-cache``): after a withdrawal, nobody is served it."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.public import documents
from api.public.copies import Copy
from api.responses import download
from api.web import i18n
from api.web.charts import Bar, Labels, Progress, bar_chart, progress_chart, status_tone
from api.web.forms import value
from api.web.labels import labeller
from api.web.page import SECURITY_HEADERS
from api.web.rendering import PUBLIC_FOLDERS, render
from api.web.visitors import LANGUAGE_COOKIE, Visitor
from application.listing.queries import check_axis, instant
from application.publishing.public import PublicRecord, progress_of
from domain.commitments.lifecycle import Status
from domain.errors import InvalidValue

router = APIRouter()
SUBJECTS = {folder: subject for subject, folder in PUBLIC_FOLDERS.items()}
FORMATS = {  # what each ending of a record's address gives
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".jsonld": "application/ld+json",
}
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
MOST_BARS = 12


def public_visitor(request: Request) -> Visitor:
    """The reader's language (asked for in the address, chosen on the pages, else the browser's) and digits;
    never a session."""
    params = request.query_params
    chosen = value(params, "lang") or request.cookies.get(LANGUAGE_COOKIE)  # the pages' switch, if it was used
    language = i18n.negotiate(request.headers.get("accept-language"), chosen)
    return Visitor(language, False, None, "arab" if value(params, "digits") == "arab" else "latn")


# -- the routes


@router.api_route("/", methods=["GET", "HEAD"], name="public_index")
def index(request: Request, services: ServicesDep) -> Response:
    visitor = public_visitor(request)
    services.public.opened()

    def made() -> bytes:
        listed = services.public.index()
        return render(visitor.language, "public_index.html", public_context(request, visitor, listed=listed)).encode()

    return _served(request, services, ("index", visitor.language, visitor.digits), HTML, made, visitor.language)


@router.api_route("/index.json", methods=["GET", "HEAD"], name="public_index_json")
def index_json(request: Request, services: ServicesDep) -> Response:
    services.public.opened()
    base = _address(request, "")

    def made() -> bytes:
        listed = [
            {**vars(item), "address": f"{base}/{PUBLIC_FOLDERS[item.subject]}/{item.key}"}
            for item in services.public.index()
        ]
        return json.dumps(listed, ensure_ascii=False, indent=1).encode()

    return _served(request, services, ("index.json", base), "application/json", made, None)


@router.api_route("/{folder}/{key}/feed.atom", methods=["GET", "HEAD"], name="public_feed")
def feed(folder: str, key: str, request: Request, services: ServicesDep) -> Response:
    subject = _subject(folder)
    key = services.public.published(subject, key).key
    visitor = public_visitor(request)
    as_of, axis = _when(request)

    def made() -> bytes:
        record = services.public.record(subject, key, instant(as_of, "as_of"), axis)
        _ = i18n.translations(visitor.language).gettext
        shown = _title_words(record, visitor)
        return documents.atom_feed(
            record,
            _address(request, f"/{folder}/{record.key}"),
            _("Changes of status: %(record)s") % {"record": shown},
            lambda change, c: _change_words(visitor, change, c),
            visitor.language,
        )

    shape = ("feed", _address(request, f"/{folder}/{key}"), visitor.language, as_of or "", axis)
    return _served(request, services, shape, ATOM, made, None)


@router.api_route("/{folder}/{key}/evidence/{commitment_id}/{number}", methods=["GET", "HEAD"], name="public_file")
def evidence_file(folder: str, key: str, commitment_id: str, number: int, services: ServicesDep) -> Response:
    """A file public evidence cites, of a commitment the published record shows: as the API gives it."""
    return download(*services.public.evidence_file(_subject(folder), key, commitment_id, number))


@router.api_route("/{folder}/{name}", methods=["GET", "HEAD"], name="public_record")
def record(folder: str, name: str, request: Request, services: ServicesDep) -> Response:
    subject = _subject(folder)
    ending = next((e for e in FORMATS if name.endswith(e)), "")
    key = name.removesuffix(ending) if ending else name
    key = services.public.published(subject, key).key  # one spelling of the id: one address, one copy
    visitor = public_visitor(request)
    as_of, axis = _when(request)
    address = _address(request, f"/{folder}/{key}")

    def made() -> bytes:
        found = services.public.record(subject, key, instant(as_of, "as_of"), axis)
        if ending == ".json":
            return documents.as_json(found, address)
        if ending == ".csv":
            return documents.as_csv(found)
        if ending == ".jsonld":
            return documents.script_json(documents.events(found, address)).encode()
        return _page(request, visitor, found, address, as_of)

    language = visitor.language if not ending else None
    reader = (visitor.language, visitor.digits) if not ending else ()
    shape = (address, ending, as_of or "", axis, *reader)  # the address as reached: a copy names it
    return _served(request, services, shape, FORMATS.get(ending, HTML), made, language)


# -- serving a copy


def _served(
    request: Request,
    services: Services,
    key: tuple[str, ...],
    media_type: str,
    made: Callable[[], bytes],
    language: str | None,
) -> Response:
    """The copy kept of this answer, or one made now and kept; 304 when the reader holds it already."""
    copies, fresh = services.public_copies, services.public.freshness()
    copy = copies.get(key, fresh)
    if copy is None:
        with copies.making():
            copy = copies.get(key, fresh)  # made by another reader while this one waited
            if copy is None:
                copy = Copy.of(made(), media_type)
                copies.keep(key, fresh, copy)
    headers = {
        **SECURITY_HEADERS,
        "Cache-Control": "public, no-cache",  # kept, but checked (ETag) before each use: a withdrawal is seen
        "ETag": copy.etag,
        "Vary": "Accept-Language, Cookie",  # the language: asked, chosen on the pages, or the browser's
    }
    if language is not None:
        headers["Content-Language"] = language
    if media_type != HTML:
        headers["Access-Control-Allow-Origin"] = "*"  # public data, read by any site
    held = {tag.strip().removeprefix("W/") for tag in (request.headers.get("if-none-match") or "").split(",")}
    if copy.etag in held or "*" in held:  # compared weakly (RFC 9110, 13.1.2)
        return Response(status_code=304, headers=headers)
    return Response(copy.body, media_type=media_type, headers=headers)


def _subject(folder: str) -> str:
    """The kind of record a folder holds; a folder of no kind holds no public record."""
    return SUBJECTS.get(folder, "none")


def _when(request: Request) -> tuple[str | None, str]:
    """The instant asked for, in one spelling (UTC, ISO), refused before anything is read if it is none; the
    axis."""
    params = request.query_params
    at = instant(value(params, "as_of"), "as_of")
    return None if at is None else at.isoformat(), check_axis(value(params, "axis") or "effective")


def _kept(request: Request, visitor: Visitor) -> dict[str, str]:
    """What of the address a page's own links keep: what the page was made of (its language, digits, instant
    and axis, as the copy's key has them), nothing a reader added to the address: a copy is kept for everyone."""
    kept = {"lang": visitor.language, **({"digits": "arab"} if visitor.digits == "arab" else {})}
    try:
        as_of, axis = _when(request)
    except InvalidValue:  # (an error page, for that very date)
        return kept
    return {**kept, "as_of": as_of, "axis": axis} if as_of else kept


def _address(request: Request, path: str) -> str:
    """The public address of ``path`` (under ``/public``), as the reader reached the service."""
    return f"{str(request.base_url).rstrip('/')}{request.scope.get('root_path', '')}{path}"


# -- the page


def public_context(request: Request, visitor: Visitor, **values: Any) -> dict[str, Any]:
    language = visitor.language
    root = request.scope.get("root_path", "")
    return {
        "request": request,
        "base": root,
        "app_base": root.removesuffix("/public") + "/app",
        "path": request.url.path,
        "visitor": visitor,
        "lang": language,
        "dir": i18n.direction(language),
        "f": visitor.formats,
        "t": lambda text: i18n.shown(text, language),
        "label": labeller(i18n.translations(language).gettext),
        "digits_param": "&digits=arab" if visitor.digits == "arab" else "",
        "query_with": lambda **changes: urlencode({**_kept(request, visitor), **changes}),
        "query": urlencode(_kept(request, visitor)),
        **values,
    }


def _page(request: Request, visitor: Visitor, record: PublicRecord, address: str, as_of: str | None) -> bytes:
    _ = i18n.translations(visitor.language).gettext
    names = {key: _party_words(p, visitor) for key, p in record.parties.items()}
    meetings = {m["id"]: m for m in record.meetings}
    return render(
        visitor.language,
        "public_record.html",
        public_context(
            request,
            visitor,
            path=urlsplit(address).path,  # the record's one address, however the reader spelled it
            record=record,
            names=names,
            meetings=meetings,
            texts={c["id"]: c["text"] for c in record.commitments},  # what each change of status is about
            as_of=as_of,
            charts=_charts(visitor, record, names),
            events=Markup(documents.script_json(documents.events(record, address))),  # JSON made safe for <script>
            today=None,
        ),
    ).encode()


def _charts(visitor: Visitor, record: PublicRecord, names: dict[str, dict[str, Any]]) -> list[Markup]:
    """The commitments by status, the overdue by lead party, and progress (weighted) in all and by lead party."""
    if not record.commitments:
        return []
    _ = i18n.translations(visitor.language).gettext
    label = labeller(_)
    rtl = i18n.direction(visitor.language) == "rtl"
    number = visitor.formats.number
    by_status = record.progress["by_status"]
    charts = [
        bar_chart(
            "public-by-status",
            _("Commitments by status"),
            _("How many of the commitments are in each status."),
            [
                Bar(label("status", s.value), by_status[s.value], "#commitments", status_tone(s.value))
                for s in Status
                if s.value in by_status
            ],
            Labels(_("The figures"), _("Status"), _("Commitments")),
            rtl=rtl,
            number=number,
        )
    ]
    leads: dict[str, list[dict[str, Any]]] = {}
    for c in record.commitments:
        leads.setdefault(c["lead_party_id"], []).append(c)
    overdue = sorted(((key, sum(c["overdue"] for c in made)) for key, made in leads.items()), key=lambda kv: -kv[1])
    if any(n for _key, n in overdue):
        charts.append(
            bar_chart(
                "public-overdue-by-party",
                _("Overdue, by lead party"),
                _("How many commitments each lead party has overdue."),
                [Bar(_name(names, key), n, "#commitments", "overdue") for key, n in overdue[:MOST_BARS] if n],
                Labels(_("The figures"), _("Party"), _("Overdue")),
                rtl=rtl,
                number=number,
            )
        )
    progress = [Progress(_("All"), record.progress["progress"], "#commitments", "done")]
    for key, made in sorted(leads.items(), key=lambda kv: -len(kv[1]))[:MOST_BARS]:
        progress.append(Progress(_name(names, key), _rolled(made), "#commitments", "done"))
    charts.append(
        progress_chart(
            "public-progress",
            _("Progress"),
            _("How far the commitments have come, weighted as the roll-ups count them: in all, and by lead party."),
            progress,
            Labels(_("The figures"), _("Lead party"), _("Progress")),
            rtl=rtl,
            number=number,
        )
    )
    return charts


def _rolled(made: list[dict[str, Any]]) -> float | None:
    rolled: float | None = progress_of(made)["progress"]
    return rolled


def _name(names: dict[str, dict[str, Any]], key: str) -> str:
    found = names.get(key)
    return found["label"] if found else "—"


def _party_words(party: dict[str, Any], visitor: Visitor) -> dict[str, Any]:
    name = i18n.shown(party["names"], visitor.language)
    return {**party, "name": name, "label": party["acronym"] or (name.text if name else party["label"])}


def _title_words(record: PublicRecord, visitor: Visitor) -> str:
    shown = i18n.shown(record.title, visitor.language) if record.title else None
    return shown.text if shown else record.key


def _change_words(visitor: Visitor, change: dict[str, Any], commitment: dict[str, Any] | None) -> str:
    label = labeller(i18n.translations(visitor.language).gettext)
    words = i18n.shown(commitment["text"], visitor.language) if commitment else None
    text = (words.text if words else change["commitment_id"])[:200]
    return f"{text}: {label('status', change['before'])} → {label('status', change['after'])}"
