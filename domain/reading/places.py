"""Where a meeting was held: the cities reports name, with their countries and time zones, and venues.

With a gazetteer (``domain.reading.names``) its cities are read; without one, the small table below. Of the
cities a meeting's part of the report names, its city is the first written as where something is (after «في»,
an attached «ب», "in", «مدينة», «العاصمة») in the sentence that tells of the meeting or in its part's first
sentence, else the dateline's, else the first written so in its part, else the first."""

import re
from collections.abc import Sequence
from dataclasses import replace

from domain.reading.names import Gazetteer, NameAt
from domain.reading.spans import begins_with, starting_within

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
VENUE = re.compile(
    begins_with("في", "ب", "at", "in") + r"(?<![\w])(?:في|ب|at|in)\s*(?:the\s+)?((?:قصر|مقر|فندق|"
    r"مركز|قاعة|Palais|headquarters|Palace|Hotel|Centre|Center|Hall)[^،,.()\n]{2,60})",
    re.IGNORECASE,
)


def city_in(text: str, within: tuple[int, int] | None = None) -> tuple[str, int, int] | None:
    start, end = within or (0, len(text))
    match = _CITY.search(text, start, end)
    if match is None:
        return None
    return match.group(1), match.start(1), match.end(1)


def city_of(written: str) -> tuple[str, str, str] | None:
    return CITIES.get(written) or CITIES.get(written.lower())


def table_cities(text: str) -> list[NameAt]:
    """The cities of the table the text names, as the gazetteer gives them (the country by its English name)."""
    found = []
    for match in _CITY.finditer(text):
        name, country, zone = city_of(match.group(1)) or (match.group(1), "", "UTC")
        found.append(NameAt(match.start(1), match.end(1), "city", name, {"en": name}, None, country, zone))
    return found


_WHERE_BEFORE = re.compile(
    r"(?:(?<![\w])(?:في|فى|بمدينة|مدينة|العاصمة|بالعاصمة|عاصمة|بمحافظة|محافظة|بولاية|ولاية|بإمارة|إمارة)\s+(?:(?:ال)?(?:عاصمة|مدينة)\s+[^\s،,.]*\s*)?|"
    r"(?<![\w])و?ب|(?<![\w])(?:in|at)\s+(?:the\s+)?(?:(?:city|capital)\s+of\s+)?)$",
    re.IGNORECASE,
)


# a sea, strait, gulf or bay named after a city: "the Gulf of Suez", «مضيق هرمز», «خليج العقبة»
_WATER_BEFORE = re.compile(
    r"(?<![\w])(?:(?:Straits?|Gulf|Bay|Sea|Port|Canal|Lake)\s+of\s+(?:the\s+)?|"
    r"[وبل]?(?:ال)?(?:مضيق|خليج|بحر|بحيرة|قناة|ميناء)\s+)$",
    re.IGNORECASE,
)


def named_for_water(text: str, city: NameAt) -> bool:
    """Whether a city's name here names a sea, strait, gulf, bay, lake, canal or port after it."""
    return _WATER_BEFORE.search(text, max(0, city.start - 20), city.start) is not None


def written_as_a_place(text: str, city: NameAt) -> bool:
    return _WHERE_BEFORE.search(text[max(0, city.start - 30) : city.start]) is not None


def city_for(
    text: str,
    cities: Sequence[NameAt],
    part: tuple[int, int],
    sentence: tuple[int, int] | None,
    dateline_end: int,
    states: Sequence[NameAt] = (),
    elsewhere: Sequence[tuple[int, int]] = (),
    lede: tuple[int, int] | None = None,
) -> NameAt | None:
    """The city of a meeting told of in ``part`` of the text, in ``sentence`` (see the module's description).
    ``states``: the states the text names as places; when the meeting's sentence places it in one, its city
    is one of that state's. ``elsewhere``: sentences telling of another day (another meeting's): their
    cities are not searched past the meeting's sentence. ``lede``: the first sentence of the part's body."""
    within = [c for c in cities if part[0] <= c.start < part[1]]
    told = [c for c in within if sentence is not None and sentence[0] <= c.start < sentence[1]]
    said = [c for c in told if written_as_a_place(text, c)]
    if said:
        return said[0]
    opening = [c for c in within if lede is not None and lede[0] <= c.start < lede[1] and written_as_a_place(text, c)]
    if opening:  # the first sentence of its part tells where («في ختام المباحثات بالعاصمة بغداد»)
        return opening[0]
    in_state = {s.key for s in states if sentence is not None and sentence[0] <= s.start < sentence[1]}

    def fits(city: NameAt) -> bool:
        return not in_state or city.country in in_state

    if part[0] == 0:
        dateline = [c for c in cities if c.start < dateline_end and fits(c)]
        if dateline:
            return dateline[0]
    placed = [
        c for c in within if written_as_a_place(text, c) and fits(c) and not any(s <= c.start < e for s, e in elsewhere)
    ]
    if placed:
        return placed[0]
    return told[0] if told else None


# the seat of a state's ministry, which is in its capital: «بمقر وزارة الصحة المغربية», "at the headquarters
# of the Ministry of Foreign Affairs of Jordan"
_AT_A_MINISTRY = re.compile(
    r"(?:(?<![\w])(?:ب|في\s+)?(?P<ar>مقر)\s+وزارة|(?:at|in)\s+the\s+(?P<en>(?:headquarters\s+of\s+the\s+)?Ministry)\s+of)"
    r"[^،,.\n]*?\s(?:of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)


def capitals_written_as_states(text: str, named: Sequence[NameAt], names: Gazetteer, dateline_end: int) -> list[NameAt]:
    """A state written as where something is, in the dateline, or as the state of a ministry whose seat is where
    something is, whose capital goes by the same name («اجتماعا بتونس», «تونس في 3 ديسمبر», «في العاصمة التونسية»,
    «بمقر وزارة الصحة المغربية»): that city, there."""
    found = []
    capitals: dict[str, list[NameAt]] = {}  # asked once for each way a state is written
    for state in named:
        if state.kind != "state":
            continue
        at_a_ministry = _AT_A_MINISTRY.search(text, max(0, state.start - 60), state.start)
        if not (state.start < dateline_end or written_as_a_place(text, state) or at_a_ministry):
            continue
        written = text[state.start : state.end]
        if written not in capitals:
            asked = dict.fromkeys((written, state.names.get("ar"), state.names.get("en")))
            capitals[written] = [
                c for name in asked if name for c in names.named(name) if c.kind == "city" and c.country == state.key
            ]
        same = capitals[written]
        if same:  # written where the state is, or as the ministry's seat (a place: «بمقر وزارة …»)
            start = at_a_ministry.start(at_a_ministry.lastgroup or 0) if at_a_ministry else state.start
            found.append(replace(same[0], start=start, end=state.end))
    return found


# the seat of an organisation, which is in the city of its headquarters: «بمقر الأمانة العامة لجامعة الدول
# العربية», «في مقر منظمة التعاون الإسلامي», "at the headquarters of the League of Arab States", "at the OIC
# General Secretariat", "at ICESCO's headquarters"
_AT_A_SEAT_BEFORE = re.compile(
    r"(?:(?<![\w])(?:ب|في\s+)?(?P<ar>مقر|الأمانة\s+العامة|المقر\s+الرئيسي)(?![\w])|"
    r"(?<![\w])(?:at|in)\s+the\s+(?P<en>(?:headquarters|seat|premises|(?:General\s+)?Secretariat)\s+of))"
    r"[^،,.\n]{0,40}?\s?$",
    re.IGNORECASE,
)
_AT_A_SEAT_AFTER = re.compile(r"(?:[’']s)?\s+(?:General\s+Secretariat|headquarters|premises|HQ)(?![\w])", re.IGNORECASE)
_AT_BEFORE = re.compile(r"(?<![\w])(?:at|in)\s+(?:the\s+)?$", re.IGNORECASE)


def seats_written_as_places(text: str, named: Sequence[NameAt], names: Gazetteer) -> list[NameAt]:
    """An organisation whose seat is where something is («بمقر منظمة التعاون الإسلامي», "at the headquarters
    of the OIC", "at ICESCO headquarters"): the city of its seat, at the words that say so."""
    found = []
    for entry in named:
        if entry.kind != "organisation" or not entry.seat:
            continue
        before = _AT_A_SEAT_BEFORE.search(text, max(0, entry.start - 60), entry.start)
        after = _AT_A_SEAT_AFTER.match(text, entry.end)
        if before is not None:
            start = before.start(before.lastgroup or 0)
        elif after is not None and _AT_BEFORE.search(text, max(0, entry.start - 12), entry.start):
            start = entry.start
        else:
            continue
        cities = [c for c in names.named(entry.seat) if c.kind == "city"]
        if cities:
            found.append(replace(cities[0], start=start, end=entry.end))
    return found + _seats_of_the_one_named(text, named, names)


# the seat of an organisation named before by a word of its name: «بمقر الأمانة العامة للجامعة», «بمقر
# المنظمة», "at the League's headquarters", "at the headquarters of the Organization"
_AT_ITS_SEAT = re.compile(
    r"(?<![\w])(?:ب|في\s+)(?P<ar>مقر)\s+(?:الأمانة\s+العامة\s+)?(?:لل|ال|ل)(?P<noun>[\u0621-\u064a]{3,})|"
    r"(?<![\w])(?:at|in)\s+the\s+(?:(?P<en>headquarters|seat|premises)\s+of\s+the\s+(?P<of>[A-Z]\w+)|"
    r"(?P<whose>[A-Z]\w+)[’']s\s+(?P<en2>headquarters|premises|seat))(?![\w])"
)


_BEFORE_A_SEAT = 400  # characters: how far back the organisation a seat's word stands for is looked for


def _as_compared(word: str) -> str:
    """A word of a name as compared with the word that stands for it: «الجامعة» is «جامعة», "Organization"
    is "organisation"."""
    return word.casefold().removeprefix("ال").replace("z", "s")


def _seats_of_the_one_named(text: str, named: Sequence[NameAt], names: Gazetteer) -> list[NameAt]:
    """The seat of an organisation the text named before (within its last 400 characters), said by a word of its
    name alone: «وقع الأمين العام لجامعة الدول العربية … بمقر الأمانة العامة للجامعة» is in Cairo."""
    found = []
    for said in _AT_ITS_SEAT.finditer(text):
        noun = _as_compared(said.group("noun") or said.group("of") or said.group("whose") or "")
        nearby = starting_within(named, max(0, said.start() - _BEFORE_A_SEAT), said.start())
        before = [e for e in nearby if e.kind == "organisation" and e.seat and e.end <= said.start()]
        for entry in reversed(before):
            words = {_as_compared(w) for name in entry.names.values() for w in name.split()}
            if noun in words:
                assert entry.seat is not None
                cities = [c for c in names.named(entry.seat) if c.kind == "city"]
                if cities:
                    at = said.start(said.lastgroup or 0)
                    at = said.start("ar") if said.group("ar") else said.start("en") if said.group("en") else at
                    if said.group("en2"):
                        at = said.start("whose")
                    found.append(replace(cities[0], start=at, end=said.end()))
                break
    return found
