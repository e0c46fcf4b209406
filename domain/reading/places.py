"""Where a meeting was held: the cities reports name, with their countries and time zones, and venues.

With a gazetteer (``domain.reading.names``) its cities are read; without one, the small table below. Of the
cities a meeting's part of the report names, its city is the first written as where something is (after «في»,
an attached «ب», "in", «مدينة», «العاصمة») in the sentence that tells of the meeting, else the dateline's,
else the first written so in its part, else the first."""

import re
from collections.abc import Sequence
from dataclasses import replace

from domain.reading.names import Gazetteer, NameAt
from domain.reading.spans import begins_with

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
    r"(?:(?<![\w])(?:في|بمدينة|مدينة|العاصمة|بالعاصمة|عاصمة)\s+(?:(?:ال)?(?:عاصمة|مدينة)\s+[^\s،,.]*\s*)?|"
    r"(?<![\w])و?ب|(?<![\w])(?:in|at)\s+(?:the\s+)?(?:(?:city|capital)\s+of\s+)?)$",
    re.IGNORECASE,
)


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
) -> NameAt | None:
    """The city of a meeting told of in ``part`` of the text, in ``sentence`` (see the module's description).
    ``states``: the states the text names as places; when the meeting's sentence places it in one, its city
    is one of that state's. ``elsewhere``: sentences telling of another day (another meeting's): their
    cities are not searched past the meeting's sentence."""
    within = [c for c in cities if part[0] <= c.start < part[1]]
    told = [c for c in within if sentence is not None and sentence[0] <= c.start < sentence[1]]
    said = [c for c in told if written_as_a_place(text, c)]
    if said:
        return said[0]
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
