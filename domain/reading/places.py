"""Where a meeting was held: the cities reports name, with their countries and time zones, and venues."""

import re

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
