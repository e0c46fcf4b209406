"""A gazetteer of a few names, as ``domain.reading.names.Gazetteer`` asks: enough to read the reports the tests
write, without the world's tables."""

import re
from dataclasses import replace

from domain.reading.names import NameAt


def _entry(
    kind: str,
    key: str,
    ar: str,
    en: str,
    *,
    acronym: str | None = None,
    country: str | None = None,
    time_zone: str | None = None,
    aliases: tuple[str, ...] = (),
) -> NameAt:
    return NameAt(0, 0, kind, key, {"ar": ar, "en": en}, acronym, country, time_zone, aliases)


EGYPT = _entry("state", "EG", "مصر", "Egypt", aliases=("جمهورية مصر العربية",))
JORDAN = _entry("state", "JO", "الأردن", "Jordan", aliases=("المملكة الأردنية الهاشمية",))
MOROCCO = _entry("state", "MA", "المغرب", "Morocco", aliases=("المملكة المغربية", "Kingdom of Morocco"))
TUNISIA = _entry("state", "TN", "تونس", "Tunisia")
SWITZERLAND = _entry("state", "CH", "سويسرا", "Switzerland")
ALGERIA = _entry("state", "DZ", "الجزائر", "Algeria")
IRAQ = _entry("state", "IQ", "العراق", "Iraq")
RABAT = _entry("city", "2538475", "الرباط", "Rabat", country="MA", time_zone="Africa/Casablanca")
TUNIS = _entry("city", "2464470", "تونس", "Tunis", country="TN", time_zone="Africa/Tunis")
AMMAN = _entry("city", "250441", "عمان", "Amman", country="JO", time_zone="Asia/Amman")
GENEVA = _entry("city", "2660646", "جنيف", "Geneva", country="CH", time_zone="Europe/Zurich")
ORAN = _entry("city", "2485926", "وهران", "Oran", country="DZ", time_zone="Africa/Algiers")
UN = _entry("organisation", "un", "الأمم المتحدة", "United Nations", acronym="UN")
IOM = _entry(
    "organisation",
    "iom",
    "المنظمة الدولية للهجرة",
    "International Organization for Migration",
    acronym="IOM",
)

WRITTEN: dict[str, NameAt] = {  # each way the tests write a name, and what it names
    "مصر": EGYPT,
    "المصرية": EGYPT,
    "Egypt": EGYPT,
    "الأردن": JORDAN,
    "الأردنية": JORDAN,
    "Jordan": JORDAN,
    "المملكة المغربية": MOROCCO,
    "المغرب": MOROCCO,
    "Morocco": MOROCCO,
    "التونسية": TUNISIA,
    "Tunisia": TUNISIA,
    "سويسرا": SWITZERLAND,
    "Switzerland": SWITZERLAND,
    "الجزائر": ALGERIA,
    "العراق": IRAQ,
    "Iraq": IRAQ,
    "الأمم المتحدة": UN,
    "United Nations": UN,
    "الرباط": RABAT,
    "Rabat": RABAT,
    "تونس": TUNISIA,
    "عمان": AMMAN,
    "Amman": AMMAN,
    "جنيف": GENEVA,
    "Geneva": GENEVA,
    "وهران": ORAN,
    "المنظمة الدولية للهجرة": IOM,
    "International Organization for Migration": IOM,
    "IOM": IOM,
}
_CAPITALS = {"تونس": TUNIS, "الجزائر": _entry("city", "2507480", "الجزائر", "Algiers", country="DZ")}
_PATTERN = re.compile(
    r"(?<![\w])(?:و|ب|ل|ف|وب|ول)?(" + "|".join(sorted(map(re.escape, WRITTEN), key=len, reverse=True)) + r")(?![\w])"
)


class SmallGazetteer:
    def find(self, text: str) -> list[NameAt]:
        return [replace(WRITTEN[m.group(1)], start=m.start(1), end=m.end(1)) for m in _PATTERN.finditer(text)]

    def named(self, name: str) -> list[NameAt]:
        found = [WRITTEN[name]] if name in WRITTEN else [e for e in WRITTEN.values() if e.key == name][:1]
        return found + ([_CAPITALS[name]] if name in _CAPITALS else [])


NAMES = SmallGazetteer()
