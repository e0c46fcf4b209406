"""Reading a meeting report for a coordinator: what it says was held, by whom, and what was agreed.

Every proposal keeps the span of the text it came from (character offsets, ``start``–``end``) and
a confidence from 0 to 1. Nothing here is recorded: the coordinator reviews the proposals, edits
them and confirms them (``application.intake.drafts``). The rules are written for the genre of the shared
samples (press releases of meetings between organisations, in Arabic and English) and measured on
an annotated set of such reports (``tests/reports``, EXTRACTION.md).
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.reading.dates import FoundDate, find_dates
from domain.reading.kinds import SESSION, meeting_kind
from domain.reading.ordinals import may_begin_an_ordinal, ordinal_at
from domain.reading.parties import PartyAt, find_known_parties, find_new_parties, parties_between, ref_of
from domain.reading.places import VENUE, city_in, city_of
from domain.reading.proposals import KnownParty, Proposal, Reading
from domain.reading.spans import Taken, span_holding, starting_within
from domain.reading.words import begun, language_of, sentences, words_of

_AGREED = re.compile(
    begun(
        "اإتأجيسقawcudprs",
        r"(?:ات|إت)فق(?:ا|وا|ت)?\b(?!\s+علي(?:ها|ه)\b)|تم\s+(?:ال)?اتفاق(?!\s+علي(?:ها|ه)\b)|",
        r"(?:تأكيد|أكد|أكدا|أكدوا|جدد|تجديد)\s+(?:ال)?التزام|(?:ي|ت)لتزم|تعهد|سيواصل|ستواصل|سيتم|سوف|",
        r"ستقوم|سيقوم|ستتولى|سيتولى|ستعمل|سيعمل|تتولى|",
        r"قرر|أقر|(?:ي|ت)عتزم|agreed|will\s+(?!be\s+held)|committed|undertook|decided|pledged|resolved\s+to|shall",
    ),
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    begun(
        "عيتادhcsmnf",
        r"(?:عقد|يعقد|تعقد|انعقاد|استضافة)\s+(?:ال)?(?:دورة|اجتماع)|(?:hold|host|convene)\s+the\s+|",
        r"(?:session|meeting|consultation)\s+(?:of\s+[\w\s]+?\s+)?(?:will|shall|would)\s+be\s+(?:held|hosted|convened)|",
        r"(?:next|following)\s+(?:session|meeting)|(?:ال)?دورة\s+(?:ال)?(?:قادمة|مقبلة|المقبلة|القادمة)",
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
        ("mou", begun("مm", r"مذكر(?:ة|ات)\s+(?:ال)?تفاهم|memorand(?:um|a)\s+of\s+understanding")),
        ("joint_statement", begun("ابj", r"(?:ال)?بيان\s+(?:ال)?مشترك|joint\s+(?:statement|communiqu[eé])")),
        ("recommendations", begun("اتr", r"(?:ال)?توصيات|recommendations")),
        (
            "framework",
            begun(
                "اإrscf",
                r"(?:ال)?إطار\s+(?:ال)?(?:إقليمي|استراتيجي|الاستراتيجي|للتعاون|عمل)|",
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


def _due_of(found: list[FoundDate], start: int, end: int) -> tuple[dict[str, Any], FoundDate] | None:
    """The due a sentence states: its first year, day, month or span (None: open-ended)."""
    for item in starting_within(found, start, end):
        if item.kind == "year":
            return {"precision": "year", "value": str(item.year)}, item
        if item.kind == "span":
            return {"precision": "relative", "amount": item.amount, "unit": item.unit}, item
        if item.kind == "month" and item.first:
            return {"precision": "month", "value": item.first.strftime("%Y-%m")}, item
        if item.kind in ("day", "range") and item.last:
            return {"precision": "day", "value": item.last.isoformat()}, item
    return None


def _session_number(text: str, start: int, end: int, dates: list[tuple[int, int]]) -> int | None:
    """The first ordinal of a sentence («الدورة السادسة عشرة», «الدورة الـ 94», "the 50th session",
    "the fourth consultation") that is not part of a date."""
    for word in re.finditer(r"(?<![\w])\w+", text[start:end]):
        at = start + word.start()
        if not may_begin_an_ordinal(word.group()) or span_holding(dates, at) is not None:
            continue
        found = ordinal_at(text, at)
        if found is not None and 0 < found[0] < 1000:
            return found[0]
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


def read_report(text: str, published: date, parties: Iterable[KnownParty]) -> Reading:
    """Every proposal the report's text supports, each with its span and confidence."""
    known_parties = list(parties)
    reading = Reading(language_of(text))
    dates = find_dates(text, published)
    words = words_of(text)
    found = find_known_parties(text, words, known_parties)
    known = [p for p in found if not p.sharing]
    new = find_new_parties(text, found, known_parties)
    in_new = Taken(len(text))
    for n in new:
        in_new.take(n.start, n.end)
    at = sorted([k for k in known if not in_new.meets(k.start, k.start + 1)] + new, key=lambda p: p.start)
    spans = sentences(text)
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
        reading.propose(Proposal("party", value, p.start, p.end, 0.95 if p.party else 0.6))

    _meeting(text, reading, dates, spans, at, published)
    _participants(text, reading, at, spans)
    _outcomes(text, reading, dates, spans, at)
    return reading


def _meeting(
    text: str,
    reading: Reading,
    dates: list[FoundDate],
    spans: list[tuple[int, int]],
    at: list[PartyAt],
    published: date,
) -> None:
    kind = meeting_kind(text)
    value: dict[str, Any] = {"kind": kind[0] if kind else "other"}
    start, end = (kind[1], kind[2]) if kind else (0, 0)
    confidence = 0.7 if kind else 0.3
    if kind:
        line_start = text.rfind("\n", 0, kind[1]) + 1
        line_end = min([i for i in (text.find("\n", kind[1]), text.find("،", kind[1])) if i > 0] or [len(text)])
        title_start = line_start if kind[0] == "bilateral_talk" and line_start == 0 else kind[1]
        title_end = min(line_end, title_start + 160)
        value["title"] = {reading.language: text[title_start:title_end].strip(" .")}
        number = ordinal_at(text, kind[2])
        if number is not None and number[1] - kind[2] < 30:
            value["session_number"] = number[0]
    held = _held(text, dates, published)
    if held is not None:
        assert held.first is not None and held.last is not None  # a day or a range found: both ends are set
        value["starts_on"], value["ends_on"] = held.first.isoformat(), held.last.isoformat()
        start, end = (min(start, held.start), max(end, held.end)) if kind else (held.start, held.end)
        confidence = min(0.9, confidence + 0.1)
    city = city_in(text)
    if city is not None:
        name, country, zone = city_of(city[0]) or (city[0], "", "UTC")
        value.update(city=name, country=country, time_zone=zone)
        venue = VENUE.search(text)
        value["venue"] = venue.group(1).strip() if venue else name
    series_parties = [p.party.acronym.lower() for p in at if p.party is not None and p.party.acronym][:2]
    if kind and series_parties:
        value["series"] = "-".join(dict.fromkeys(series_parties)) + "-" + kind[0].replace("_", "-")
    reading.propose(Proposal("meeting", value, start, end, confidence))


_HELD = re.compile(
    begun(
        "عاوhmtocrs",
        r"عقد|عُقد|انعقد|انطلق|اختتم|استقبل|وقع|held|met|took\s+place|opened|",
        r"concluded|received|signed",
    ),
    re.IGNORECASE,
)


def _held(text: str, dates: list[FoundDate], published: date) -> FoundDate | None:
    """When the meeting was held: a day or range no later than the publication, first one written in a
    sentence that says it was held, else the first range, else the first day after the dateline."""
    candidates = [d for d in dates if d.kind in ("range", "day") and d.first and d.first <= published]
    dateline_end = len("\n".join(text.split("\n")[:2]))
    said = [m.start() for m in _HELD.finditer(text)]  # each place a text says "held", found once
    stops = [m.start() for m in re.finditer(r"[.\n]", text)]
    for found in candidates:
        before = bisect_left(stops, found.start)  # the last full stop or line break before the date
        sentence_start = stops[before - 1] + 1 if before else 0
        if found.start > dateline_end and _said_between(said, sentence_start, found.start):
            return found
    ranges = [d for d in candidates if d.kind == "range"]
    later = [d for d in candidates if d.start > dateline_end]
    chosen = ranges or later or candidates
    return chosen[0] if chosen else None


def _said_between(said: list[int], start: int, end: int) -> bool:
    first = bisect_left(said, start)
    return first < len(said) and said[first] < end


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
                value: dict[str, Any] = {"person": name, "role": role}
                if after:
                    value["party"] = ref_of(after[0])
                around = text[max(0, match.start() - 20) : match.end() + 20]
                if role == "head_of_delegation" and "رئاسة الاجتماع" in around:
                    value["role"] = "chair"
                reading.propose(Proposal("participant", value, person.start(1), person.end(1), 0.6))
                if role == "head_of_delegation":
                    break


def _outcomes(
    text: str, reading: Reading, dates: list[FoundDate], spans: list[tuple[int, int]], at: list[PartyAt]
) -> None:
    meeting = reading.of("meeting")[0].value
    date_spans = [(d.start, d.end) for d in dates]
    for start, end in clauses(text, spans):
        sentence = text[start:end]
        for kind, pattern in _AGREEMENTS:
            match = pattern.search(sentence)
            if match is None:
                continue
            period = next((d for d in starting_within(dates, start, end) if d.kind == "period"), None)
            if kind == "framework" and period is None:
                continue
            if not reading.has_room("agreement"):
                break
            value: dict[str, Any] = {"kind": kind, "title": {reading.language: sentence[match.start() :].strip()[:200]}}
            if period is not None and period.first and period.last:
                value["validity"] = {"starts_on": period.first.isoformat(), "ends_on": period.last.isoformat()}
            agreed = _AGREED.search(sentence) is not None
            reading.propose(Proposal("agreement", value, start + match.start(), end, 0.75 if agreed else 0.5))
            break
        recurrence = _RECURRENCE.search(sentence)
        if recurrence is not None:
            if not reading.has_room("recurrence"):
                continue
            every = 1 if recurrence.group("yearly") else int(recurrence.group("n") or 2)
            reading.propose(
                Proposal(
                    "recurrence",
                    {"every": every, "unit": "years", "series": meeting.get("series")},
                    start + recurrence.start(),
                    start + recurrence.end(),
                    0.8,
                )
            )
            continue
        cue = _AGREED.search(sentence)
        follow_up = _FOLLOW_UP.search(sentence)
        if follow_up is not None and (cue is not None or SESSION.search(sentence)):
            if not reading.has_room("follow_up"):
                continue
            named = parties_between(at, start, end)
            due = _due_of(dates, start, end)
            number = _session_number(text, start, end, date_spans)
            venue = _FOLLOW_UP_VENUE.search(sentence, follow_up.start())
            value = {
                "series": meeting.get("series"),
                "session_number": number,
                "due": due[0] if due else None,
                "venue": (venue.group(1) or venue.group(2)).strip() if venue else None,
                "lead": ref_of(named[0]) if named else None,
                "text": {reading.language: sentence[follow_up.start() :].strip()},
            }
            reading.propose(Proposal("follow_up", value, start, end, 0.8 if number else 0.6))
        elif cue is not None and reading.has_room("commitment"):
            refs = list(dict.fromkeys(ref_of(p) for p in parties_between(at, start, end)))
            due = _due_of(dates, start, end)
            value = {
                "text": {reading.language: sentence[cue.start() :].strip()},
                "lead": refs[0] if refs else None,
                "partners": refs[1:],
                "due": due[0] if due else None,
            }
            confidence = 0.5 + (0.2 if refs else 0) + (0.1 if due else 0)
            reading.propose(Proposal("commitment", value, start, end, round(confidence, 2)))
