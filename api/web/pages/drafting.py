"""Drafting a record from a meeting report, for people: paste the report, review what was found
beside the report itself (each proposal's words marked in place), add any passage the reading
missed, edit the draft, then confirm it or discard it.

The draft lives in the page's form (nothing is held on the server before confirmation, so
discarding it is leaving it): every row, ticked or not, with the span of the report it was read
from. Adding a passage (``POST /drafts/add``) reads that form back, adds the passage as a party, a
participant, the meeting's dates, a commitment or a follow-up session, and shows the draft again;
the confirming form is read back into the same confirmation that ``POST /drafts/confirm`` takes,
and the same use case records it."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import problems
from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.routers.drafts import Confirmation
from api.web import i18n
from api.web.forms import checked, due, number, value, values
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor, recorder
from domain.errors import InvalidValue
from domain.meetings.agreement import AgreementKind
from domain.meetings.meeting import MeetingKind, ParticipantRole
from domain.parties.party import PartyKind
from domain.reading.words import sentences as sentences_of

router = APIRouter(prefix="/drafts")

# The rows of a draft, by the confirmation's list they go to, and the prefix of their fields' names.
PREFIXES = {"parties": "p", "participants": "u", "agreements": "a", "commitments": "c", "follow_ups": "f"}
FOUND = ("parties", "participants", "agreements", "commitments", "follow_ups", "recurrences")
ADDABLE = ("parties", "participants", "dates", "commitments", "follow_ups")  # what a passage may be added as
MOST_ROWS = 500  # rows read back from a form, of each list
SHORTENED = 90  # characters of a sentence the list of sentences shows
ROW_EXTRAS = ("keep", "span", "added")  # what a row of the page holds besides its confirmation's fields


def _show(request: Request, visitor: SignedInVisitor, status: int = 200, **values: Any) -> HTMLResponse:
    shown = {
        "draft": None,
        "conf": None,
        "options": [],
        "refusal": None,
        "sent": {},
        "added": None,
        "adding": {},
        "meeting_kinds": [k.value for k in MeetingKind],
        "party_kinds": [k.value for k in PartyKind],
        "agreement_kinds": [k.value for k in AgreementKind],
        "roles": [r.value for r in ParticipantRole],
        "addable": ADDABLE,
        **values,
    }
    conf = shown["conf"]
    if conf is not None:
        shown |= annotated(shown["draft"], conf)
    return page(request, visitor, "draft.html", status, **shown)


@router.get("", response_class=HTMLResponse, name="drafts")
def start(request: Request, visitor: SignedInDep) -> HTMLResponse:
    recorder(visitor)
    return _show(request, visitor)


def _options(draft: dict[str, Any]) -> list[tuple[str, str]]:
    """The parties a draft's forms may name: those found in the report, known or new."""
    return [(p["value"]["ref"], p["value"].get("acronym") or p["value"]["name"]) for p in draft["parties"]]


def _report_text(form: Any) -> str:
    """The report's text as a form sends it: browsers send every line break as CR LF, and a page shows
    and counts it as one character, so the text is kept with LF alone (its spans count the same)."""
    sent = form.get("text")
    return sent.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(sent, str) else ""


def _published(sent: str | None) -> date:
    try:
        return date.fromisoformat(sent or "")
    except ValueError:
        raise InvalidValue("the day the report was published, as 2024-07-11", "published_on") from None


@router.post("", response_class=HTMLResponse)
def read(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    recorder(visitor)
    sent = {"text": _report_text(form), "published_on": value(form, "published_on") or ""}

    def found() -> Response:
        draft = services.drafts.read(sent["text"], _published(sent["published_on"]))
        return _show(request, visitor, draft=draft, conf=rows_of_draft(draft), options=_options(draft), sent=sent)

    return attempt(found, lambda status, refusal: _show(request, visitor, status, refusal=refusal, sent=sent))


# -- the draft's rows, as the page holds them ----------------------------------------------------------


def _span(form: Any, name: str) -> dict[str, int] | None:
    start, end = number(form, f"{name}_start"), number(form, f"{name}_end")
    return {"start": start, "end": end} if start is not None and end is not None and start < end else None


def _extras(form: Any, name: str) -> dict[str, Any]:
    return {
        "keep": value(form, f"{name}_keep") == "yes",
        "span": _span(form, name),
        "added": value(form, f"{name}_added") == "yes",
    }


def _held_at(form: Any, name: str) -> dict[str, int]:
    """The meeting a row belongs to, when the draft says (0: the main one, k: the k-th other one)."""
    meeting = number(form, f"{name}_meeting")
    return {} if meeting is None else {"meeting": meeting}


def _listed(form: Any, count: str) -> range:
    return range(min(number(form, count) or 0, MOST_ROWS))


def rows_of(form: Any) -> dict[str, Any]:
    """Every row a draft's form holds, ticked or not, each with the span of the report it was read from
    (``keep``, ``span``, ``added`` besides the confirmation's own fields)."""
    language = value(form, "language") or "en"

    def promise(name: str) -> dict[str, Any]:
        item = {
            "text": {language: value(form, f"{name}_text") or ""},
            "quote": value(form, f"{name}_quote"),
            "lead": value(form, f"{name}_lead"),
            "partners": values(form, f"{name}_partners"),
            "due": due(form, f"{name}_due_"),
            "agreement": number(form, f"{name}_agreement"),
        }
        return item | _held_at(form, name) | _extras(form, name)

    try:
        other_meetings = json.loads(value(form, "other_meetings") or "[]")
    except ValueError:
        other_meetings = None
    if not isinstance(other_meetings, list):
        raise InvalidValue("the kept draft is damaged: read the report again", "other_meetings")
    rows: dict[str, Any] = {
        "text": _report_text(form),
        "published_on": value(form, "published_on"),
        "language": language,
        "status": value(form, "status") or "draft",
        "document_title": value(form, "document_title"),
        "parties": [
            {
                "ref": value(form, f"p{i}_ref"),
                "acronym": value(form, f"p{i}_acronym"),
                "name": value(form, f"p{i}_name") or "",
                "kind": value(form, f"p{i}_kind") or "other",
            }
            | _extras(form, f"p{i}")
            for i in _listed(form, "n_p")
        ],
        "meeting": {
            "kind": value(form, "m_kind"),
            "title": {language: value(form, "m_title") or ""},
            "series": value(form, "m_series"),
            "session_number": number(form, "m_session"),
            "starts_on": value(form, "m_starts_on"),
            "ends_on": value(form, "m_ends_on"),
            "venue": value(form, "m_venue"),
            "city": value(form, "m_city"),
            "country": value(form, "m_country"),
            "time_zone": value(form, "m_time_zone"),
            "dates_span": _span(form, "m_dates"),
        },
        "participants": [
            {
                "party": value(form, f"u{i}_party"),
                "role": value(form, f"u{i}_role") or "participant",
                "person": value(form, f"u{i}_person"),
            }
            | _held_at(form, f"u{i}")
            | _extras(form, f"u{i}")
            for i in _listed(form, "n_u")
        ],
        "agreements": [
            {
                "kind": value(form, f"a{i}_kind"),
                "title": {language: value(form, f"a{i}_title") or ""},
                "validity": (
                    {"starts_on": value(form, f"a{i}_from"), "ends_on": value(form, f"a{i}_to")}
                    if value(form, f"a{i}_from")
                    else None
                ),
                "adopted_by": values(form, f"a{i}_adopted_by"),
            }
            | _held_at(form, f"a{i}")
            | _extras(form, f"a{i}")
            for i in _listed(form, "n_a")
        ],
        "commitments": [promise(f"c{i}") for i in _listed(form, "n_c")],
        "follow_ups": [
            promise(f"f{i}")
            | {"series": value(form, f"f{i}_series"), "session_number": number(form, f"f{i}_session")}
            | {"agreement": None}  # a follow-up session belongs to no agreement
            for i in _listed(form, "n_f")
        ],
        "other_meetings": other_meetings,
    }
    return rows


def confirmation_from(rows: dict[str, Any]) -> dict[str, Any]:
    """The confirmation a draft's rows hold: the rows left unticked are left out (a commitment of an
    agreement left out belongs to none)."""

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k not in ROW_EXTRAS}

    def kept(name: str) -> list[dict[str, Any]]:
        return [plain(row) for row in rows[name] if row["keep"]]

    agreements = [i for i, row in enumerate(rows["agreements"]) if row["keep"]]
    renumbered = {old: new for new, old in enumerate(agreements)}
    commitments = []
    for item in kept("commitments"):
        item["agreement"] = renumbered.get(item["agreement"]) if item["agreement"] is not None else None
        commitments.append(item)
    confirmation = {
        **{k: rows[k] for k in ("text", "published_on", "language", "status", "document_title")},
        "parties": kept("parties"),
        "meeting": {k: v for k, v in rows["meeting"].items() if k != "dates_span"},
        "participants": kept("participants"),
        "agreements": kept("agreements"),
        "commitments": commitments,
        "follow_ups": kept("follow_ups"),
    }
    if rows.get("other_meetings"):
        confirmation["other_meetings"] = rows["other_meetings"]
    return confirmation


def confirmation_of(form: Any) -> dict[str, Any]:
    """The confirmation a draft's form holds (the rows left unticked are left out)."""
    return confirmation_from(rows_of(form))


def _same(kind: str, row: dict[str, Any], proposal: dict[str, Any]) -> bool:
    """Whether a row of the confirmation was made of this proposal of the draft."""
    found = proposal.get("value") or {}
    if kind == "parties":
        return bool(found.get("ref") == row.get("ref"))
    if kind == "participants":
        return (found.get("party"), found.get("person")) == (row.get("party"), row.get("person"))
    if kind == "agreements":
        return bool(found.get("title") == row.get("title"))
    return bool(proposal.get("quote") == row.get("quote"))


def rows_of_draft(draft: dict[str, Any]) -> dict[str, Any]:
    """A draft's confirmation as the page's rows: every row ticked, with the span of the proposal it
    was made of."""
    conf = draft["confirmation"]
    rows: dict[str, Any] = {k: v for k, v in conf.items() if k not in PREFIXES}
    rows["meeting"] = {**conf["meeting"], "dates_span": None}
    rows["other_meetings"] = conf.get("other_meetings") or []
    for kind in PREFIXES:
        proposals = list(draft.get(kind) or [])
        used: set[int] = set()
        rows[kind] = []
        for row in conf.get(kind) or []:
            made_of = next(
                (j for j, p in enumerate(proposals) if j not in used and _same(kind, row, p)),
                None,
            )
            span = None
            if made_of is not None:
                used.add(made_of)
                span = proposals[made_of].get("span")
            rows[kind].append({**row, "keep": True, "span": span, "added": False})
    return rows


# -- the report, marked --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A proposal's words in the report: its kind, the row of the draft it is, whether a person added it."""

    start: int
    end: int
    kind: str  # a list of the draft (parties, …), or meetings, dates
    row: str  # the id of its row in the page
    id: str
    added: bool = False


def marks_of(draft: dict[str, Any] | None, rows: dict[str, Any]) -> list[Mark]:
    """Every span the page marks: the rows' (each linked to its row), then what was found that no row
    is made of (linked to its line in the list of what was found)."""
    length = len(rows["text"])
    marks: list[Mark] = []
    covered: set[tuple[str, int, int]] = set()
    for kind, prefix in PREFIXES.items():
        for i, row in enumerate(rows[kind]):
            if row.get("span"):
                start, end = row["span"]["start"], row["span"]["end"]
                marks.append(Mark(start, end, kind, f"{prefix}{i}", f"mark-{prefix}{i}", row["added"]))
                covered.add((kind, start, end))
    dates = rows["meeting"].get("dates_span")
    if dates:
        marks.append(Mark(dates["start"], dates["end"], "dates", "meeting", "mark-dates", True))
    for kind, j, proposal in _found(draft):
        start, end = proposal["span"]["start"], proposal["span"]["end"]
        if (kind, start, end) in covered:
            continue
        row = "meeting" if (kind, j) == ("meetings", 0) else f"found-{kind}-{j}"
        marks.append(Mark(start, end, kind, row, f"mark-{kind}-{j}"))
    return [m for m in marks if 0 <= m.start < m.end <= length]


def _found(draft: dict[str, Any] | None) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """What the reading found: the meetings (the main one first), then each list's proposals."""
    if not draft:
        return
    meetings = draft.get("meetings") or ([draft["meeting"]] if draft.get("meeting") else [])
    for j, proposal in enumerate(meetings):
        if proposal.get("span"):
            yield "meetings", j, proposal
    for kind in FOUND:
        for j, proposal in enumerate(draft.get(kind) or []):
            if proposal.get("span"):
                yield kind, j, proposal


@dataclass(frozen=True)
class Run:
    """A piece of the marked report: a mark opened (``mark``; ``first`` for the first of its pieces), a
    mark closed, or text from ``start`` of the report."""

    mark: Mark | None = None
    first: bool = False
    close: bool = False
    start: int = 0
    text: str = ""


def runs_of(text: str, marks: Iterable[Mark]) -> list[Run]:
    """The report as text runs and marks that never overlap: a mark is opened inside the marks that hold
    it; one that ends past a mark it began in is closed with it and opened again after (in pieces)."""
    ordered = sorted(enumerate(marks), key=lambda m: (m[1].start, -m[1].end, m[0]))
    edges = sorted({0, len(text)} | {m.start for _, m in ordered} | {m.end for _, m in ordered})
    runs: list[Run] = []
    opened: list[Mark] = []
    started: set[str] = set()
    for start, end in zip(edges, edges[1:], strict=False):
        holding = [m for _, m in ordered if m.start <= start < m.end]
        kept = 0
        while kept < min(len(opened), len(holding)) and opened[kept] is holding[kept]:
            kept += 1
        for _ in opened[kept:]:
            runs.append(Run(close=True))
        opened = opened[:kept]
        for mark in holding[kept:]:
            runs.append(Run(mark=mark, first=mark.id not in started))
            started.add(mark.id)
            opened.append(mark)
        runs.append(Run(start=start, text=text[start:end]))
    runs.extend(Run(close=True) for _ in opened)
    return runs


def _day(sent: str | None) -> date | None:
    try:
        return date.fromisoformat(sent or "")
    except ValueError:
        return None


def _shortened(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= SHORTENED:
        return words
    cut = words[:SHORTENED].rsplit(" ", 1)[0] or words[:SHORTENED]
    return cut + " …"


def annotated(draft: dict[str, Any] | None, rows: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of the report: its text marked, its language and direction, its sentences
    (what a passage is chosen from without script), and the list of what was found."""
    text = rows["text"]
    marks = marks_of(draft, rows)
    mark_of = {(m.kind, m.row): m.id for m in marks}
    by_span = {(m.kind, m.start, m.end): m.id for m in marks}
    spans = (draft or {}).get("sentences")
    if spans is None:
        spans = [{"start": s, "end": e} for s, e in sentences_of(text)]
    language = (draft or {}).get("language") or rows.get("language") or "en"
    found = [
        {
            "kind": kind,
            "id": f"found-{kind}-{j}",
            "quote": proposal.get("quote") or text[proposal["span"]["start"] : proposal["span"]["end"]],
            "confidence": proposal.get("confidence", 0),
            "mark": by_span.get((kind, proposal["span"]["start"], proposal["span"]["end"])),
        }
        for kind, j, proposal in _found(draft)
    ]
    return {
        "runs": runs_of(text, marks),
        "mark_of": mark_of,
        "report_language": language,
        "report_direction": i18n.direction(language),
        "sentences": [
            {"value": f"{s['start']}-{s['end']}", "shown": _shortened(text[s["start"] : s["end"]])}
            for s in spans
            if 0 <= s["start"] < s["end"] <= len(text)
        ],
        "found": found,
        "meeting_days": (_day(rows["meeting"].get("starts_on")), _day(rows["meeting"].get("ends_on"))),
        "other_meetings_kept": json.dumps(rows.get("other_meetings") or [], ensure_ascii=False),
    }


# -- adding a passage ----------------------------------------------------------------------------------


def _passage(form: Any, text: str) -> tuple[int, int]:
    """The span of the passage chosen (``start-end``, a sentence or the words selected), without the
    spaces around it."""
    chosen = value(form, "add_passage") or ""
    start_end = chosen.split("-")
    if len(start_end) != 2 or not all(part.isdigit() and len(part) <= 9 for part in start_end):
        raise InvalidValue("choose a passage of the report: select its words, or choose its sentence", "add_passage")
    start, end = int(start_end[0]), int(start_end[1])
    while start < end and text[start:end][:1].isspace():
        start += 1
    while end > start and text[start:end][-1:].isspace():
        end -= 1
    if not 0 <= start < end <= len(text):
        raise InvalidValue("choose a passage of the report: select its words, or choose its sentence", "add_passage")
    return start, end


def _party(form: Any, name: str, options: list[tuple[str, str]]) -> str:
    chosen = value(form, name)
    if chosen is None or chosen not in {ref for ref, _ in options}:
        raise InvalidValue("choose one of the draft's parties (add a party first if it is missing)", name)
    return chosen


def _meeting_at(draft: dict[str, Any] | None, start: int) -> dict[str, int]:
    """The meeting whose part of the report holds ``start``, when the draft tells the parts (the k-th part
    is the k-th meeting's; none told: the main meeting's, the confirmation's default)."""
    for k, part in enumerate((draft or {}).get("parts") or []):
        if part["start"] <= start < part["end"]:
            return {"meeting": k} if k else {}
    return {}


def add_passage(
    form: Any, rows: dict[str, Any], options: list[tuple[str, str]], draft: dict[str, Any] | None = None
) -> tuple[str, str]:
    """Adds the passage the form chose, as what it chose, to the rows (and a new party to the options);
    the kind added and the id of its row. A participant, a commitment or a follow-up session belongs to
    the meeting whose part of the report the passage is in."""
    kind = value(form, "add_kind")
    if kind not in ADDABLE:
        raise InvalidValue("choose what the passage is: a party, a participant, the dates, a commitment…", "add_kind")
    text = rows["text"]
    start, end = _passage(form, text)
    words = " ".join(text[start:end].split())
    span = {"start": start, "end": end}
    added = {"keep": True, "span": span, "added": True}
    if kind == "parties":
        acronym = value(form, "add_party_acronym")
        name = value(form, "add_party_name") or words
        ref = f"new:{acronym or name}"
        if any(ref == known for known, _ in options):
            raise InvalidValue("this party is in the draft already", "add_party_acronym")
        rows["parties"].append(
            {"ref": ref, "acronym": acronym, "name": name, "kind": value(form, "add_party_kind") or "other"} | added
        )
        options.append((ref, acronym or name))
    elif kind == "participants":
        rows["participants"].append(
            {
                "party": _party(form, "add_participant_party", options),
                "role": value(form, "add_role") or "participant",
                "person": value(form, "add_person") or words,
            }
            | _meeting_at(draft, start)
            | added
        )
    elif kind == "dates":
        starts_on = value(form, "add_starts_on")
        if _day(starts_on) is None:
            raise InvalidValue("the day the meeting started, as 2024-07-11", "add_starts_on")
        ends_on = value(form, "add_ends_on")
        if ends_on is not None and _day(ends_on) is None:
            raise InvalidValue("the day the meeting ended, as 2024-07-12", "add_ends_on")
        rows["meeting"] |= {"starts_on": starts_on, "ends_on": ends_on, "dates_span": span}
        return kind, "meeting"
    else:
        item = {
            "text": {rows["language"]: value(form, "add_text") or words},
            "quote": text[start:end],
            "lead": _party(form, "add_lead", options),
            "partners": [],
            "due": due(form, "add_due_"),
            "agreement": None,
        }
        if kind == "follow_ups":
            item |= {"series": None, "session_number": None}
        rows[kind].append(item | _meeting_at(draft, start) | added)
    return kind, f"{PREFIXES[kind]}{len(rows[kind]) - 1}"


def _kept_options(form: Any) -> list[tuple[str, str]]:
    """The parties the draft's forms may name, as the form kept them."""
    return [
        (ref, shown)
        for ref, shown in (
            option.split("\t", 1) for option in form.getlist("option") if isinstance(option, str) and "\t" in option
        )
    ]


def _reread(services: Services, rows: dict[str, Any]) -> dict[str, Any] | None:
    """What the reading found in the report, again (the same report reads the same), to show it marked;
    ``None`` if it cannot be read now (every reader busy, say): the rows are shown all the same."""
    try:
        return services.drafts.read(rows["text"], _published(rows["published_on"]))
    except problems.HANDLED:
        return None


ADD_FIELDS = (
    "add_passage",
    "add_kind",
    "add_party_name",
    "add_party_acronym",
    "add_party_kind",
    "add_person",
    "add_participant_party",
    "add_role",
    "add_starts_on",
    "add_ends_on",
    "add_text",
    "add_lead",
)


@router.post("/add", response_class=HTMLResponse)
def add(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    recorder(visitor)
    rows = rows_of(form)
    options = _kept_options(form)
    draft = _reread(services, rows)

    def added() -> Response:
        kind, row = add_passage(form, rows, options, draft)
        return _show(request, visitor, draft=draft, conf=rows, options=options, added={"kind": kind, "row": row})

    def refused(status: int, refusal: dict[str, Any]) -> Response:
        adding = {name: value(form, name) or "" for name in ADD_FIELDS}
        return _show(request, visitor, status, refusal=refusal, draft=draft, conf=rows, options=options, adding=adding)

    return attempt(added, refused)


@router.post("/confirm", response_class=HTMLResponse)
def confirm(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    actor = recorder(visitor)
    rows = rows_of(form)
    conf = confirmation_from(rows)
    options = _kept_options(form)  # the parties the draft's forms may name

    def record() -> Response:
        body = checked(Confirmation, conf)
        recorded = services.drafts.confirm(actor, body.plain())
        return RedirectResponse(f"{request.scope.get('root_path', '')}/meetings/{recorded.meeting_id}", status_code=303)

    return attempt(
        record,
        lambda status, refusal: _show(
            request, visitor, status, refusal=refusal, draft=_reread(services, rows), conf=rows, options=options
        ),
    )
