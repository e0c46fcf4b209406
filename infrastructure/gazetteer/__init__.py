"""The gazetteer of the world's names (decision 0061): states, cities and international organisations, in
Arabic, English and French, as reports write them; the ``domain.reading.names.Gazetteer`` the report reader
asks. Its tables are in this package: ``states.json`` and ``organisations.json`` are kept by hand (with
Babel's CLDR names of the states), and so is ``regions.json`` (regions whose names hold a state's: "Latin
America" is not the United States); ``cities.json.gz`` is built from GeoNames by ``scripts/build_gazetteer_cities.py``.

``load_gazetteer()`` loads it once per process: the first call takes a fraction of a second, the next ones
return the same object."""

import dataclasses
import functools
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel import Locale

from domain.reading.names import Gazetteer, NameAt
from infrastructure.gazetteer.matcher import ARTICLE, Form, Matcher, normal, normal_case, shadda_skeleton

HERE = Path(__file__).parent
LANGUAGES = ("ar", "en", "fr")
# fmt: off
UN_MEMBERS = [  # the UN member states
    "AF", "AL", "DZ", "AD", "AO", "AG", "AR", "AM", "AU", "AT", "AZ", "BS", "BH", "BD", "BB", "BY", "BE", "BZ",
    "BJ", "BT", "BO", "BA", "BW", "BR", "BN", "BG", "BF", "BI", "CV", "KH", "CM", "CA", "CF", "TD", "CL", "CN",
    "CO", "KM", "CG", "CD", "CR", "CI", "HR", "CU", "CY", "CZ", "DK", "DJ", "DM", "DO", "EC", "EG", "SV", "GQ",
    "ER", "EE", "SZ", "ET", "FJ", "FI", "FR", "GA", "GM", "GE", "DE", "GH", "GR", "GD", "GT", "GN", "GW", "GY",
    "HT", "HN", "HU", "IS", "IN", "ID", "IR", "IQ", "IE", "IL", "IT", "JM", "JP", "JO", "KZ", "KE", "KI", "KW",
    "KG", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MG", "MW", "MY", "MV", "ML", "MT", "MH", "MR",
    "MU", "MX", "FM", "MD", "MC", "MN", "ME", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "NZ", "NI", "NE", "NG",
    "KP", "MK", "NO", "OM", "PK", "PW", "PA", "PG", "PY", "PE", "PH", "PL", "PT", "QA", "KR", "RO", "RU", "RW",
    "KN", "LC", "VC", "WS", "SM", "ST", "SA", "SN", "RS", "SC", "SL", "SG", "SK", "SI", "SB", "SO", "ZA", "SS",
    "ES", "LK", "SD", "SR", "SE", "CH", "SY", "TJ", "TZ", "TH", "TL", "TG", "TO", "TT", "TN", "TR", "TM", "TV",
    "UG", "UA", "AE", "GB", "US", "UY", "UZ", "VU", "VE", "VN", "YE", "ZM", "ZW"
]
# fmt: on
STATES = (*UN_MEMBERS, "PS", "VA", "XK", "TW")  # the UN's members, its two observer states, and two more
_SHOWN = {  # the name shown where CLDR's is a territory's, not the state's
    "PS": {"ar": "دولة فلسطين", "en": "State of Palestine", "fr": "État de Palestine"},
    "VA": {"ar": "الكرسي الرسولي", "en": "Holy See", "fr": "Saint-Siège"},
}
_RANK = {"state": 0, "organisation": 1, "city": 2, "region": 3}


class WorldNames:
    """The gazetteer: ``find`` and ``named`` over one automaton of every name."""

    def __init__(self, forms: list[tuple[str, Form]]) -> None:
        self._matcher = Matcher(forms)
        self._states = {f.entry.key: f.entry for _, f in forms if f.entry.kind == "state"}
        self.entries = len({id(form.entry) for _, form in forms})
        self.names = len(forms)
        self.keys = self._matcher.keys

    def find(self, text: str) -> list[NameAt]:
        return self._matcher.find(text)

    def named(self, name: str) -> list[NameAt]:
        """The entries ``name`` is a name of; a state's ISO 3166 alpha-2 code ("JO") names it too."""
        entries: dict[int, NameAt] = {}
        code = self._states.get(name.strip())
        if code is not None:
            entries[id(code)] = code
        for form in self._matcher.forms_of(name):
            entries.setdefault(id(form.entry), form.entry)
        if not entries:
            for found in self.find(name):
                if found.start == 0 and found.end >= len(name.rstrip()):
                    entries.setdefault(id(found), found)
        return [dataclasses.replace(e, start=0, end=len(name)) for e in entries.values() if e.kind != "region"]


def _clean(name: str) -> list[str]:
    """CLDR's name and what it puts in brackets, each a name ("Myanmar (Burma)")."""
    found = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    return [found.group(1), found.group(2)] if found else [name]


def _aliases(names: dict[str, str], acronym: str | None, every: list[str]) -> tuple[str, ...]:
    own = {normal(n) for n in [*names.values(), *([acronym] if acronym else [])]}
    kept: dict[str, str] = {}
    for name in every:
        key = normal(name)
        if key and key not in own and key not in kept:
            kept[key] = name
    return tuple(kept.values())


def _nisbas(masculine: str) -> list[str]:
    """An Arabic nisba with the article: its masculine and feminine, with and without the article."""
    bare = masculine[len(ARTICLE) :] if masculine.startswith(ARTICLE) else masculine
    return [ARTICLE + bare, ARTICLE + bare + "ة", bare, bare + "ة"]


def _is_latin(name: str) -> bool:
    return not re.search("[\u0600-\u06ff]", name)


def _states(table: dict[str, Any]) -> Iterator[tuple[str, Form]]:
    cldr = {language: Locale.parse(language).territories for language in LANGUAGES}
    extra: dict[str, dict[str, Any]] = table["states"]
    for code in STATES:
        more = extra.get(code, {})
        cldr_names = {language: _clean(cldr[language][code]) for language in LANGUAGES}
        names = {language: cldr_names[language][0] for language in LANGUAGES} | _SHOWN.get(code, {})
        by_language = {language: [*cldr_names[language], *more.get(language, [])] for language in LANGUAGES}
        acronyms = more.get("acronyms", [])
        every = [*by_language["ar"], *by_language["en"], *by_language["fr"], *acronyms]
        entry = NameAt(0, 0, "state", code, names, aliases=_aliases(names, None, every))
        words = {normal(n) for n in more.get("contextual", [])}
        rank = (_RANK["state"], 0)
        for name in dict.fromkeys(every):
            if name not in acronyms:
                yield name, Form(entry, rank, latin=_is_latin(name), word=normal(name) in words)
        for acronym in acronyms:
            yield acronym, Form(entry, rank, how="acronym", written=normal_case(acronym))
        for masculine in more.get("nisba", []):
            for nisba in _nisbas(masculine):
                yield nisba, Form(entry, rank, how="nisba", word=normal(nisba) in words)


def _organisations(table: dict[str, Any]) -> Iterator[tuple[str, Form]]:
    for row in table["organisations"]:
        acronym: str | None = row.get("acronym")
        acronyms = [*([acronym] if acronym else []), *row.get("acronyms", [])]
        arabic_acronyms = list(row.get("ar_acronym", []))
        arabic_acronyms += [a[len(ARTICLE) :] for a in arabic_acronyms if a.startswith(ARTICLE)]
        names = {language: row[language][0] for language in LANGUAGES if row.get(language)}
        every = [*row.get("ar", []), *arabic_acronyms, *row.get("en", []), *row.get("fr", []), *acronyms]
        entry = NameAt(
            0,
            0,
            "organisation",
            row["key"],
            names,
            acronym,
            aliases=_aliases(names, acronym, every),
            seat=row.get("seat"),
        )
        rank = (_RANK["organisation"], 0)
        for name in [*row.get("ar", []), *arabic_acronyms, *row.get("en", []), *row.get("fr", [])]:
            yield name, Form(entry, rank, latin=_is_latin(name) and " " not in name.strip())
        for written in acronyms:
            yield written, Form(entry, rank, how="acronym", written=normal_case(written))


def _cities(table: dict[str, Any]) -> Iterator[tuple[str, Form]]:
    columns = {name: i for i, name in enumerate(table["columns"])}
    for size, row in enumerate(table["cities"]):
        latin: list[str] = row[columns["latin"]]
        arabic: list[str] = row[columns["arabic"]]
        names = {"en": row[columns["name"]]}
        if row[columns["ar"]]:
            names["ar"] = row[columns["ar"]]
        if row[columns["fr"]]:
            names["fr"] = row[columns["fr"]]
        entry = NameAt(
            0,
            0,
            "city",
            str(row[columns["id"]]),
            names,
            country=row[columns["state"]],
            time_zone=row[columns["time_zone"]],
            aliases=_aliases(names, None, [*latin, *arabic]),
        )
        contextual = {normal(n) for n in row[columns["contextual"]]}
        words = {normal(n) for n in row[columns["words"]]}
        shadda = frozenset(row[columns["shadda"]])
        rank = (_RANK["city"], size)
        for name in [*latin, *arabic]:
            key = normal(name)
            yield (
                name,
                Form(
                    entry, rank, latin=_is_latin(name), contextual=key in contextual, word=key in words, shadda=shadda
                ),
            )


def _regions(table: dict[str, Any]) -> Iterator[tuple[str, Form]]:
    """Regions whose names hold a state's («أمريكا اللاتينية», "the Arab Maghreb"): found, leftmost-longest,
    so that the state inside is not."""
    for row in table["regions"]:
        names = {language: row[language][0] for language in LANGUAGES if row.get(language)}
        entry = NameAt(0, 0, "region", row["key"], names)
        for language in LANGUAGES:
            for name in row.get(language, []):
                yield name, Form(entry, (_RANK["region"], 0), latin=_is_latin(name))


def _table(name: str) -> dict[str, Any]:
    path = HERE / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def forms() -> list[tuple[str, Form]]:
    """Every name of every entry, with how it is found."""
    return [
        *_states(_table("states.json")),
        *_organisations(_table("organisations.json")),
        *_cities(_table("cities.json.gz")),
        *_regions(_table("regions.json")),
    ]


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, loaded at the first call in a process and kept."""
    names = WorldNames(forms())
    normal.cache_clear()
    return names


class WhenAsked:
    """The gazetteer, loaded at the first question: what the server's own process is given (it asks only
    when a party is registered; the report readers' workers load it as they start)."""

    def find(self, text: str) -> list[NameAt]:
        return load_gazetteer().find(text)

    def named(self, name: str) -> list[NameAt]:
        return load_gazetteer().named(name)


__all__ = ["WhenAsked", "WorldNames", "load_gazetteer", "shadda_skeleton"]
