"""Dates as people write them in reports and spreadsheets: month names and digits of every script.

Arabic writes the Gregorian months in three ways: the Mashriq's transliterations (يناير، يوليو،
أغسطس), the Maghrib's, from French (يناير، يوليوز، غشت، شتنبر، نونبر، دجنبر), and the Syriac names
of the Levant and Iraq (كانون الثاني، تموز، آب). Each spelling below is compared in search form
(``domain.search.search_form``): hamza, alef and ta marbuta variants are the same name.
"""

import re
from functools import lru_cache

from domain.search import search_form

MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "يناير", "كانون الثاني", "جانفي", "ينار"),
    2: ("february", "feb", "fevrier", "fevr", "فبراير", "شباط", "فيفري", "فبرير"),
    3: ("march", "mar", "mars", "مارس", "آذار", "اذار"),
    4: ("april", "apr", "avril", "avr", "أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل"),
    5: ("may", "mai", "مايو", "ماي", "أيار", "ايار"),
    6: ("june", "jun", "juin", "يونيو", "يونيه", "حزيران", "جوان"),
    7: ("july", "jul", "juillet", "juil", "يوليو", "يوليه", "يوليوز", "تموز", "جويلية"),
    8: ("august", "aug", "aout", "أغسطس", "اغسطس", "غشت", "آب", "اب", "أوت", "اوت"),
    9: ("september", "sep", "sept", "septembre", "سبتمبر", "شتنبر", "أيلول", "ايلول"),
    10: ("october", "oct", "octobre", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"),
    11: ("november", "nov", "novembre", "نوفمبر", "نونبر", "تشرين الثاني"),
    12: ("december", "dec", "decembre", "ديسمبر", "دجنبر", "كانون الأول", "كانون الاول"),
}

_BY_NAME = {search_form(name): number for number, names in MONTHS.items() for name in names}
# Longest first, so that "كانون الثاني" is read before a shorter name inside it.
MONTH_PATTERN = "|".join(sorted((re.escape(name) for name in _BY_NAME), key=len, reverse=True))


@lru_cache(maxsize=1024)
def month_number(name: str) -> int | None:
    """The month a name (in any of the spellings above, any case) stands for, or None."""
    return _BY_NAME.get(search_form(name).strip(" .").removeprefix("شهر "))
