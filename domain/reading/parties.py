"""The parties a report names: those registered already (by acronym or name) and new ones (an organisation
with its acronym, a ministry), each where it is named."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from domain.meetings.matrix_import import name_key
from domain.reading.names import NameAt
from domain.reading.proposals import KnownParty
from domain.reading.spans import Taken, begins_with, starting_within
from domain.reading.words import Word


@dataclass(frozen=True)
class PartyAt:
    party: KnownParty | None
    acronym: str | None
    name: str
    start: int
    end: int
    sharing: tuple[KnownParty, ...] = ()  # an alias these parties share: it names none of them
    entry: NameAt | None = None  # the gazetteer's entry of a party registered under none of its names


def find_known_parties(text: str, words: list[Word], parties: Sequence[KnownParty]) -> list[PartyAt]:
    """The registered parties the text names, by name, alias or acronym. A party's name wins over
    another's alias; of parties named so, the first wins; an alias two parties share (and no party's
    name) is found as naming neither (``sharing``)."""
    found: list[PartyAt] = []
    # a name's first word -> its length in words -> the names of that length -> the parties it names
    by_first: dict[str, dict[int, dict[tuple[str, ...], tuple[KnownParty, ...]]]] = {}
    for party in parties:
        for name in party.names:
            keys = tuple(name_key(name).split())
            if keys:
                by_first.setdefault(keys[0], {}).setdefault(len(keys), {}).setdefault(keys, (party,))
    aliased: dict[tuple[str, ...], list[KnownParty]] = {}
    for party in parties:
        for alias in party.aliases:
            keys = tuple(name_key(alias).split())
            if keys and party not in (sharing := aliased.setdefault(keys, [])):
                sharing.append(party)
    for keys, sharing in aliased.items():
        by_first.setdefault(keys[0], {}).setdefault(len(keys), {}).setdefault(keys, tuple(sharing))
    longest_first = {first: sorted(lengths.items(), reverse=True) for first, lengths in by_first.items()}
    for index, word in enumerate(words):
        for length, names in longest_first.get(word.key, ()):
            named = names.get(tuple(w.key for w in words[index : index + length]))
            if named is not None:
                end = words[index + length - 1].end
                if len(named) == 1:
                    found.append(PartyAt(named[0], named[0].acronym, text[word.start : end], word.start, end))
                else:
                    found.append(PartyAt(None, None, text[word.start : end], word.start, end, named))
                break
    acronyms = {party.acronym.casefold(): party for party in parties if party.acronym}
    for match in re.finditer(r"(?<![\w])([A-Z][A-Za-z]{1,9})(?![\w])", text):
        acronym_of = acronyms.get(match.group(1).casefold())
        if acronym_of is not None and match.group(1).isupper():
            found.append(PartyAt(acronym_of, acronym_of.acronym, match.group(1), match.start(1), match.end(1)))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PartyAt] = []
    for at in found:
        if kept and at.start < kept[-1].end:  # inside a longer name already found
            continue
        kept.append(at)
    return kept


_NEW_NAME = re.compile(
    begins_with(*"امولجصب") + r"((?:ال)?(?:منظمة|مكتب|مركز|وكالة|الوكالة|اللجنة|لجنة|جامعة|"
    r"المنظمة|صندوق|برنامج|وزارة|البنك|بنك|المعهد|معهد|الاتحاد|اتحاد)(?:\s+[^\s()،,.]+){1,7})\s*\(([A-Z][A-Za-z]{1,9})\)"
)
_NEW_NAME_EN = re.compile(
    r"(?=[tA-Z])((?:the\s+)?(?:[A-Z][a-z]+(?:\s+(?:of|for|and|on|the)\s+|\s+)){1,8}"
    r"[A-Z][a-z]+)\s*\(([A-Z][A-Za-z]{1,9})\)"
)
# what makes a capitalised name an organisation's, not a document's or a meeting's ("Memorandum of Understanding
# (MoU)", "Regional Coordination Mechanism (RCM)", "Islamic Conference of Foreign Ministers (ICFM)")
_BODY_WORD = re.compile(
    r"\b(?:Organi[sz]ation|Agency|Bank|Fund|Office|Cent(?:re|er)|Commission|Council|Union|League|Institute|"
    r"Programme|Program|Association|Federation|Chamber|Secretariat|Authority|Ministry|Court|University|Academy|"
    r"Foundation|Observatory|Network|Committee|Corporation|Group|Board|Directorate|Department|Body|Society)\b"
)
# an organisation of states named by their adjective: «منظمة الدول التركية», «رابطة الدول المستقلة»
_STATES_BODY = re.compile(
    begins_with(*"امرجتوبل") + r"(?<![\w])(?:[وبلف]|لل)?((?:ال)?(?:منظمة|رابطة|جامعة|مجموعة|تجمع|اتحاد)\s+(?:ال)?دول"
    r"(?:\s+(?:ال)?[^\s()،,.]+(?:ية|ة))(?:\s+(?:و)?(?:ال)?[^\s()،,.]+(?:ية|ة))?)"
)
_NOT_IN_NAMES = (
    r"(?!(?:في|من|مع|على|إلى|الى|عن|بين|بدولة|دولة|لدولة|ال?مغربية|ال?مصرية|بالخارج|التي|الذي)(?![\w]))"
    r"(?!و(?:منظمة|مكتب|الأمم|جامعة|الاتحاد|مركز|وكالة|برنامج|المنظمة|المكتب|البنك|اللجنة))"
)
_MINISTRY = re.compile(
    rf"(?<![\w])((?:وزارة|وزير)(?:\s+{_NOT_IN_NAMES}(?:ال|وال|لل|و)[^\s()،,.:]+){{1,3}}|"
    r"Minist(?:ry|er)\s+of\s+(?:Foreign\s+Affairs|[A-Z][a-z]+))"
)


# a ministry that only tells of the meeting («وذكرت وزارة الشؤون الخارجية، في بلاغ لها»): its source, not a side
_SAID_BY = re.compile(r"(?<![\w])(?:و|ف)?(?:ذكرت|قالت|أفادت|أوضحت|أعلنت|أضافت|بحسب|حسب|وفق|وفقا\s+ل)\s*$")


# a ministry written as where something is: «في مقر وزارة الصحة», "at the headquarters of the Ministry"
_SEAT_OF = re.compile(r"(?<![\w])(?:ب|في\s+)?مقر\s*$|(?:headquarters|premises|seat)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return name_key(name)


def find_new_parties(
    text: str, known: list[PartyAt], parties: Sequence[KnownParty], *, ministers: bool = True
) -> list[PartyAt]:
    """Organisations no party is registered for: a name with an unknown acronym in brackets (which
    wins over a known name inside it: «منظمة الأغذية والزراعة للأمم المتحدة (FAO)»), and ministries. With
    ``ministers`` false, a minister's title («وزير الخارجية», "Minister of Foreign Affairs") is a person's, who
    speaks for a state (read as the state where the text names it), not a ministry as a side."""
    acronyms = {party.acronym.casefold() for party in parties if party.acronym}
    taken = Taken(len(text))
    new: list[PartyAt] = []
    for pattern in (_NEW_NAME, _NEW_NAME_EN):
        for match in pattern.finditer(text):
            acronym = match.group(2)
            if acronym.casefold() in acronyms or taken.meets(match.start(), match.end()):
                continue
            name = re.sub(r"^(?:the\s+)", "", match.group(1).strip(), flags=re.IGNORECASE)
            if pattern is _NEW_NAME_EN and not _BODY_WORD.search(name):
                continue
            new.append(PartyAt(None, acronym, name, match.start(1), match.end(2) + 1))
            taken.take(match.start(), match.end())

    for p in known:
        taken.take(p.start, p.end)
    for match in _STATES_BODY.finditer(text):
        if not taken.meets(match.start(1), match.end(1)):
            new.append(PartyAt(None, None, match.group(1), match.start(1), match.end(1)))
            taken.take(match.start(1), match.end(1))
    ministries: dict[tuple[str, ...], int] = {}  # a ministry's first two words: its place in ``new``
    for match in _MINISTRY.finditer(text):
        before = text[max(0, match.start() - 16) : match.start()]
        if taken.meets(match.start(), match.end()) or _SAID_BY.search(before) or _SEAT_OF.search(before):
            continue
        name = match.group(1)
        if not ministers and re.match(r"وزير(?![\w])|Minister\b", name):
            continue
        name = re.sub(r"^وزير(?![\w])", "وزارة", re.sub(r"^Minister\b", "Ministry", name))
        same = ministries.get(first_two := tuple(_name_key(name).split()[:2]))
        if same is not None:  # one ministry, named at more or less length: its shortest name
            if len(name) < len(new[same].name):
                new[same] = PartyAt(None, None, name, new[same].start, new[same].end)
            continue
        ministries[first_two] = len(new)
        new.append(PartyAt(None, None, name, match.start(1), match.end(1)))
        taken.take(match.start(), match.end())
    return new


def parties_between(at: list[PartyAt], start: int, end: int) -> list[PartyAt]:
    return list(starting_within(at, start, end))


def ref_of(p: PartyAt) -> str:
    return p.party.id if p.party is not None else f"new:{p.acronym or p.name}"


# Where a state's name says where something is, not who acts: «في الأردن», «بالمغرب», «العاصمة الأردنية», "in Egypt"
# and where a state is named for whom a person speaks, not as a side: «سفير أذربيجان لدى المغرب», "Ambassador of"
_PLACE_BEFORE = re.compile(
    r"(?:(?<![\w])(?:في|فى|إلى|الى|داخل|خارج|عاصمة|العاصمة|مدينة|بمدينة|بالعاصمة|بلد|البلد|لدى)\s+|"
    r"(?<![\w])[وب]?(?:سفير|سفيرة|سفراء|سفارة|قنصل|قنصلية)\s+(?:دولة\s+|جمهورية\s+|مملكة\s+)?|"
    r"(?<![\w])و?ب|(?<![\w])(?:in|at|to|into|inside|across|visit\s+to|capital\s+of|city\s+of)\s+(?:the\s+)?|"
    r"(?<![\w])(?:ambassadors?|embassy|consul(?:ate)?)\s+(?:of\s+)?(?:the\s+)?)$",
    re.IGNORECASE,
)
# a state's adjective in an organisation's name: «منظمة الدول التركية», «جامعة الدول العربية»
_OF_STATES = re.compile(r"(?<![\w])(?:ال)?دول\s+$")


def _a_place(text: str, state: NameAt, city_ends: set[int]) -> bool:
    """Whether a state is named as where something is: after «في», an attached «ب», "in", «العاصمة», or
    after a city of its own («بانجول الغامبية», "Amman, Jordan")."""
    before = text[max(0, state.start - 24) : state.start]
    if _PLACE_BEFORE.search(before) or _OF_STATES.search(before):
        return True
    return any(state.start - gap in city_ends for gap in range(4))


# states given as examples of others («الدول الأعضاء …، وفي مقدمتها أذربيجان», "member states such as"), and
# those listed after a state named so («في الأردن ومصر», "in Jordan and Egypt")
_AN_EXAMPLE = re.compile(
    r"(?:(?<![\w])(?:و?في\s+مقدمتها|ومنها|من\s+بينها|مثل|ك)|such\s+as|including|among\s+them|notably)\s*$",
    re.IGNORECASE,
)
_LISTED = re.compile(r"\s*(?:[،,]\s*)?(?:و|and\s+|&\s*)?", re.IGNORECASE)


def find_named_parties(
    text: str, named: Sequence[NameAt], parties: Sequence[KnownParty], language: str, dateline_end: int = 0
) -> list[PartyAt]:
    """The organisations and the acting states the gazetteer finds (a state named only as a place, or in the
    dateline before ``dateline_end``, is not a party). An entry one of whose names, aliases or acronym is a
    registered party's name, alias or acronym is that party; any other is a new party carrying the entry."""
    by_name: dict[str, KnownParty] = {}
    for party in parties:
        for name in (*party.names, *party.aliases):
            by_name.setdefault(_name_key(name), party)
    by_acronym = {party.acronym.casefold(): party for party in parties if party.acronym}
    city_ends = {n.end for n in named if n.kind == "city"}
    found: list[PartyAt] = []
    passed_over = -1  # where the last state not a party ends: one listed after it is named as it is
    for entry in named:
        if entry.kind not in ("state", "organisation"):
            continue
        if entry.kind == "state" and (
            entry.start < dateline_end
            or _a_place(text, entry, city_ends)
            or _AN_EXAMPLE.search(text, max(0, entry.start - 30), entry.start)
            or (passed_over >= 0 and _LISTED.fullmatch(text, passed_over, entry.start))
        ):
            passed_over = entry.end
            continue
        written = text[entry.start : entry.end]
        registered = next(
            (
                by_name[key]
                for key in map(_name_key, (written, *entry.names.values(), *entry.aliases))
                if key in by_name
            ),
            by_acronym.get(entry.acronym.casefold()) if entry.acronym else None,
        )
        if registered is not None:
            found.append(PartyAt(registered, registered.acronym, written, entry.start, entry.end))
        else:
            name = entry.names.get(language) or written
            found.append(PartyAt(None, entry.acronym, name, entry.start, entry.end, entry=entry))
    return found
