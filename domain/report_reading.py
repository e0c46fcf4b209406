"""Reading a meeting report for a coordinator: what it says was held, by whom, and what was agreed.

Every proposal keeps the span of the text it came from (character offsets, ``start``–``end``) and
a confidence from 0 to 1. Nothing here is recorded: the coordinator reviews the proposals, edits
them and confirms them (``application.drafts``). The rules are written for the genre of the shared
samples (press releases of meetings between organisations, in Arabic and English) and measured on
an annotated set of such reports (``tests/reports``, EXTRACTION.md).
"""

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from domain.matrix_import import name_key
from domain.report_dates import FoundDate, find_dates, plain
from domain.search import search_form
from domain.spans import Taken, begins_with, span_holding, starting_within

_ARABIC_RUNS = re.compile("[\u0600-\u06ff]+")


def _begun(letters: str, *alternatives: str) -> str:
    """The alternatives (parts of one pattern, joined), tested first for the letters they can begin with."""
    return begins_with(*letters) + "(?:" + "".join(alternatives) + ")"


_WORD = re.compile(r"[^\W_]+")


@dataclass
class Proposal:
    kind: str  # meeting, party, participant, agreement, commitment, follow_up, recurrence
    value: dict[str, Any]
    start: int
    end: int
    confidence: float

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class KnownParty:
    id: str
    acronym: str | None  # None: a party that goes by its name
    names: tuple[str, ...]


# The most of each kind one draft proposes: what one confirmation records. A text can support far more (a report
# at the length limit can name thousands of "promises"): those past the most are counted, not proposed.
PROPOSED_MOST = {
    "meeting": 1,
    "party": 100,
    "participant": 200,
    "agreement": 50,
    "commitment": 200,
    "follow_up": 50,
    "recurrence": 50,
}


@dataclass
class Reading:
    language: str
    proposals: list[Proposal] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # kind -> how many more the text supports
    _proposed: dict[str, int] = field(default_factory=dict, repr=False)

    def of(self, kind: str) -> list[Proposal]:
        return [p for p in self.proposals if p.kind == kind]

    def has_room(self, kind: str) -> bool:
        """Whether one more proposal of ``kind`` is proposed; if not, it is counted as left out (and need not
        be read further)."""
        if self._proposed.get(kind, 0) < PROPOSED_MOST[kind]:
            return True
        self.left_out[kind] = self.left_out.get(kind, 0) + 1
        return False

    def propose(self, proposal: Proposal) -> None:
        """Adds ``proposal``, which ``has_room`` allowed."""
        self.proposals.append(proposal)
        self._proposed[proposal.kind] = self._proposed.get(proposal.kind, 0) + 1


# -- words and their places --------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    key: str
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    keys: dict[str, str] = {}  # a word's key, worked out once however often the text repeats it
    words = []
    for match in _WORD.finditer(text):
        written = match.group()
        key = keys.get(written)
        if key is None:
            key = keys[written] = name_key(written)
        if key:
            words.append(_Word(key, match.start(), match.end()))
    return words


def language_of(text: str) -> str:
    letters = sum(map(str.isalpha, text))
    arabic = sum(map(str.isalpha, "".join(_ARABIC_RUNS.findall(text))))
    return "ar" if letters and arabic / letters > 0.3 else "en"


_ABBREVIATIONS = re.compile(r"(?:^|[\s(])(?:Mr|Ms|Mrs|Dr|Prof|H\.E|St|No|Amb|د)$")


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of the text as spans: ends at . ! ? ؟ ؛ or a line break (a full stop glued to the next
    word, «2022.وضم», ends one too; one after Mr, Dr or د does not)."""
    spans = []
    start = 0

    def close(end: int) -> None:
        piece = text[start:end]
        if piece.strip():
            spans.append((start + len(piece) - len(piece.lstrip()), end - (len(piece) - len(piece.rstrip()))))

    for match in re.finditer(r"[.!?؟؛](?!\d)|\n", text):
        if match.group() == "." and _ABBREVIATIONS.search(text[max(0, match.start() - 6) : match.start()]):
            continue
        close(match.start())
        start = match.end()
    close(len(text))
    return spans


# -- ordinals -----------------------------------------------------------------------------

_UNITS_AR = {
    1: ("الأول", "الأولى", "الحادي", "الحادية"),
    2: ("الثاني", "الثانية"),
    3: ("الثالث", "الثالثة"),
    4: ("الرابع", "الرابعة"),
    5: ("الخامس", "الخامسة"),
    6: ("السادس", "السادسة"),
    7: ("السابع", "السابعة"),
    8: ("الثامن", "الثامنة"),
    9: ("التاسع", "التاسعة"),
    10: ("العاشر", "العاشرة"),
}
_TENS_AR = {
    20: ("العشرون", "العشرين"),
    30: ("الثلاثون", "الثلاثين"),
    40: ("الأربعون", "الأربعين"),
    50: ("الخمسون", "الخمسين"),
    60: ("الستون", "الستين"),
    70: ("السبعون", "السبعين"),
    80: ("الثمانون", "الثمانين"),
    90: ("التسعون", "التسعين"),
}
_EN_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def _ordinal_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for n, words in _UNITS_AR.items():
        for word in words:
            if n == 1 and word in ("الحادي", "الحادية"):
                continue
            table[search_form(word)] = n
    for n in range(1, 10):
        for unit in _UNITS_AR[n]:
            if n == 1 and unit in ("الأول", "الأولى"):
                continue
            for ten in ("عشر", "عشرة"):
                table[search_form(f"{unit} {ten}")] = 10 + n
    for tens, words in _TENS_AR.items():
        for word in words:
            table[search_form(word)] = tens
            for n in range(1, 10):
                for unit in _UNITS_AR[n]:
                    if n == 1 and unit in ("الأول", "الأولى"):
                        continue
                    table[search_form(f"{unit} و{word.removeprefix('ال')}")] = tens + n
                    table[search_form(f"{unit} و{word}")] = tens + n
    for n, word in enumerate(_EN_ORDINALS, start=1):
        table[word] = n
    return table


_ORDINALS = _ordinal_table()
_ORDINAL_WORDS = "|".join(sorted((re.escape(w) for w in _ORDINALS), key=len, reverse=True))


_ORDINAL_FIRST_WORDS = {key.split()[0] for key in _ORDINALS} | {"ال", "الـ"}


@lru_cache(maxsize=4096)
def _may_begin_an_ordinal(word: str) -> bool:
    """Whether an ordinal can begin with this word: digits, «الـ», or an ordinal's first word."""
    return plain(word[0]).isdigit() or search_form(word) in _ORDINAL_FIRST_WORDS


def ordinal_at(text: str, start: int) -> tuple[int, int] | None:
    """The number of an ordinal written at ``start`` (a word, or digits as «الدورة 93», «الـ 91», 15th),
    and where it ends."""
    rest = search_form(text[start : start + 60])
    if len(rest) != len(text[start : start + 60]):  # diacritics: compare word by word instead
        rest = text[start : start + 60]
    digits = re.match(r"\s*(?:ال(?:ـ)?\s*)?(\d{1,3})(?:st|nd|rd|th)?(?![\d])", plain(rest))
    if digits:
        return int(digits.group(1)), start + digits.end()
    word = re.match(rf"\s*({_ORDINAL_WORDS})(?![\w])", rest)
    if word:
        return _ORDINALS[word.group(1)], start + word.end()
    return None


# -- what kind of meeting ------------------------------------------------------------------

_KINDS: list[tuple[str, str]] = [  # each with the letters it can begin with, tested first (see begins_with)
    ("general_meeting", _begun("اg", r"(?:ال)?اجتماع(?:ات)?\s+(?:ال)?عام|general\s+meeting")),
    (
        "assembly",
        _begun(
            "اجمgac",
            r"(?:ال)?جمعية\s+(?:ال)?عامة|(?:ال)?مؤتمر\s+(?:ال)?عام|general\s+assembly|",
            r"\bassembly\b|(?:ال)?مجلس\s+وزراء\s+(?:ال)?خارجية|council\s+of\s+foreign\s+ministers",
        ),
    ),
    ("forum", _begun("امf", r"(?:ال)?منتدى|\bforum\b")),
    ("working_group", _begun("افأw", r"(?:ال)?فريق\s+(?:ال)?عامل|(?:ال)?أفرقة\s+(?:ال)?عاملة|working\s+group")),
    ("bilateral_talk", _begun("ميباtrm", r"مباحثات|محادثات|يبحث|بحث\s+سبل|يستقبل|استقبل|talks|received|met\s+with")),
]
_KIND_PATTERNS = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KINDS]
_SESSION = re.compile(
    _begun("ادsg", r"(?:ال)?دورة|\bsession\b|(?:ال)?اجتماع\s+(?:ال)?عام|general\s+meeting"), re.IGNORECASE
)


def _meeting_kind(text: str) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1]):
            best = (kind, match.start(), match.end())
    return best


# -- places ---------------------------------------------------------------------------------

CITIES: dict[str, tuple[str, str, str]] = {  # a city as written: (city, country, IANA time zone)
    "جنيف": ("Geneva", "Switzerland", "Europe/Zurich"),
    "geneva": ("Geneva", "Switzerland", "Europe/Zurich"),
    "الرباط": ("Rabat", "Morocco", "Africa/Casablanca"),
    "rabat": ("Rabat", "Morocco", "Africa/Casablanca"),
    "القاهرة": ("Cairo", "Egypt", "Africa/Cairo"),
    "cairo": ("Cairo", "Egypt", "Africa/Cairo"),
    "جدة": ("Jeddah", "Saudi Arabia", "Asia/Riyadh"),
    "jeddah": ("Jeddah", "Saudi Arabia", "Asia/Riyadh"),
    "الرياض": ("Riyadh", "Saudi Arabia", "Asia/Riyadh"),
    "riyadh": ("Riyadh", "Saudi Arabia", "Asia/Riyadh"),
    "نيويورك": ("New York", "United States", "America/New_York"),
    "new york": ("New York", "United States", "America/New_York"),
    "فيينا": ("Vienna", "Austria", "Europe/Vienna"),
    "vienna": ("Vienna", "Austria", "Europe/Vienna"),
    "إسطنبول": ("Istanbul", "Türkiye", "Europe/Istanbul"),
    "اسطنبول": ("Istanbul", "Türkiye", "Europe/Istanbul"),
    "istanbul": ("Istanbul", "Türkiye", "Europe/Istanbul"),
    "أنقرة": ("Ankara", "Türkiye", "Europe/Istanbul"),
    "ankara": ("Ankara", "Türkiye", "Europe/Istanbul"),
    "أستانا": ("Astana", "Kazakhstan", "Asia/Almaty"),
    "نور سلطان": ("Astana", "Kazakhstan", "Asia/Almaty"),
    "astana": ("Astana", "Kazakhstan", "Asia/Almaty"),
    "باكو": ("Baku", "Azerbaijan", "Asia/Baku"),
    "baku": ("Baku", "Azerbaijan", "Asia/Baku"),
    "دبي": ("Dubai", "United Arab Emirates", "Asia/Dubai"),
    "dubai": ("Dubai", "United Arab Emirates", "Asia/Dubai"),
    "أبوظبي": ("Abu Dhabi", "United Arab Emirates", "Asia/Dubai"),
    "أبو ظبي": ("Abu Dhabi", "United Arab Emirates", "Asia/Dubai"),
    "abu dhabi": ("Abu Dhabi", "United Arab Emirates", "Asia/Dubai"),
    "الدوحة": ("Doha", "Qatar", "Asia/Qatar"),
    "doha": ("Doha", "Qatar", "Asia/Qatar"),
    "عمان": ("Amman", "Jordan", "Asia/Amman"),
    "amman": ("Amman", "Jordan", "Asia/Amman"),
    "بيروت": ("Beirut", "Lebanon", "Asia/Beirut"),
    "beirut": ("Beirut", "Lebanon", "Asia/Beirut"),
    "تونس": ("Tunis", "Tunisia", "Africa/Tunis"),
    "tunis": ("Tunis", "Tunisia", "Africa/Tunis"),
    "الجزائر": ("Algiers", "Algeria", "Africa/Algiers"),
    "algiers": ("Algiers", "Algeria", "Africa/Algiers"),
    "نواكشوط": ("Nouakchott", "Mauritania", "Africa/Nouakchott"),
    "nouakchott": ("Nouakchott", "Mauritania", "Africa/Nouakchott"),
    "داكار": ("Dakar", "Senegal", "Africa/Dakar"),
    "dakar": ("Dakar", "Senegal", "Africa/Dakar"),
    "نيامي": ("Niamey", "Niger", "Africa/Niamey"),
    "niamey": ("Niamey", "Niger", "Africa/Niamey"),
    "الخرطوم": ("Khartoum", "Sudan", "Africa/Khartoum"),
    "khartoum": ("Khartoum", "Sudan", "Africa/Khartoum"),
    "طرابلس": ("Tripoli", "Libya", "Africa/Tripoli"),
    "بغداد": ("Baghdad", "Iraq", "Asia/Baghdad"),
    "baghdad": ("Baghdad", "Iraq", "Asia/Baghdad"),
    "الكويت": ("Kuwait City", "Kuwait", "Asia/Kuwait"),
    "مسقط": ("Muscat", "Oman", "Asia/Muscat"),
    "muscat": ("Muscat", "Oman", "Asia/Muscat"),
    "المنامة": ("Manama", "Bahrain", "Asia/Bahrain"),
    "manama": ("Manama", "Bahrain", "Asia/Bahrain"),
    "إسلام آباد": ("Islamabad", "Pakistan", "Asia/Karachi"),
    "islamabad": ("Islamabad", "Pakistan", "Asia/Karachi"),
    "طهران": ("Tehran", "Iran", "Asia/Tehran"),
    "tehran": ("Tehran", "Iran", "Asia/Tehran"),
    "كوالالمبور": ("Kuala Lumpur", "Malaysia", "Asia/Kuala_Lumpur"),
    "kuala lumpur": ("Kuala Lumpur", "Malaysia", "Asia/Kuala_Lumpur"),
    "جاكرتا": ("Jakarta", "Indonesia", "Asia/Jakarta"),
    "jakarta": ("Jakarta", "Indonesia", "Asia/Jakarta"),
    "باريس": ("Paris", "France", "Europe/Paris"),
    "paris": ("Paris", "France", "Europe/Paris"),
    "لندن": ("London", "United Kingdom", "Europe/London"),
    "london": ("London", "United Kingdom", "Europe/London"),
    "بروكسل": ("Brussels", "Belgium", "Europe/Brussels"),
    "brussels": ("Brussels", "Belgium", "Europe/Brussels"),
    "نيروبي": ("Nairobi", "Kenya", "Africa/Nairobi"),
    "nairobi": ("Nairobi", "Kenya", "Africa/Nairobi"),
    "أديس أبابا": ("Addis Ababa", "Ethiopia", "Africa/Addis_Ababa"),
    "addis ababa": ("Addis Ababa", "Ethiopia", "Africa/Addis_Ababa"),
}
_CITY_NAMES = "|".join(sorted((re.escape(c) for c in CITIES), key=len, reverse=True))
_CITY = re.compile(
    begins_with("ب", "و", "في", *CITIES) + rf"(?<![\w])(?:ب|و|في\s+)?({_CITY_NAMES})(?![\w])", re.IGNORECASE
)
_VENUE = re.compile(
    begins_with("في", "ب", "at", "in") + r"(?<![\w])(?:في|ب|at|in)\s*(?:the\s+)?((?:قصر|مقر|فندق|"
    r"مركز|قاعة|Palais|headquarters|Palace|Hotel|Centre|Center|Hall)[^،,.()\n]{2,60})",
    re.IGNORECASE,
)


def _city(text: str, within: tuple[int, int] | None = None) -> tuple[str, int, int] | None:
    start, end = within or (0, len(text))
    match = _CITY.search(text, start, end)
    if match is None:
        return None
    return match.group(1), match.start(1), match.end(1)


def city_of(written: str) -> tuple[str, str, str] | None:
    return CITIES.get(written) or CITIES.get(written.lower())


# -- parties --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PartyAt:
    party: KnownParty | None
    acronym: str | None
    name: str
    start: int
    end: int


def _known_parties(text: str, words: list[_Word], parties: Sequence[KnownParty]) -> list[_PartyAt]:
    found: list[_PartyAt] = []
    # a name's first word -> its length in words -> the names of that length (the first party named so wins)
    by_first: dict[str, dict[int, dict[tuple[str, ...], KnownParty]]] = {}
    for party in parties:
        for name in party.names:
            keys = tuple(name_key(name).split())
            if keys:
                by_first.setdefault(keys[0], {}).setdefault(len(keys), {}).setdefault(keys, party)
    longest_first = {first: sorted(lengths.items(), reverse=True) for first, lengths in by_first.items()}
    for index, word in enumerate(words):
        for length, names in longest_first.get(word.key, ()):
            party_named = names.get(tuple(w.key for w in words[index : index + length]))
            if party_named is not None:
                end = words[index + length - 1].end
                found.append(_PartyAt(party_named, party_named.acronym, text[word.start : end], word.start, end))
                break
    acronyms = {party.acronym.casefold(): party for party in parties if party.acronym}
    for match in re.finditer(r"(?<![\w])([A-Z][A-Za-z]{1,9})(?![\w])", text):
        acronym_of = acronyms.get(match.group(1).casefold())
        if acronym_of is not None and match.group(1).isupper():
            found.append(_PartyAt(acronym_of, acronym_of.acronym, match.group(1), match.start(1), match.end(1)))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[_PartyAt] = []
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
_NOT_IN_NAMES = (
    r"(?!(?:في|من|مع|على|إلى|الى|عن|بين|بدولة|دولة|لدولة|ال?مغربية|ال?مصرية|بالخارج|التي|الذي)(?![\w]))"
    r"(?!و(?:منظمة|مكتب|الأمم|جامعة|الاتحاد|مركز|وكالة|برنامج|المنظمة|المكتب|البنك|اللجنة))"
)
_MINISTRY = re.compile(
    rf"(?<![\w])((?:وزارة|وزير)(?:\s+{_NOT_IN_NAMES}(?:ال|وال|لل|و)[^\s()،,.:]+){{1,3}}|"
    r"Minist(?:ry|er)\s+of\s+(?:Foreign\s+Affairs|[A-Z][a-z]+))"
)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return name_key(name)


def _new_parties(text: str, known: list[_PartyAt], parties: Sequence[KnownParty]) -> list[_PartyAt]:
    """Organisations no party is registered for: a name with an unknown acronym in brackets (which
    wins over a known name inside it: «منظمة الأغذية والزراعة للأمم المتحدة (FAO)»), and ministries."""
    acronyms = {party.acronym.casefold() for party in parties if party.acronym}
    taken = Taken(len(text))
    new: list[_PartyAt] = []
    for pattern in (_NEW_NAME, _NEW_NAME_EN):
        for match in pattern.finditer(text):
            acronym = match.group(2)
            if acronym.casefold() in acronyms or taken.meets(match.start(), match.end()):
                continue
            name = re.sub(r"^(?:the\s+)", "", match.group(1).strip(), flags=re.IGNORECASE)
            new.append(_PartyAt(None, acronym, name, match.start(1), match.end(2) + 1))
            taken.take(match.start(), match.end())
    for p in known:
        taken.take(p.start, p.end)
    ministries: dict[tuple[str, ...], int] = {}  # a ministry's first two words: its place in ``new``
    for match in _MINISTRY.finditer(text):
        if taken.meets(match.start(), match.end()):
            continue
        name = match.group(1)
        name = re.sub(r"^وزير(?![\w])", "وزارة", re.sub(r"^Minister\b", "Ministry", name))
        same = ministries.get(first_two := tuple(_name_key(name).split()[:2]))
        if same is not None:  # one ministry, named at more or less length: its shortest name
            if len(name) < len(new[same].name):
                new[same] = _PartyAt(None, None, name, new[same].start, new[same].end)
            continue
        ministries[first_two] = len(new)
        new.append(_PartyAt(None, None, name, match.start(1), match.end(1)))
        taken.take(match.start(), match.end())
    return new


# -- the reading ----------------------------------------------------------------------------

_AGREED = re.compile(
    _begun(
        "اإتأجيسقawcudprs",
        r"(?:ات|إت)فق(?:ا|وا|ت)?\b(?!\s+علي(?:ها|ه)\b)|تم\s+(?:ال)?اتفاق(?!\s+علي(?:ها|ه)\b)|",
        r"(?:تأكيد|أكد|أكدا|أكدوا|جدد|تجديد)\s+(?:ال)?التزام|(?:ي|ت)لتزم|تعهد|سيواصل|ستواصل|سيتم|سوف|",
        r"ستقوم|سيقوم|ستتولى|سيتولى|ستعمل|سيعمل|تتولى|",
        r"قرر|أقر|(?:ي|ت)عتزم|agreed|will\s+(?!be\s+held)|committed|undertook|decided|pledged|resolved\s+to|shall",
    ),
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    _begun(
        "عيتادhcsmnf",
        r"(?:عقد|يعقد|تعقد|انعقاد|استضافة)\s+(?:ال)?(?:دورة|اجتماع)|(?:hold|host|convene)\s+the\s+|",
        r"(?:session|meeting|consultation)\s+(?:of\s+[\w\s]+?\s+)?(?:will|shall|would)\s+be\s+(?:held|hosted|convened)|",
        r"(?:next|following)\s+(?:session|meeting)|(?:ال)?دورة\s+(?:ال)?(?:قادمة|مقبلة|المقبلة|القادمة)",
    ),
    re.IGNORECASE,
)
_RECURRENCE = re.compile(
    _begun(
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
        ("action_matrix", _begun("امam", r"(?:ال)?مصفوفة|action\s+matrix|matrix\s+of")),
        ("mou", _begun("مm", r"مذكر(?:ة|ات)\s+(?:ال)?تفاهم|memorand(?:um|a)\s+of\s+understanding")),
        ("joint_statement", _begun("ابj", r"(?:ال)?بيان\s+(?:ال)?مشترك|joint\s+(?:statement|communiqu[eé])")),
        ("recommendations", _begun("اتr", r"(?:ال)?توصيات|recommendations")),
        (
            "framework",
            _begun(
                "اإrscf",
                r"(?:ال)?إطار\s+(?:ال)?(?:إقليمي|استراتيجي|الاستراتيجي|للتعاون|عمل)|",
                r"(?:regional|strategic|cooperation)\s+framework|framework\s+for",
            ),
        ),
    ]
]
_FOLLOW_UP_VENUE = re.compile(r"(?:في|ب)\s*(مقر\s+[^(،,.]+|[^\s،,.]+\s+مقر[^(،,.]*)|at\s+the\s+([^,.(]+)")
_CO_CHAIRED = re.compile(
    _begun("اشتcw", r"(?:اشترك|شارك|تشارك)\s+في\s+رئاسة|co-?chaired\s+by|were\s+co-?chairs"), re.IGNORECASE
)
_CHAIRED = re.compile(
    _begun("بتchl", r"برئاسة|ترأس(?:ه|ها)?|(?<!co-)(?<!co)chaired\s+by|headed\s+by|led\s+by"), re.IGNORECASE
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
        if not _may_begin_an_ordinal(word.group()) or span_holding(dates, at) is not None:
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


def _parties_in(at: list[_PartyAt], start: int, end: int) -> list[_PartyAt]:
    return list(starting_within(at, start, end))


def _ref(p: _PartyAt) -> str:
    return p.party.id if p.party is not None else f"new:{p.acronym or p.name}"


def read_report(text: str, published: date, parties: Iterable[KnownParty]) -> Reading:
    """Every proposal the report's text supports, each with its span and confidence."""
    known_parties = list(parties)
    reading = Reading(language_of(text))
    dates = find_dates(text, published)
    words = _words(text)
    known = _known_parties(text, words, known_parties)
    new = _new_parties(text, known, known_parties)
    in_new = Taken(len(text))
    for n in new:
        in_new.take(n.start, n.end)
    at = sorted([k for k in known if not in_new.meets(k.start, k.start + 1)] + new, key=lambda p: p.start)
    spans = sentences(text)

    # the parties, each once, where it is first named
    seen: dict[str, _PartyAt] = {}
    for p in at:
        seen.setdefault(_ref(p), p)
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
    at: list[_PartyAt],
    published: date,
) -> None:
    kind = _meeting_kind(text)
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
    city = _city(text)
    if city is not None:
        name, country, zone = city_of(city[0]) or (city[0], "", "UTC")
        value.update(city=name, country=country, time_zone=zone)
        venue = _VENUE.search(text)
        value["venue"] = venue.group(1).strip() if venue else name
    series_parties = [p.party.acronym.lower() for p in at if p.party is not None and p.party.acronym][:2]
    if kind and series_parties:
        value["series"] = "-".join(dict.fromkeys(series_parties)) + "-" + kind[0].replace("_", "-")
    reading.propose(Proposal("meeting", value, start, end, confidence))


_HELD = re.compile(
    _begun(
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


def _participants(text: str, reading: Reading, at: list[_PartyAt], spans: list[tuple[int, int]]) -> None:
    for pattern, role in ((_CO_CHAIRED, "co_chair"), (_CHAIRED, "head_of_delegation")):
        cues = list(pattern.finditer(text))
        for index, match in enumerate(cues):
            sentence = span_holding(spans, match.start()) or (match.start(), len(text))
            names_end = min(sentence[1], cues[index + 1].start()) if index + 1 < len(cues) else sentence[1]
            for person in _HONORIFIC.finditer(text, match.end(), names_end):
                if not reading.has_room("participant"):
                    continue
                name = person.group(1).strip(" ،,")
                after = _parties_in(at, person.end(), min(sentence[1], person.end() + 160))
                value: dict[str, Any] = {"person": name, "role": role}
                if after:
                    value["party"] = _ref(after[0])
                around = text[max(0, match.start() - 20) : match.end() + 20]
                if role == "head_of_delegation" and "رئاسة الاجتماع" in around:
                    value["role"] = "chair"
                reading.propose(Proposal("participant", value, person.start(1), person.end(1), 0.6))
                if role == "head_of_delegation":
                    break


def _outcomes(
    text: str, reading: Reading, dates: list[FoundDate], spans: list[tuple[int, int]], at: list[_PartyAt]
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
        if follow_up is not None and (cue is not None or _SESSION.search(sentence)):
            if not reading.has_room("follow_up"):
                continue
            named = _parties_in(at, start, end)
            due = _due_of(dates, start, end)
            number = _session_number(text, start, end, date_spans)
            venue = _FOLLOW_UP_VENUE.search(sentence, follow_up.start())
            value = {
                "series": meeting.get("series"),
                "session_number": number,
                "due": due[0] if due else None,
                "venue": (venue.group(1) or venue.group(2)).strip() if venue else None,
                "lead": _ref(named[0]) if named else None,
                "text": {reading.language: sentence[follow_up.start() :].strip()},
            }
            reading.propose(Proposal("follow_up", value, start, end, 0.8 if number else 0.6))
        elif cue is not None and reading.has_room("commitment"):
            refs = list(dict.fromkeys(_ref(p) for p in _parties_in(at, start, end)))
            due = _due_of(dates, start, end)
            value = {
                "text": {reading.language: sentence[cue.start() :].strip()},
                "lead": refs[0] if refs else None,
                "partners": refs[1:],
                "due": due[0] if due else None,
            }
            confidence = 0.5 + (0.2 if refs else 0) + (0.1 if due else 0)
            reading.propose(Proposal("commitment", value, start, end, round(confidence, 2)))
