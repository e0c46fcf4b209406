"""The meetings a report tells of, each in its part of the text: where the report's heading ends, where a
second meeting begins, and each meeting's name (its title), session number, kind, days and city.

A report often opens with a headline and a dateline before its first sentence; the meeting's own name is
read from the body («أعمال الدورة العاشرة للجنة …»), the headline only when the body names none. A part
begins where a sentence tells of another meeting held: one of the verbs of meeting («التقى», «استقبل»,
«عقد», "met", "held", "received") with a word saying it is another («كما», «على هامش», «في وقت لاحق»,
"also", "later", "separately", "on the sidelines") and a party the text before did not name.
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.reading.dates import FoundDate
from domain.reading.kinds import KIND_PATTERNS, SESSION, meeting_kind
from domain.reading.ordinals import may_begin_an_ordinal, ordinal_at
from domain.reading.parties import PartyAt, ref_of
from domain.reading.spans import span_holding, starting_within
from domain.reading.words import begun

_BESIDE = re.compile(
    begun("عoi", r"على\s+هامش|on\s+the\s+(?:sidelines|margins?)\s+of|in\s+the\s+margins?\s+of"), re.IGNORECASE
)


def beside(text: str) -> list[tuple[int, int]]:
    """The phrases naming what a meeting was held beside («على هامش الدورة … لمنظمة التعاون الإسلامي», "on the
    sidelines of …"), to the next comma: who is named there convened that, not this meeting."""
    spans = []
    for match in _BESIDE.finditer(text):
        end = re.compile(r"[،,.\n]").search(text, match.end())
        spans.append((match.start(), end.start() if end else len(text)))
    return spans


def beside_words_end(text: str, at: int) -> int:
    """Where the words «على هامش», "on the sidelines of" that begin at ``at`` end."""
    said = _BESIDE.match(text, at)
    return said.end() if said else at


_BODY_LINE_WORDS = 12  # a line of the body: this many words, or a sentence's end after half as many


LISTED_LINE = re.compile(r"[ \t]*[•▪◦●■·*–-][ \t]")  # a line of a list: «• …», "- …"


def body_start(text: str) -> int:
    """Where the body begins: the first line that reads as prose (a clause break inside it, or a sentence's
    end closing it, or many words), past a headline, a dateline, a site's menu or its list of other headlines
    («• …» lines) (0, if no line does)."""
    at = 0
    for line in text.split("\n"):
        words = len(line.split())
        if LISTED_LINE.match(line):  # «• …»: a site's list of other headlines
            at += len(line) + 1
            continue
        closed = re.search(r"\w[.!?؟]\s*$", line) is not None  # a headline's « .» after a space is no sentence's end
        inside = re.search(r"(?<!\.)[.،,؛:]\s", line.rstrip(" .")) is not None  # not an ellipsis «..»
        if words >= 2 * _BODY_LINE_WORDS or (words >= _BODY_LINE_WORDS // 2 and (closed or inside)):
            return at
        at += len(line) + 1
    return 0


# up to eight words, each ending at a space, then a dash between spaces (not a range's «18 - 20») or a colon
_DATELINE = re.compile(r"[^\s.،:]+(?:[ \t]+[^\s.،:]+){0,7}?(?:(?<!\d)[ \t][-–—]{1,2}[ \t](?!\d)|:[ \t])")


def dateline_end(text: str, body: int) -> int:
    """Where the heading and the dateline that opens the body («طرابلس - 15 أبريل 2025 (وال) –», "AMMAN —")
    end."""
    dateline = _DATELINE.match(text, body)
    return dateline.end() if dateline else body


_MET = begun(  # a meeting held (not a matter discussed: «كما بحث الجانبان …» goes on with the same meeting)
    "اعمhmrc",
    r"التق(?:ى|ت)|استقبل(?:ت)?|(?:ان)?عق(?:د|دت)|اجتمع(?:ت)?|",
    r"met|held|received|convened",
)
_ANOTHER = re.compile(
    begun(
        "كعفوماaloisdt",
        r"كما\s+(?:" + _MET + r")|على\s+هامش|(?:و)?في\s+(?:وقت\s+لاحق|لقاء\s+آخر|اجتماع\s+آخر|لقاء\s+منفصل|",
        r"اجتماع\s+منفصل)|(?:و)?من\s+جهة\s+أخرى|",
        r"(?:also|later|separately|subsequently|afterwards|then)\s+(?:" + _MET + r")|",
        r"in\s+(?:a\s+)?(?:separate|another|second)\s+meeting|on\s+the\s+sidelines|",
        r"(?:the\s+same|that)\s+(?:day|afternoon|evening)",
    ),
    re.IGNORECASE,
)
_MEETING_VERB = re.compile(_MET, re.IGNORECASE)


def meeting_parts(
    text: str, spans: list[tuple[int, int]], at: list[PartyAt], body: int, most: int
) -> list[tuple[int, int]]:
    """The parts of the text, one for each meeting it tells of (at most ``most``), the first from its start."""
    starts = [0]
    named: set[str] = set()
    seen = 0  # the parties of ``at`` counted in ``named`` so far
    first_told = False
    for start, end in spans:
        while seen < len(at) and at[seen].start < start:
            named.add(ref_of(at[seen]))
            seen += 1
        if start < body:
            continue
        if not first_told:
            first_told = bool(_MEETING_VERB.search(text, start, end) or meeting_kind(text, start, end))
            continue
        cue = _ANOTHER.search(text, start, end)
        if cue is None or cue.start() - start > 80 or _MEETING_VERB.search(text, start, end) is None:
            continue
        others = {ref_of(p) for p in starting_within(at, start, end)} - named
        if others and len(starts) < most:
            starts.append(start)
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(text)], strict=True)]


@dataclass(frozen=True)
class Named:
    """A meeting's name as the text writes it, where, and what its words say."""

    kind: str | None
    start: int
    end: int
    session_number: int | None


_TITLE_STOP = re.compile(
    r"[\n.،,;:(\"«»“”]|\s[-–—]\s|(?<![\w])(?:التي|الذي|المنعقد|المنعقدة|المقرر|المقررة|المزمع|بمشاركة|برئاسة|"
    r"تحت|بحضور|يوم|يومي|خلال|اليوم|أمس|في|بمقر|على|وذلك|"
    r"was|were|is|are|has|have|had|will|which|that|held|in|at|from|chaired|hosted|took|by|"
    r"concluded|opened|met|adopted|signed|began|ended|discussed|agreed|decided|reviewed|convened|closed|"
    r"on\s+(?:the\s+)?(?:sidelines|margins?|\d|[A-Z][a-z]+day))(?![\w])",
    re.IGNORECASE,
)
NAMED_MEETING = re.compile(
    begun(
        "اللجموقندtcsmfsTCSMF",
        # (not a person's title: «رئيس مجلس الوزراء» is the prime minister)
        r"(?<!رئيس\s)(?<!رئيسة\s)(?<!عضو\s)(?<!أعضاء\s)",
        r"(?<![\w])(?:ال)?(?:لجنة|اجتماع|مؤتمر|ملتقى|منتدى|قمة|ندوة|مجلس)(?:ها|هما|ه|ات|ا)?(?![\w])|",
        r"(?<![\w])(?:(?:the\s+)?(?:\d{1,3}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)\s+)?",
        r"(?:ordinary\s+|regular\s+|annual\s+)?",
        r"(?:meeting|session|conference|summit|forum|committee|council|consultations?)\b",
    ),
    re.IGNORECASE,
)
_SESSION_ADJECTIVES = re.compile(
    r"\s*(?:(?:ال)?(?:عادية|العادية|الاستثنائية|استثنائية|السنوية|الوزارية|العامة)|ordinary|regular|annual|"
    r"extraordinary|ministerial)(?![\w])",
    re.IGNORECASE,
)


def ordinal_within(text: str, start: int, end: int, dates: list[tuple[int, int]]) -> int | None:
    """The first ordinal from ``start`` to ``end`` that is not part of a date («الدورة السادسة عشرة», «الدورة
    الـ 94», "the 50th session", "the fourth consultation")."""
    for word in re.finditer(r"(?<![\w])\w+", text[start:end]):
        at = start + word.start()
        if not may_begin_an_ordinal(word.group()) or span_holding(dates, at) is not None:
            continue
        found = ordinal_at(text, at)
        if found is not None and 0 < found[0] < 1000:
            return found[0]
    return None


def session_number(text: str, start: int, end: int, dates: list[tuple[int, int]]) -> int | None:
    """The number of the session a passage names: after «الدورة» / «دورتها» / "session" (past its adjectives:
    «في دورتها العادية الخمسين»), or before it ("the 50th ordinary session")."""
    for session in SESSION.finditer(text, start, end):
        after = session.end()
        for _ in range(2):
            adjective = _SESSION_ADJECTIVES.match(text, after)
            if adjective is None:
                break
            after = adjective.end()
        found = ordinal_at(text, after)
        near = found is not None and 0 < found[0] < 1000 and found[1] - after < 30
        if found is not None and near and span_holding(dates, after + 1) is None:
            return found[0]
        before = ordinal_within(text, max(start, session.start() - 40), session.start(), dates)
        if before is not None and re.search(r"[a-z]", session.group(), re.IGNORECASE):
            return before
    return None


_KIND_WORDS = dict(KIND_PATTERNS)
# a later meeting this one prepares: «تحضيرا للدورة الرابعة», "in preparation for the 9th session"
PREPARED = re.compile(
    begun("الإتpa", r"(?:لل|ال)?(?:إعداد|اعداد|تحضير)ا?\s+ل|(?:in\s+)?preparation\s+for|preparing\s+for|ahead\s+of"),
    re.IGNORECASE,
)


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, sorted and those that overlap merged into one (as ``span_holding`` asks)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def meeting_named(
    text: str,
    part: tuple[int, int],
    body: int,
    dates: list[FoundDate],
    date_spans: list[tuple[int, int]],
    aside: Sequence[tuple[int, int]] = (),
) -> Named | None:
    """The meeting's name in its part: the first wording of a kind or a session in the body (in the heading,
    if the body has none), to where the name ends (a comma, a date, «التي», «في», "held", "in" …). A word of
    a meeting ``aside`` names none: in an organisation's name («مجلس التعاون الخليجي»), or after the words
    promising a later meeting ("Kenya will chair a meeting of trade ministers next year")."""
    regions = [(max(part[0], body), part[1])] + ([(part[0], body)] if part[0] < body else [])
    apart = _merged(aside)
    for start, end in regions:
        kind = meeting_kind(text, start, end)
        session = SESSION.search(text, start, end)
        named = next((m for m in NAMED_MEETING.finditer(text, start, end) if not span_holding(apart, m.start())), None)
        begins = [m for m in (kind and kind[1], session and session.start(), named and named.start()) if m is not None]
        if not begins:
            continue
        title_start = min(begins)
        if kind is not None and kind[1] - title_start > 60 and not re.search(r"[.\n]", text[title_start : kind[1]]):
            title_start = kind[1]  # a kind far after another meeting's word, in its sentence
        title_start = _back_to_the_ordinal(text, title_start, start)
        if kind is not None and kind[0] == "bilateral_talk" and (kind[1] == title_start or _generic(text, title_start)):
            return _talks(text, kind, part, body)
        first_word_end = max(title_start + 3, kind[2] if kind and kind[1] == title_start else title_start + 3)
        stop = _TITLE_STOP.search(text, first_word_end, min(end, title_start + 160))
        held = next((d.start for d in starting_within(dates, title_start, end)), end)
        title_end = min(stop.start() if stop else min(end, title_start + 160), held)
        while title_end > title_start and not text[title_end - 1].isalnum():
            title_end -= 1
        while re.match(r"(?:the|of|and)\s", text[title_start:title_end], re.IGNORECASE):  # "the 33rd session"
            title_start = text.index(" ", title_start) + 1
        title_end = _without_a_last_small_word(text, title_start, title_end)
        number = ordinal_within(text, title_start, title_end, date_spans)
        if number is None:  # in the rest of its sentence, up to a later session it prepares
            sentence_end = next((m.start() for m in re.finditer(r"[.\n]", text[title_start:end])), end - title_start)
            prepares = PREPARED.search(text, title_start, title_start + sentence_end)
            number = session_number(
                text, title_start, prepares.start() if prepares else title_start + sentence_end, date_spans
            )
        if number is None and kind is not None and start > part[0]:  # the headline may number what the body names
            in_heading = _KIND_WORDS[kind[0]].search(text, part[0], start)
            if in_heading is not None:
                number = ordinal_within(text, in_heading.end(), min(start, in_heading.end() + 30), date_spans)
        return Named(kind[0] if kind else None, title_start, title_end, number)
    return None


_GENERIC = re.compile(r"(?:the\s+)?(?:meeting|session|talks)(?![\w-])|(?:ال)?(?:اجتماع|لقاء|دورة)(?![\w])", re.I)


def _generic(text: str, at: int) -> bool:
    """Whether a meeting is named here only by a common noun: "the meeting", «الاجتماع»."""
    found = _GENERIC.match(text, at)
    return found is not None and not re.match(r"\s+(?:of|for|on|ل|\w+ية)", text[found.end() : found.end() + 12])


_DATED = re.compile(r"\d")  # a dateline («تونس في 3 ديسمبر 2024»), not a headline


def _talks(text: str, kind: tuple[str, int, int], part: tuple[int, int], body: int) -> Named:
    """Talks have no name: the headline says what they were, or else the sentence that tells of them."""
    lines = [line.strip(" .") for line in text[part[0] : body].split("\n")] if part[0] < body else []
    headline = next((line for line in lines if len(line.split()) >= 4 and not _DATED.search(line)), None)
    if headline is not None:
        at = text.find(headline, part[0])
        return Named(kind[0], at, at + len(headline), None)
    start = max(part[0], text.rfind(".", part[0], kind[1]) + 1, text.rfind("\n", part[0], kind[1]) + 1)
    while start < kind[1] and text[start].isspace():
        start += 1
    stop = re.compile(r"[.\n]").search(text, kind[2], min(part[1], start + 200))
    end = stop.start() if stop else min(part[1], start + 160)
    return Named(kind[0], start, _without_a_last_small_word(text, start, min(end, start + 160)), None)


def _without_a_last_small_word(text: str, start: int, end: int) -> int:
    """ "the 33rd session of": the name ends before its last small word."""
    last = re.search(r"\s+(?:of|the|and|for|on|with|و|ل)$", text[start:end], re.IGNORECASE)
    return start + last.start() if last else end


_BEFORE_A_SESSION = re.compile(r"(?:the\s+)?(\d{1,3}(?:st|nd|rd|th)|[A-Za-z]+(?:-[A-Za-z]+)?)\s+$")


def _back_to_the_ordinal(text: str, at: int, start: int) -> int:
    """ "the 50th General Assembly", "The 26th Meeting": the name begins at its ordinal."""
    before = _BEFORE_A_SESSION.search(text, max(start, at - 30), at)
    if before and ordinal_at(text, before.start(1)) is not None:
        return before.start(1)
    return at


_HELD = re.compile(
    begun(
        "عاوبشأhmtocrsf",
        r"عقد|عُقد|انعقد|انطلق|اختتم|استقبل|وقع|بدأت|بدأ|شارك|أشرف|held|met|took\s+place|opened|",
        r"concluded|received|signed|began|started",
    ),
    re.IGNORECASE,
)


# a sentence telling of a meeting held before: "the previous meeting, in Dakar in May", «في الدورة الماضية»
_PREVIOUS_MEETING = re.compile(
    r"(?<![\w])(?:(?:previous|preceding|last|past)\s+(?:session|meeting|talks|round|edition)|"
    r"(?:ال)?(?:دورة|اجتماع|جولة|لقاء|قمة)\s+(?:ال)?(?:سابقة|سابق|ماضية|ماضي|أخيرة|أخير)(?![\w]))",
    re.IGNORECASE,
)
HISTORY = 366  # days: a day written this long before the latest day a report writes tells of its history


def held_when(
    text: str,
    dates: list[FoundDate],
    published: date,
    part: tuple[int, int],
    heading_end: int,
    spans: list[tuple[int, int]],
) -> FoundDate | None:
    """When the meeting of a part was held: a day or range no later than the publication, and not a day of the
    report's history (one written more than a year before the latest day it writes: «تأسس المعهد في 3 مايو
    1981»). The first one written in the part's first sentence, else in a sentence that says it was held (the
    range holding it, if one does: «اختتمت أمس … التي انعقدت يومي 8 و9»); else the dateline's (the last day of
    the heading: the day the report is written from); else the first one after the heading. A sentence telling
    of a previous session ("the previous meeting took place in Dakar on 4 May") gives none. A day of a meeting
    of several days is one end of them (``_over_its_days``)."""
    every = [d for d in dates if d.kind in ("range", "day") and d.first and d.first <= published]
    latest = max((d.last or d.first for d in every if d.first), default=None)
    recent = [d for d in every if latest is None or d.first is None or (latest - d.first).days <= HISTORY]
    candidates = list(starting_within(recent, part[0], part[1]))
    if not candidates and part[0] > 0:
        return None
    said = [m.start() for m in _HELD.finditer(text, part[0], part[1])]  # each place a text says "held", found once
    told = [s for s in spans if s[1] > max(heading_end, part[0]) and s[0] < part[1]]
    lede = told[0] if told else None

    def sentence_of(found: FoundDate) -> tuple[int, int]:
        return span_holding(spans, found.start) or (found.start, found.end)

    def written_or_holding(found: FoundDate) -> FoundDate:
        # a range the sentence writes («اختتمت اليوم … التي انعقدت من 28 نوفمبر إلى 1 ديسمبر»), else the range
        # holding the day («اختتمت أمس … يومي 8 و9»), else the day
        start, end = sentence_of(found)
        day = found.first or published
        ranges = [d for d in candidates if d.kind == "range"]
        written = [d for d in ranges if start <= d.start < end]
        holding = [d for d in ranges if (d.first or day) <= day <= (d.last or day)]
        return (written or holding or [found])[0]

    previous = {  # the sentences telling of a previous meeting: their days are its, not this one's
        span_holding(spans, m.start()) for m in _PREVIOUS_MEETING.finditer(text, part[0], part[1])
    }
    body = [d for d in candidates if d.start >= heading_end and span_holding(spans, d.start) not in previous]
    in_lede = [d for d in body if lede is not None and lede[0] <= d.start < lede[1]]
    said_held = [d for d in body if _said_between(said, sentence_of(d)[0], d.start)]
    heading = [d for d in recent if d.start < heading_end] if part[0] == 0 else []
    if in_lede or said_held:
        held = written_or_holding((in_lede or said_held)[0])
    elif heading or body:
        held = heading[-1] if heading else body[0]
    else:
        return None
    return _over_its_days(text, held, dates, published, part, spans)


_LASTING = re.compile(
    r"(?<![\w])(?P<en>two|three|four|five|[2-5])[-\s]days?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:visit|talks|meetings?|sessions?|summit|conference|forum|workshop|consultations|retreat|event|mission)(?![\w])|"
    r"(?:على\s+(?:مدى|مدار)|لمدة|تستغرق|استغرقت|تستمر|استمرت|دامت|تدوم|امتدت)\s+"
    r"(?P<ar>يومين|(?:ثلاثة|أربعة|خمسة|[2-5])\s+أيام)(?![\w])",
    re.IGNORECASE,
)
_DAYS_IN = {"two": 2, "three": 3, "four": 4, "five": 5, "يومين": 2, "ثلاثة": 3, "أربعة": 4, "خمسة": 5}
_BEGAN = re.compile(
    r"(?<![\w])(?:begins?|began|opens?|opened|starts?|started|starting|kicked\s+off|kicks\s+off)(?![\w])|"
    r"(?<![\w])[وف]?(?:انطلق|انطلقت|تنطلق|افتتح|افتتحت|بدأت|بدأ|تبدأ|يبدأ)(?![\w])",
    re.IGNORECASE,
)


def _over_its_days(
    text: str,
    held: FoundDate,
    dates: list[FoundDate],
    published: date,
    part: tuple[int, int],
    spans: list[tuple[int, int]],
) -> FoundDate:
    """A day of a meeting of several: from the day the part says it began («بعد جلسات بدأت في 8 سبتمبر») to
    this one; else over as many days as the part says it lasted, this one the first where the words
    say it began or goes on («تستضيفها قطر على مدى يومين», or it is the publication's day), the last where
    they say it ended or nothing says ("the two-day talks", "which ends today"). A range, or a day of a meeting of
    one day, as it is."""
    if held.kind != "day" or held.first is None:
        return held
    for began in starting_within(dates, part[0], part[1]):
        if (
            began.kind == "day"
            and began.first is not None
            and 0 < (held.first - began.first).days <= 14
            and _BEGAN.search(text, max(part[0], began.start - 24), began.start)
        ):
            return replace(held, kind="range", first=began.first)
    lasting = _LASTING.search(text, part[0], part[1])
    if lasting is None:
        return held
    said = (lasting.group("en") or lasting.group("ar")).split()[0].lower()
    days = int(said) if said.isdigit() else _DAYS_IN.get(said, 2)
    sentence = span_holding(spans, held.start) or (held.start, held.end)
    lasting_sentence = span_holding(spans, lasting.start()) or (lasting.start(), lasting.end())
    ended = any(_ENDED.search(text, *s) for s in (sentence, lasting_sentence))
    going_on = _GOING_ON.search(text, *lasting_sentence) or held.first == published
    if _BEGAN.search(text, sentence[0], held.start) or (going_on and not ended):
        return replace(held, kind="range", last=held.first + timedelta(days=days - 1))
    return replace(held, kind="range", first=held.first - timedelta(days=days - 1))


_ENDED = re.compile(  # (a meeting that "lasted" two days has ended: «زيارة استمرت يومين»)
    r"(?<![\w])(?:ends?|ended|ending|concluded|concludes|closed|closes|wrapped\s+up|wraps\s+up|wound\s+up|lasted)"
    r"(?![\w])|(?<![\w])[وف]?(?:اختتم|اختتمت|يختتم|تختتم|اختتام|ختام|انتهت|انتهى|تنتهي|ينتهي|أنهى|أنهت|ينهي|تنهي|"
    r"استمرت|استمر|دامت|دام|استغرقت|استغرق)(?![\w])",
    re.IGNORECASE,
)
# a meeting said to go on: «التي تستضيفها قطر على مدى يومين», "the talks, which continue until Thursday"
_GOING_ON = re.compile(
    r"(?<![\w])(?:continues?|runs|is\s+being\s+held|are\s+being\s+held|will\s+last|lasts)(?![\w])|"
    r"(?<![\w])[وف]?(?:تستضيف|يستضيف|تستمر|يستمر|تتواصل|يتواصل|تنعقد|ينعقد|تجري|يجري)\w*",
    re.IGNORECASE,
)


def _said_between(said: list[int], start: int, end: int) -> bool:
    first = bisect_left(said, start)
    return first < len(said) and said[first] < end
