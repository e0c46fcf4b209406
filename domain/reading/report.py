"""Reading a meeting report for a coordinator: what it says was held, by whom, and what was agreed.

Every proposal keeps the span of the text it came from (character offsets, ``start``–``end``) and
a confidence from 0 to 1. Nothing here is recorded: the coordinator reviews the proposals, edits
them and confirms them (``application.intake.drafts``). The rules are written for the genre of the shared
samples (press releases of meetings between organisations, in Arabic and English) and measured on
an annotated set of such reports (``tests/reports``, EXTRACTION.md).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.reading.dates import FoundDate, find_dates
from domain.reading.kinds import SESSION, SIGNED
from domain.reading.meetings import (
    LISTED_LINE,
    NAMED_MEETING,
    PREPARED,
    beside,
    beside_words_end,
    body_start,
    dateline_end,
    held_when,
    meeting_named,
    meeting_parts,
    ordinal_within,
    session_number,
)
from domain.reading.names import NO_NAMES, Gazetteer, NameAt
from domain.reading.ordinals import ordinal_at
from domain.reading.parties import (
    PartyAt,
    find_known_parties,
    find_named_parties,
    find_new_parties,
    parties_between,
    ref_of,
)
from domain.reading.places import (
    VENUE,
    capitals_written_as_states,
    city_for,
    named_for_water,
    seats_written_as_places,
    table_cities,
    written_as_a_place,
)
from domain.reading.proposals import PROPOSED_MOST, KnownParty, Proposal, Reading
from domain.reading.spans import Taken, span_holding, starting_within
from domain.reading.words import begun, language_of, sentences, words_of

_AGREED = re.compile(
    begun(
        "اإتأجيسقوفعawcudprseiu",
        r"(?:ات|إت)فق(?:ا|وا|ت)?\b(?!\s+علي(?:ها|ه)\b)|تم\s+(?:ال)?اتفاق(?!\s+علي(?:ها|ه)\b)|",
        r"(?:تأكيد|أكد|أكدا|أكدوا|جدد|تجديد)\s+(?:ال)?التزام|(?:ي|ت)لتزم|تعهد|سيواصل|ستواصل|سيتم|سوف|",
        r"ستقوم|سيقوم|ستتولى|سيتولى|ستعمل|سيعمل|تتولى|",
        # "the ministers will examine …": what a meeting will talk about is its agenda, not a promise; "proposals
        # that will help …": what a thing will do describes it
        # ("agreed that the bridge stands for …" is an opinion shared; "agreed that they will …" a promise)
        r"قرر|أقر|(?:ي|ت)عتزم|agreed(?!\s+that\s(?![^.\n]*\b(?:will|would|shall|should|must)\b))|",
        r"(?<!that\s)(?<!which\s)",
        r"will\s+(?!be\s+held|discuss|review|examine|address|consider|tackle|debate|deliberate|focus|touch\s+upon|",
        r"be\s+making|make\s+(?:statements|remarks)|be\s+presented|deliver)|",
        r"committed|undertook|decided|pledged|resolved\s+to|shall|",
        # «أكد الطرفان العزم على تبادل الخبرات»: a will stated
        r"(?:ال)?عزم\s+على|",
        # «ستتخذ حكومة المغرب …»: a verb of doing in the future
        r"(?<![\w])[وف]?س(?:ت|ي)(?:تخذ|دعم|وفر|نظم|شارك|ساهم|قدم|نفذ|طلق|خصص|مول|سعى|تعاون|عمل|بذل|ضمن|سهل|ساعد)|",
        # "reaffirmed their commitment to", "the shared commitment to", "is to take part"
        # (up to six words between: "the Fund's commitment and readiness to")
        r"(?:reaffirmed|renewed|affirmed|confirmed|reiterated|expressed|stressed|emphasi[sz]ed|underlined|shared)\s+",
        r"(?:[\w’'-]+\s+){0,6}?commitment(?:\s+and\s+(?:readiness|determination|willingness))?\s+to|",
        r"(?:are|is|were|was|remain|remains)\s+determined\s+to|(?<!that\s)(?<!to\s)(?:agree|agrees)\s+to\s+(?!be\b)|",
        # «أعرب … عن تصميم الهيئة على …», «عزمهما على», «استعدادها لـ»: a will stated
        r"(?:ال)?تصميم(?:ها|ه|هما)?\s+(?:[^\s،,.]+\s+){0,2}?على|عزم(?:ها|ه|هما|هم)\s+على|",
        # (not an aim: "our aim is to …")
        r"(?<!goal\s)(?<!aim\s)(?<!objective\s)(?<!purpose\s)(?<!idea\s)(?<!mission\s)",
        r"(?:is|are)\s+(?:also\s+)?to\s+(?!be\b)[a-z]+",
    ),
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    begun(
        "عيتادلإقضأبسوفhcsmnfwtadr",
        # a session held before («بعد عقد الدورة الماضية», "to host the previous session") is history, not a promise
        # (a headline's «انعقاد الدورة السابعة …» at a line's start or after its place and a colon tells that it
        # was held, and so do «منذ انعقاد الدورة الأولى», «بعد انعقاد الدورة …»: since, after)
        # («وعقد الاجتماع», «عُقد»: the verb tells it was held; «عقد» promises only as the noun after a
        # preposition or a word of deciding: «اتفقا على عقد», «تقرر عقد», «سيتم عقد»)
        r"(?<!منذ\s)(?<!بعد\s)(?:(?<![\w])",
        r"(?:[وف]?(?:على|إلى|الى|تقرر|قرر|قررا|تم|يتم|سيتم|ضرورة|أهمية)\s+|[وف]?[لب])عقد|",
        r"يعقد|تعقد|(?<=[^\n])(?<!:\s)(?<!:)انعقاد|استضافة)",
        r"\s+(?:ال)?(?:دورة|اجتماع|لجنة|قمة|مؤتمر(?!\s+صحفي)|منتدى|ملتقى|جولة)",
        r"(?!\s+(?:ال)?(?:سابق|ماضي|أخير)(?:ة)?(?![\w]))|",
        r"(?:hold|host|convene)\s+the\s+(?!previous\b|last\b|past\b)|",
        r"(?:agreed|decided|resolved)\s+to\s+meet(?![\w])|",
        # «أن تعقد هذه اللجنة اجتماعاً فنياً», "Kenya will chair a meeting of trade ministers"
        r"(?<![\w])(?:ت|ي|ست|سي)عقد\s+(?:[^\s،,.]+\s+){1,3}?(?:ال)?(?:دورة|اجتماع)|",
        r"(?:will|to)\s+(?:chair|host|hold|convene)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?",
        r"(?:meeting|session|summit|conference)|",
        r"(?:session|meeting|consultation)\s+(?:of\s+[\w\s]+?\s+)?(?:will|shall|would)\s+be\s+(?:held|hosted|convened)|",
        # «خلال الدورة المقبلة», "during the next session": when something else is done, not a session promised
        r"(?<!during\s)(?<!at\s)(?<!in\s)(?<!during\sthe\s)(?<!at\sthe\s)(?<!in\sthe\s)",
        r"(?:next|following)\s+(?:session|meeting)|",
        r"(?<!خلال\s)(?<!في\s)(?<!خلال\sال)(?<!في\sال)(?:ال)?دورة\s+(?:ال)?(?:قادمة|مقبلة|المقبلة|القادمة)",
    ),
    re.IGNORECASE,
)
_SCHEDULED = re.compile(  # «المزمع عقدها», "scheduled to be held": a meeting to come, promised by saying so
    begun(
        "امسs",
        r"(?:ال)?(?:مزمع|منتظر|مقرر|مرتقب|متوقع)(?:ة)?\s+(?:عقد(?:ه|ها)|انعقاد(?:ه|ها))|",
        # «سيقام المؤتمر في تونس», «ستنعقد الدورة المقبلة»: a meeting said to be held later
        r"(?<![\w])س(?:ي|ت)(?:قام|نعقد)(?![\w])|",
        r"scheduled\s+to\s+(?:be\s+held|take\s+place|convene)",
    ),
    re.IGNORECASE,
)
_RECURRENCE = re.compile(
    begun(
        "مكسaeb",
        r"مرة\s+كل\s+(?P<dual>سنتين|عامين)|كل\s+(?P<dual2>سنتين|عامين)|مرة\s+كل\s+(?P<n>\d+)\s+سنوات|",
        r"(?P<yearly>سنويا|سنوياً|كل\s+عام|كل\s+سنة|annually|every\s+year|each\s+year)|",
        r"(?P<biennial>every\s+two\s+years|biennially|every\s+other\s+year)",
    ),
    re.IGNORECASE,
)
_AGREEMENTS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in [
        ("action_matrix", begun("امam", r"(?:ال)?مصفوفة|action\s+matrix|matrix\s+of")),
        (
            "mou",
            begun("مmM", r"مذكر(?:ة|ات)\s+(?:ال)?تفاهم|(?:memorand(?:um|a)|memo)\s+of\s+understanding|\bMoUs?\b"),
        ),
        ("action_matrix", begun("خاa", r"(?:ال)?خط(?:ة|ط)\s+(?:ال)?عمل|action\s+plans?")),
        ("joint_statement", begun("ابj", r"(?:ال)?بيان\s+(?:ال)?مشترك|joint\s+(?:statement|communiqu[eé])")),
        ("recommendations", begun("اتr", r"(?:ال)?توصيات|recommendations")),
        # resolutions a meeting adopted («واعتمد المجلس القرارات»): only where the sentence says so (below)
        ("resolutions", begun("اقr", r"(?<![\w])(?:ال)?قرارات(?![\w])|\bresolutions\b")),
        # a signed agreement of another name («اتفاقية», «ملحق تعديل اتفاق المقر», "nine agreements"): only
        # where the sentence says it was signed (below)
        ("signed", begun("اأمaA", r"(?<![\w])(?:ال)?(?:اتفاقي(?:ة|ات)|اتفاق(?:ات)?(?![\w])|ملحق)|agreements?\b")),
        (
            "framework",
            begun(
                "اإrscf",
                r"(?:ال)?إطار\s+(?:ال)?(?:إقليمي|استراتيجي|إستراتيجي|الاستراتيجي|الإستراتيجي|للتعاون|عمل)|",
                r"(?:regional|strategic|cooperation)\s+framework|framework\s+for",
            ),
        ),
    ]
]
_FOLLOW_UP_VENUE = re.compile(r"(?:في|ب)\s*(مقر\s+[^(،,.]+|[^\s،,.]+\s+مقر[^(،,.]*)|at\s+the\s+([^,.(]+)")
_CO_CHAIRED = re.compile(
    begun("اشتcw", r"(?:اشترك|شارك|تشارك)\s+في\s+رئاسة|co-?chaired\s+by|were\s+co-?chairs"), re.IGNORECASE
)
_CHAIRED = re.compile(
    begun("بتchl", r"برئاسة|ترأس(?:ه|ها)?|(?<!co-)(?<!co)chaired\s+by|headed\s+by|led\s+by"), re.IGNORECASE
)
_HONORIFIC = re.compile(
    r"(?=[\sسمفادHAMD])(?:سعادة|معالي|فخامة|سمو)?\s*"  # a title may stand alone
    r"(?:السفير|السيد|السيدة|الدكتور|الدكتورة|د\.|H\.?E\.?|Ambassador|"
    r"Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+((?:[^\s،,.()]+\s?){2,4})"
)


def _due_of(
    found: list[FoundDate], start: int, end: int, after: date | None = None
) -> tuple[dict[str, Any], FoundDate] | None:
    """The due a sentence states: its first year, day, month or span (None: open-ended); with ``after``, the
    first that is not over by that day (a later session is not due on the day the report tells of it)."""
    for item in starting_within(found, start, end):
        if after is not None and (
            (item.kind == "year" and item.year is not None and item.year < after.year)
            or (item.kind in ("day", "range", "month") and item.last is not None and item.last <= after)
        ):
            continue
        if item.kind == "year":
            return {"precision": "year", "value": str(item.year)}, item
        if item.kind == "span":
            return {"precision": "relative", "amount": item.amount, "unit": item.unit}, item
        if item.kind == "month" and item.first:
            return {"precision": "month", "value": item.first.strftime("%Y-%m")}, item
        if item.kind in ("day", "range") and item.last:
            return {"precision": "day", "value": item.last.isoformat()}, item
    return None


_CLAUSE = re.compile(r"،\s*(?=كما\s)|;\s+|,\s+(?=and\s+(?:will|agreed|committed|decided)\b)")


def clauses(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each sentence cut where a second promise begins («…، كما تعهدت …»)."""
    cut: list[tuple[int, int]] = []
    for start, end in spans:
        at = start
        for match in _CLAUSE.finditer(text, start, end):
            cut.append((at, match.start()))
            at = match.end()
        cut.append((at, end))
    return cut


# Persian and Urdu forms of Arabic letters some sites write Arabic with («التعاون الدولی», «ھيئة»): read as the
# Arabic letters, one for one (the offsets of the text do not change)
_LETTER_FORMS = str.maketrans(
    {"\u06be": "\u0647", "\u06c1": "\u0647", "\u06d5": "\u0647", "\u06cc": "\u064a", "\u06a9": "\u0643"}
)


_LISTED_LINES = re.compile("^" + LISTED_LINE.pattern + r"[^\n]*", re.MULTILINE)


def _a_new_state(p: PartyAt) -> bool:
    return p.party is None and p.entry is not None and p.entry.kind == "state"


def _without_listed_headlines(text: str) -> str:
    """The text with a site's list of other headlines above the report («• …» lines before its own headline)
    blanked: they tell of other news, not of the report's meeting. A list after the headline (its highlights)
    stays. The offsets do not change."""
    at = 0
    for line in text.split("\n"):
        if not LISTED_LINE.match(line) and len(line.split()) >= 4:  # the report's headline, or a dateline
            break
        at += len(line) + 1
    return _LISTED_LINES.sub(lambda m: " " * len(m.group()) if m.start() < at else m.group(), text)


def read_report(text: str, published: date, parties: Iterable[KnownParty], *, names: Gazetteer = NO_NAMES) -> Reading:
    """Every proposal the report's text supports, each with its span and confidence. ``names``: the world's
    states, cities and organisations (their parties and the meetings' cities); without it, the registered
    parties and a small table of cities."""
    text = _without_listed_headlines(text.translate(_LETTER_FORMS))
    known_parties = list(parties)
    reading = Reading(language_of(text))
    dates = find_dates(text, published)
    words = words_of(text)
    found = find_known_parties(text, words, known_parties)
    named = names.find(text)
    known = [p for p in found if not p.sharing]
    entries = find_named_parties(text, named, known_parties, reading.language, _dateline(text))
    in_entries = Taken(len(text))
    for e in entries:
        if not _a_new_state(e):
            in_entries.take(e.start, e.end)
    # a new organisation the gazetteer knows is its entry (with its names), not the name the text brackets; a
    # state's adjective in the name it brackets is a word of that name ("the Saudi Fund for Development (SFD)")
    new = [
        n
        for n in find_new_parties(text, found, known_parties, ministers=names is NO_NAMES)
        if not in_entries.meets(n.start, n.end)
    ]
    in_bracketed = Taken(len(text))
    for n in new:
        if n.acronym and not _MINISTRY_NAME.match(n.name):
            in_bracketed.take(n.start, n.end)
    entries = [e for e in entries if not (_a_new_state(e) and in_bracketed.meets(e.start, e.end))]
    for e in entries:
        in_entries.take(e.start, e.end)
    new = [n for n in new if in_bracketed.meets(n.start, n.end) or not in_entries.meets(n.start, n.end)]
    in_new = Taken(len(text))
    for n in [*entries, *new]:
        if n.party is None:
            in_new.take(n.start, n.end)
    aside = Taken(len(text))
    spans = sentences(text)
    held_beside: list[tuple[int, int]] = []  # from «على هامش» to its sentence's end: what the meeting was held beside
    for start, end in beside(text):  # who convened what the meeting was held beside is no side of it
        aside.take(start, end)
        sentence_end = (span_holding(spans, start) or (start, end))[1]
        if not held_beside or start >= held_beside[-1][1]:
            held_beside.append((start, max(end, sentence_end)))
    at = _longest_first(text, [*known, *entries, *new], aside)
    told: set[tuple[KnownParty, ...]] = set()
    for shared in (p for p in found if p.sharing and not in_new.meets(p.start, p.start + 1)):
        if shared.sharing in told:  # each alias shared by the same parties told once, where first named
            continue
        told.add(shared.sharing)
        reading.ambiguous.append(
            {
                "name": shared.name,
                "start": shared.start,
                "end": shared.end,
                "parties": [{"id": s.id, "label": s.acronym or s.names[0]} for s in shared.sharing],
            }
        )

    if names is NO_NAMES:
        cities = table_cities(text)
    else:
        capitals = capitals_written_as_states(text, named, names, _dateline(text))
        seats = seats_written_as_places(text, named, names)
        written = [n for n in named if n.kind == "city" and not named_for_water(text, n)]
        cities = sorted(written + capitals + seats, key=lambda c: c.start)
    # a city where a later meeting is promised («لاستضافة الدورة … في الرباط», «المقرر عقدها … بعمان») is
    # not where this one was held: from the words that promise it to the sentence's end
    promised: list[tuple[int, int]] = []
    for said_from, said_to in spans:
        cues = [
            m.start()
            for m in (cue.search(text, said_from, said_to) for cue in (_HOST, _FOLLOW_UP, _SCHEDULED, PREPARED))
            if m
        ]
        if cues:
            promised.append((min(cues), said_to))
    held_in = [c for c in cities if span_holding(promised, c.start) is None]
    body = body_start(text)
    parts = meeting_parts(text, spans, at, body, PROPOSED_MOST["meeting"])
    at = _sides(text, at, named, spans, parts, _dateline(text))
    # the parties, each once, where it is first named
    seen: dict[str, PartyAt] = {}
    for p in at:
        seen.setdefault(ref_of(p), p)
    for ref, p in seen.items():
        if not reading.has_room("party"):
            continue
        value: dict[str, Any] = {"ref": ref, "name": p.name}
        if p.party is not None:
            value.update(id=p.party.id, acronym=p.party.acronym, known=True)
        else:
            value.update(acronym=p.acronym, known=False)
        if p.entry is not None:
            value.update(
                key=p.entry.key,
                names=dict(p.entry.names),
                aliases=list(p.entry.aliases),
                kind="state" if p.entry.kind == "state" else "international_organisation",
            )
        reading.propose(Proposal("party", value, p.start, p.end, 0.95 if p.party else 0.6))

    states: dict[str, NameAt] = {}
    for entry in named:
        if entry.kind == "state":
            states.setdefault(entry.key, entry)
    placed_states = [e for e in named if e.kind == "state" and written_as_a_place(text, e)]
    reading.parts = parts
    report = _Told(
        text, published, dates, spans, at, body, held_in, names, states, placed_states, held_beside, promised
    )
    for index, part in enumerate(parts):
        _meeting(report, reading, part, index)
    for span in held_beside:
        _meeting_beside(report, reading, span)
    _participants(text, reading, at, spans)
    _outcomes(text, reading, dates, spans, at, cities, published)
    return reading


@dataclass(frozen=True)
class _Told:
    """What a report tells, read once, that each of its meetings is read from."""

    text: str
    published: date
    dates: list[FoundDate]
    spans: list[tuple[int, int]]  # its sentences
    at: list[PartyAt]
    body: int
    cities: list[NameAt]
    names: Gazetteer
    states: dict[str, NameAt]  # each state the text names, where first named
    placed_states: list[NameAt]  # the states it names as places
    beside: list[tuple[int, int]]  # where it tells of what a meeting was held beside (its days are not this one's)
    promised: list[tuple[int, int]]  # from the words promising a later meeting to their sentence's end


def _meeting(told: _Told, reading: Reading, part: tuple[int, int], index: int) -> None:
    """The meeting of ``part`` of the text (the ``index``-th): the main one first; another takes what its part
    does not say (its days, its city) from the main one."""
    if not reading.has_room("meeting"):
        return
    text, dates, spans = told.text, told.dates, told.spans
    date_spans = [(d.start, d.end) for d in dates]
    main = reading.of("meeting")[0].value if index else None
    heading_end = dateline_end(text, told.body)
    organisations = [(p.start, p.end) for p in told.at if p.party is not None or (p.entry and p.entry.kind != "state")]
    name = meeting_named(text, part, told.body, dates, date_spans, [*organisations, *told.promised])
    kind = name.kind if name else None
    value: dict[str, Any] = {"kind": kind or "other"}
    start, end = (name.start, name.end) if name else (part[0], part[0])
    confidence = 0.7 if kind else 0.3
    if name is not None and name.end > name.start:
        value["title"] = {reading.language: text[name.start : name.end]}
    if name is not None and name.session_number is not None:
        value["session_number"] = name.session_number
    own_days = [d for d in dates if span_holding(told.beside, d.start) is None]
    held = held_when(text, own_days, told.published, part, heading_end, spans)
    if held is not None:
        assert held.first is not None and held.last is not None  # a day or a range found: both ends are set
        value["starts_on"], value["ends_on"] = held.first.isoformat(), held.last.isoformat()
        start, end = (min(start, held.start), max(end, held.end)) if name else (held.start, held.end)
        confidence = min(0.9, confidence + 0.1)
    elif main is not None:
        value["starts_on"], value["ends_on"] = main.get("starts_on"), main.get("ends_on")
    sentence = span_holding(spans, name.start if name else (held.start if held else part[0]))
    other_days = dict.fromkeys(  # the sentences telling of another day than the meeting's
        said
        for d in starting_within(dates, part[0], part[1])
        if d.kind in ("day", "range", "month")
        and held is not None
        and d.first is not None
        and d.last is not None
        and held.first is not None
        and held.last is not None
        and (d.last < held.first or d.first > held.last)
        and (said := span_holding(spans, d.start)) is not None
    )
    if kind == "bilateral_talk" and "session_number" not in value:
        number = _framework_session(told, part, date_spans, held.first.year if held and held.first else None)
        if number is not None:
            value["session_number"] = number
    lede = next((s for s in spans if s[1] > max(part[0], heading_end) and s[0] < part[1]), None)
    city = city_for(text, told.cities, part, sentence, heading_end, told.placed_states, list(other_days), lede)
    if city is not None:
        value.update(city=city.names.get("en") or text[city.start : city.end], time_zone=city.time_zone or "UTC")
        value["country"] = _country_name(city.country, told.names, told.states)
        venue = VENUE.search(text, part[0], part[1])
        value["venue"] = venue.group(1).strip() if venue else value["city"]
    elif main is not None:
        value.update({key: main[key] for key in ("city", "country", "time_zone", "venue") if key in main})
    named = parties_between(told.at, *part)
    series_parties = [p.party.acronym.lower() for p in named if p.party and p.party.acronym][:2]
    if kind and series_parties:
        value["series"] = "-".join(dict.fromkeys(series_parties)) + "-" + kind.replace("_", "-")
    if index:
        value["part"] = {"start": part[0], "end": part[1]}
    reading.propose(Proposal("meeting", value, start, max(start, end), confidence))


def _meeting_beside(told: _Told, reading: Reading, span: tuple[int, int]) -> None:
    """What a meeting was held beside, when the report names it as a meeting and gives its own days and city ("on
    the sidelines of the 40th session of the council in Geneva, on 1 – 3 December"): a meeting too, after those
    of the report's parts (its promises stay with the meeting they are told of)."""
    text = told.text
    start = beside_words_end(text, span[0])
    days = [
        d
        for d in starting_within(told.dates, start, span[1])
        if d.kind in ("day", "range") and d.first is not None and d.last is not None and d.first <= told.published
    ]
    if not days:
        return
    city = next((c for c in starting_within(told.cities, start, span[1]) if written_as_a_place(text, c)), None)
    if city is None or not reading.has_room("meeting"):
        return
    date_spans = [(d.start, d.end) for d in told.dates]
    name = meeting_named(text, (start, span[1]), start, told.dates, date_spans)
    if name is None or name.kind == "bilateral_talk":  # a visit, talks: no meeting of its own
        return
    held = next((d for d in days if d.kind == "range"), days[0])
    assert held.first is not None and held.last is not None  # a day or a range found: both ends are set
    value: dict[str, Any] = {"kind": name.kind or "other", "title": {reading.language: text[name.start : name.end]}}
    number = name.session_number or session_number(text, start, span[1], date_spans)
    if number is not None:
        value["session_number"] = number
    value["starts_on"], value["ends_on"] = held.first.isoformat(), held.last.isoformat()
    value.update(city=city.names.get("en") or text[city.start : city.end], time_zone=city.time_zone or "UTC")
    value["country"] = _country_name(city.country, told.names, told.states)
    value["venue"] = value["city"]
    reading.propose(Proposal("meeting", value, name.start, max(name.end, held.end), 0.5))


_PAST_SESSION = re.compile(
    r"(?<![\w])(?:(?:ال)?(?:سابقة|ماضية|أخيرة)|previous|last|past|preceding)(?![\w])", re.IGNORECASE
)


def _framework_session(
    told: _Told, part: tuple[int, int], date_spans: list[tuple[int, int]], year: int | None
) -> int | None:
    """The numbered session talks are held within ("the ministers met during the 12th session of the joint
    commission", «خلال الدورة الخامسة للجنة المشتركة»): the first its part names, but in a sentence telling of a session
    to come or past, of another year than the meeting's, or of what the meeting was held beside."""
    text = told.text
    for start, end in (sp for sp in told.spans if part[0] <= sp[0] < part[1]):
        if not SESSION.search(text, start, end):
            continue
        if any((d.first.year if d.first else d.year) != year for d in starting_within(told.dates, start, end)):
            continue
        if any(s < end and start < e for s, e in told.beside):
            continue
        if any(p.search(text, start, end) for p in (PREPARED, _FOLLOW_UP, _HOST, _SCHEDULED, _PAST_SESSION)):
            continue
        number = session_number(text, start, end, date_spans)
        if number is not None:
            return number
    return None


# an organisation named to say what another is, not as a side: "a subsidiary organ of the OIC", «التابع للمنظمة»
_DESCRIBED = re.compile(
    r"(?:(?:organ|institution|affiliate|arm|body|agency|member|part)\s+of\s+(?:the\s+)?|"
    # a document it gave its name to: «معاهدة الأمم المتحدة بشأن …», «ميثاق المنظمة»
    r"(?<![\w])(?:ب|ل|و)?(?:ال)?(?:اتفاقية|ميثاق|معاهدة|قرار|قرارات|إعلان|بروتوكول)\s+|"
    r"(?<![\w])(?:التابع|التابعة|المتفرع|المتفرعة|المنبثق|المنبثقة)\s+(?:عن\s+|من\s+|ل(?:ل)?)?)$",
    re.IGNORECASE,
)


# "the United Nations Convention on the Law of the Sea", "the OIC Charter": a document named after an organisation
_A_DOCUMENT = re.compile(r"\s*(?:Convention|Charter|Treaty|Declaration|Resolution|Protocol)\b")


def _longest_first(text: str, found: list[PartyAt], aside: Taken) -> list[PartyAt]:
    """The parties named, a longer name winning over one inside it («منظمة الأغذية والزراعة للأمم المتحدة» over
    «الأمم المتحدة»), a registered party over the gazetteer's entry of the same words, either over a name the
    text only brackets; none named where what a meeting was held beside is named."""
    source = {id(p): 0 if p.party is not None and p.entry is None else (1 if p.entry else 2) for p in found}
    ranked = sorted(found, key=lambda p: (p.start, -(p.end - p.start), source[id(p)]))
    kept: list[PartyAt] = []
    for p in ranked:
        if (kept and p.start < kept[-1].end) or aside.meets(p.start, p.start + 1):
            continue
        if kept and ref_of(kept[-1]) == ref_of(p) and re.fullmatch(r"\s*\(", text[kept[-1].end : p.start]):
            continue  # "the Organization of Islamic Cooperation (OIC)": one party named once
        kept.append(p)
    return [
        p
        for p in kept
        if not _DESCRIBED.search(text, max(0, p.start - 40), p.start) and not _A_DOCUMENT.match(text, p.end)
    ]


def _dateline(text: str) -> int:
    """Where the heading and the dateline end: the places they name are where the report is from."""
    return dateline_end(text, body_start(text))


def _country_name(country: str | None, names: Gazetteer, states: dict[str, NameAt]) -> str:
    """A city's country by its English name: the gazetteer gives its ISO code; the state's names are those of
    the state the report names, or the gazetteer's (the code, if neither has them)."""
    if not country:
        return ""
    if len(country) == 2 and country.isupper():
        state = states.get(country) or next(
            (n for n in names.named(country) if n.kind == "state" and n.key == country), None
        )
        if state is not None:
            return state.names.get("en") or country
    return country


def _participants(text: str, reading: Reading, at: list[PartyAt], spans: list[tuple[int, int]]) -> None:
    for pattern, role in ((_CO_CHAIRED, "co_chair"), (_CHAIRED, "head_of_delegation")):
        cues = list(pattern.finditer(text))
        for index, match in enumerate(cues):
            sentence = span_holding(spans, match.start()) or (match.start(), len(text))
            names_end = min(sentence[1], cues[index + 1].start()) if index + 1 < len(cues) else sentence[1]
            for person in _HONORIFIC.finditer(text, match.end(), names_end):
                if not reading.has_room("participant"):
                    continue
                name = person.group(1).strip(" ،,")
                after = parties_between(at, person.end(), min(sentence[1], person.end() + 160))
                value: dict[str, Any] = {"person": name, "role": role, "meeting": reading.meeting_at(person.start())}
                if after:
                    value["party"] = ref_of(after[0])
                around = text[max(0, match.start() - 20) : match.end() + 20]
                if role == "head_of_delegation" and "رئاسة الاجتماع" in around:
                    value["role"] = "chair"
                reading.propose(Proposal("participant", value, person.start(1), person.end(1), 0.6))
                if role == "head_of_delegation":
                    break


_ADOPTED = re.compile(
    begun(
        "اإأصمتaeت",
        r"(?:ا|إ)عتماد|اعتمد(?:ت|وا|ا)?|أقر(?:ت|وا|ا)?\b|إقرار|(?:ال)?مصادقة|صادق(?:ت|وا|ا)?|تبن(?:ى|ت|وا)|",
        r"adopted|approved|endorsed|adoption\s+of",
    ),
    re.IGNORECASE,
)
_HOST = re.compile(
    begun(
        "لباإستيwtsocehag",
        r"(?:ل|ب)?(?:ا|إ)ستضافة|(?:ل|ب)?احتضان|(?:س|ل)?(?:ت|ي)(?:ستضيف|حتضن)|ستستضيف|ستحتضن|",
        r"(?:will|to|would|shall)\s+host|(?:offered|chosen|selected|elected|agreed)\s+to\s+host|hosting",
    ),
    re.IGNORECASE,
)
_HOSTED = re.compile(  # what is hosted: a session, the next meeting, a summit…
    begun(
        "اندلمقsmcfnse",
        r"(?:ال)?(?:دورة|اجتماع|قمة|مؤتمر|منتدى|ملتقى|نسخة|لجنة)|دورت(?:ها|ه)|",
        r"session|meeting|summit|conference|forum|edition|next|following",
    ),
    re.IGNORECASE,
)
_NEXT = re.compile(  # "the next session", «الدورة المقبلة» (not «العام المقبل»: the next year)
    begun(
        "اندلمقجsmcfnse",
        r"(?:ال)?(?:دورة|اجتماع|قمة|مؤتمر|نسخة|لجنة|جمعية)\s+(?:[^\s،,.]+\s+){0,3}?",
        r"(?:ال)?(?:قادمة|مقبلة|المقبلة|القادمة|التالية|القادم|المقبل|التالي)(?![\w])|",
        r"(?:next|following|subsequent)\s+(?:[\w-]+\s+){0,2}?(?:session|meeting|summit|conference|edition)",
    ),
    re.IGNORECASE,
)


def _outcomes(
    text: str,
    reading: Reading,
    dates: list[FoundDate],
    spans: list[tuple[int, int]],
    at: list[PartyAt],
    cities: list[NameAt],
    published: date,
) -> None:
    meetings = [m.value for m in reading.of("meeting")]
    date_spans = [(d.start, d.end) for d in dates]
    agreed_kinds: set[tuple[int, str]] = set()  # each meeting's agreements of each kind proposed so far
    in_heading: list[Proposal] = []  # agreements and sessions a headline names: the body names them again, most often
    promised_by: set[int] = set()  # the meetings the body tells of a later session of
    body = body_start(text)
    for start, end in clauses(text, spans):
        sentence = text[start:end]
        which = reading.meeting_at(start)
        meeting = meetings[which] if which < len(meetings) else meetings[0]
        adopted = _ADOPTED.search(sentence)
        recommendations = False
        for kind, pattern in _AGREEMENTS:
            match = pattern.search(sentence)
            if match is None:
                continue
            period = next((d for d in starting_within(dates, start, end) if d.kind == "period"), None)
            if kind == "framework" and period is None:
                continue
            if kind == "signed":
                if not SIGNED.search(sentence):
                    continue
                kind = "mou"
            if kind == "resolutions":
                if adopted is None:
                    continue
                kind = "recommendations"
            recommendations = kind == "recommendations"
            if (which, kind) in agreed_kinds and not _ANOTHER_ONE.search(sentence):
                break  # «اعتماد التوصيات» … «التوصيات التي اعتمدت», "the MoU": the one proposed already
            told_before = any(k == "recommendations" for _, k in agreed_kinds)
            if recommendations and told_before and adopted is not None and adopted.start() > match.start():
                break  # "the recommendations adopted in the morning": those of a meeting before
            if not reading.has_room("agreement"):
                break
            value: dict[str, Any] = {
                "kind": kind,
                "title": {reading.language: sentence[match.start() :].strip()[:200]},
                "meeting": which,
            }
            if period is not None and period.first and period.last:
                value["validity"] = {"starts_on": period.first.isoformat(), "ends_on": period.last.isoformat()}
            agreed = _AGREED.search(sentence) is not None or adopted is not None or kind == "mou"
            proposal = Proposal("agreement", value, start, end, 0.75 if agreed else 0.5)  # quoted: its sentence
            if start < body:
                in_heading.append(proposal)
            else:
                agreed_kinds.add((which, kind))
                reading.propose(proposal)
            break
        recurrence = _RECURRENCE.search(sentence)
        if recurrence is not None:
            if not reading.has_room("recurrence"):
                continue
            every = 1 if recurrence.group("yearly") else int(recurrence.group("n") or 2)
            reading.propose(
                Proposal(
                    "recurrence",
                    {"every": every, "unit": "years", "series": meeting.get("series"), "meeting": which},
                    start + recurrence.start(),
                    start + recurrence.end(),
                    0.8,
                )
            )
            continue
        cue = _promised(sentence) or (_HEADLINE_FUTURE.match(sentence) if start < body else None)
        follow_up = _FOLLOW_UP.search(sentence)
        host = _HOST.search(sentence)
        if host is not None and not _hosts_a_meeting(sentence, host):
            host = None
        scheduled = _SCHEDULED.search(sentence)
        if follow_up is None and scheduled is not None:
            follow_up, cue = scheduled, cue or scheduled
        if (follow_up is not None and (cue is not None or SESSION.search(sentence))) or host is not None:
            if not reading.has_room("follow_up"):
                continue
            told_at = min(m.start() for m in (follow_up, host) if m is not None)
            named = parties_between(at, start, end)
            lead = _host_of(named, start + host.start(), start + host.end(), host.group()) if host else None
            if lead is None and named:
                lead = named[0]
            due = _due_of(dates, start, end, published)
            number = session_number(text, start, end, date_spans) or _named_number(text, start, end, date_spans)
            if number is None and meeting.get("session_number") and _NEXT.search(sentence):
                number = meeting["session_number"] + 1  # "the next session" of a numbered series
            venue = _FOLLOW_UP_VENUE.search(sentence, told_at)
            # its city is told after the words promising it («… المقرر عقدها في مايو بعمان»), else in its sentence
            city = next((c for c in cities if start + told_at <= c.start < end), None) or next(
                (c for c in cities if start <= c.start < end), None
            )
            value = {
                "series": meeting.get("series"),
                "session_number": number,
                "due": due[0] if due else None,
                "venue": (venue.group(1) or venue.group(2)).strip() if venue else None,
                "lead": ref_of(lead) if lead else None,
                "text": {reading.language: sentence[told_at:].strip()},
                "meeting": which,
            }
            if city is not None:
                value.update(city=city.names.get("en") or text[city.start : city.end], time_zone=city.time_zone)
                value["venue"] = value["venue"] or value["city"]
            proposal = Proposal("follow_up", value, start, end, 0.8 if number else 0.6)
            if start < body:  # a headline's later session: the body tells of it again, most often
                in_heading.append(proposal)
            else:
                promised_by.add(which)
                reading.propose(proposal)
        elif (
            cue is not None
            and not (recommendations and adopted)
            and not sentence.rstrip().endswith(":")  # "the following items were agreed:" heads a list
            and reading.has_room("commitment")
        ):
            refs = list(dict.fromkeys(ref_of(p) for p in parties_between(at, start, end)))
            due = _due_of(dates, start, end)
            value = {
                "text": {reading.language: sentence[cue.start() :].strip()},
                "lead": refs[0] if refs else None,
                "partners": refs[1:],
                "due": due[0] if due else None,
                "meeting": which,
            }
            confidence = 0.5 + (0.2 if refs else 0) + (0.1 if due else 0)
            reading.propose(Proposal("commitment", value, start, end, round(confidence, 2)))
    for proposal in in_heading:  # what only the headline names
        if proposal.kind == "follow_up":
            if proposal.value["meeting"] not in promised_by:
                promised_by.add(proposal.value["meeting"])
                reading.propose(proposal)
        elif (proposal.value["meeting"], proposal.value["kind"]) not in agreed_kinds:
            agreed_kinds.add((proposal.value["meeting"], proposal.value["kind"]))
            reading.propose(proposal)
    reading.proposals.sort(key=lambda p: (_ORDER.get(p.kind, 0), p.start))


# what a thing "will" do describes it: "the agreement will reinforce …", "the meeting will focus on …", "I am
# confident that this meeting will …"; a party's "will" promises: "Pakistan will provide …"
_A_THING_WILL = re.compile(
    r"(?:(?<![\w])(?:agreement|memorandum|mou|meeting|session|sessions|protocols?|cooperation|partnership|visit|"
    r"signing|it|this|that|minutes|commission|council|forum|conference|talks|event|programme|program|project|"
    r"initiative|plan|accord|treaty|step|move)|confident\s+that\s+[^.,;]{0,60}|\bthat)\s+(?:also\s+|further\s+)?$",
    re.IGNORECASE,
)


def _promised(sentence: str) -> re.Match[str] | None:
    """The first words of the sentence that promise something (``_AGREED``), but a thing's "will"."""
    for cue in _AGREED.finditer(sentence):
        if cue.group().lower().startswith("will") and _A_THING_WILL.search(
            sentence, max(0, cue.start() - 80), cue.start()
        ):
            continue
        return cue
    return None


# a second agreement of a kind the meeting has one of already: "another memorandum", «مذكرة تفاهم ثانية»
_ANOTHER_ONE = re.compile(
    r"(?<![\w])(?:another|second|third|(?:أخرى|ثانية|ثالثة|أيضا|أيضاً))(?![\w])|(?:also|كما)\s+(?:signed|وقع|تم\s+توقيع)",
    re.IGNORECASE,
)
# a headline's future: "UNDP and IsDB to widen their cooperation on water"
_HEADLINE_FUTURE = re.compile(r"(?:[A-Z][\w&.-]*,?\s+(?:and\s+|&\s+)?){1,6}to\s+(?!be\b)[a-z]+")
_ORDER = {kind: order for order, kind in enumerate(PROPOSED_MOST)}


def _named_number(text: str, start: int, end: int, dates: list[tuple[int, int]]) -> int | None:
    """The number of a meeting named with its ordinal: "the fourth consultation", «الاجتماع الرابع»."""
    for named in NAMED_MEETING.finditer(text, start, end):
        number = ordinal_within(text, named.start(), named.end(), dates)
        after = ordinal_at(text, named.end())
        if number is None and after is not None and 0 < after[0] < 1000 and span_holding(dates, after[1] - 1) is None:
            number = after[0]
        if number is not None:
            return number
    return None


_WHICH = re.compile(r"(?<![\w])(?:التي|الذي|اللتين|which|that)\s+$", re.IGNORECASE)


def _hosts_a_meeting(sentence: str, host: re.Match[str]) -> bool:
    """Whether what is hosted is a meeting: named after the words («لاستضافة الدورة …», "to host the next
    session"), or before them, in a clause about it («القمة الـ12 التي تستضيفها الكويت»)."""
    if _HOSTED.search(sentence, host.end(), host.end() + 60) is not None:
        return True
    which = _WHICH.search(sentence, max(0, host.start() - 12), host.start())
    return (
        which is not None
        and _HOSTED.search(sentence, max(0, which.start() - 40), which.start()) is not None
        and _TO_COME.search(sentence) is not None
    )


# a meeting to come, said of one a relative clause tells is hosted («قبيل انعقاد القمة … التي تستضيفها الكويت
# الأحد القادم»); without such words, the meeting the report tells of («في دورتها الـ 9 التي تستضيفها قطر»)
_TO_COME = re.compile(
    r"(?<![\w])(?:(?:ال)?(?:قادم|مقبل|قادمة|مقبلة)|قبيل|next|upcoming|forthcoming|ahead\s+of)(?![\w])", re.IGNORECASE
)


def _host_of(named: list[PartyAt], start: int, end: int, said: str) -> PartyAt | None:
    """Who hosts: «اختيار المملكة المغربية لاستضافة», "Morocco will host" name it before the word; «تستضيف
    المملكة المغربية الدورة» after it."""
    before = [p for p in named if p.end <= start]
    after = [p for p in named if p.start >= end]
    verb_first = said[:1] in "ستي" and not said.startswith("است")
    first, then = (after, before[::-1]) if verb_first else (before[::-1], after)
    chosen = first or then
    return chosen[0] if chosen else None


# a sentence telling who took part: "the following institutions attended the meeting:", «بمشاركة …»
_TOOK_PART = re.compile(
    begun(
        "اشبحمatpd",
        r"(?:ال)?مشارك(?:ة|ين|ون)|بمشاركة|شارك(?:ت|وا)?|حضر(?:ه|ها|ت|وا)?|",
        r"attend(?:ed|ing|ees)?|participa(?:ted|nts?|tion)|took\s+part|delegations?",
    ),
    re.IGNORECASE,
)
_MINISTRY_NAME = re.compile(r"وزارة(?![\w])|Ministry\b")
_CLAUSE_END = re.compile(r"[،,;؛]")
_LISTED_LINE = re.compile(r"[ \t]*(?:[-–—•*·▪]|\d{1,2}[.)])\s*\S")


def _sides(
    text: str,
    at: list[PartyAt],
    named: list[NameAt],
    spans: list[tuple[int, int]],
    parts: list[tuple[int, int]],
    heading_end: int,
) -> list[PartyAt]:
    """The parties named as sides, not merely mentioned: a state the gazetteer finds (and no registered party
    is), or a ministry, is a side when the report names it twice or more (a state also as a place), or in its
    heading, or in the first sentence telling of a meeting, or in a sentence telling who took part (with the list
    it opens: "the following attended:" and its lines) or who hosts a later session; named once elsewhere ("a
    grant from Iraq"), it is what the report talks about. An organisation is a side wherever named
    (but where it names a document, says what another is or convened what a meeting was held beside)."""
    times: dict[str, int] = {}
    for p in at:
        times[ref_of(p)] = times.get(ref_of(p), 0) + 1
    written: dict[str, int] = {}  # every writing of a state, as a side or as a place
    for entry in named:
        if entry.kind == "state":
            written[entry.key] = written.get(entry.key, 0) + 1
    telling = Taken(len(text))
    telling.take(0, heading_end)
    for part in parts:
        first = next((s for s in spans if s[1] > max(part[0], heading_end) and s[0] < part[1]), None)
        if first is not None:
            telling.take(*first)
    listing = False  # in the lines of a list a sentence telling who took part opens
    for start, end in spans:
        if listing and _LISTED_LINE.match(text, start):
            telling.take(start, end)
            continue
        listing = False
        if _HOST.search(text, start, end):  # who hosts a later session is a side of the series
            telling.take(start, end)
        took_part = _TOOK_PART.search(text, start, end)
        if took_part is not None:  # the sentence to the end of the clause that says so
            clause_end = _CLAUSE_END.search(text, took_part.end(), end)
            telling.take(start, clause_end.start() if clause_end else end)
            listing = text[start:end].rstrip().endswith(":")
    return [
        p
        for p in at
        if (p.entry is None and not (p.party is None and _MINISTRY_NAME.match(p.name)))
        or (p.entry is not None and p.entry.kind != "state")
        or times[ref_of(p)] > 1
        or (p.entry is not None and p.entry.kind == "state" and written.get(p.entry.key, 0) > 1)
        or telling.meets(p.start, p.start + 1)
    ]
