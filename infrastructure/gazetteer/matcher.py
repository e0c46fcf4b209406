"""Finding the gazetteer's names in a text: one Aho-Corasick pass over the text as searches fold it.

The text is folded character by character (``domain.search.search_form``: Arabic marks and tatweel dropped,
letter forms unified, case and accents folded), every run of other characters (spaces, punctuation) becomes
one space, and each folded character remembers the original one it came from, so found names are given at
their offsets in the text as written. Every name is a key ending in a space, so a key matches only a whole
last word; where it begins is checked against the word's beginning: a Latin name begins a word, an Arabic
one may follow the proclitics Arabic writes on the word (و ف ب ل ك and their pairs; before a name that has
the article, ل and the article write لل: «للمغرب»; an Arabic text writes them on a Latin acronym too:
«وUNESCO»). Of the names found, the leftmost and then the longest is
kept, and none overlapping it.

Then the rules that a dictionary cannot hold (decision 0061):

- A Latin name is found written with a capital first letter, an acronym in its own capitals (or all in
  capitals): "a nice day", "who", "us" are no names.
- A name that is also a word counts only in context: after «في», an attached «ب», "in", "at" or "à", or
  after «مدينة» or «العاصمة» («بصور», "in Nice"). A common word («صور», «عين», "Victoria", the state «مالي»)
  only so; a city's name that is less often a word («عمان», "Nice", "Reading") also where the text names
  its state for certain elsewhere ("Nice, France"; «عمان» in a text naming Jordan). A shadda written as
  the city's name has it is context too (عمّان).
- A name shared by several entries (Tripoli of Libya and of Lebanon; «عمان», Oman and Amman) is the entry
  whose state the text names elsewhere, else the first: a state before an organisation before a city, cities
  by size. A shadda written in the name decides (عمّان is Amman), and so does «مدينة»/«العاصمة» before it
  (a city where a state has its capital's name: «مدينة الكويت»).
- A nisba («المصرية») is not a state after «اللغة» (a language) or «المحيط» (the Indian Ocean).
"""

import dataclasses
import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick publishes no type information

from domain.reading.names import NameAt
from domain.search import search_form

ARTICLE = "ال"
_PROCLITICS = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك"})
_BEFORE_ARTICLE = frozenset({"", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك"})
_BEFORE_MERGED = frozenset({"ل", "ول", "فل"})  # ل + ال is written لل
_LOCATIVE_PROCLITICS = frozenset({"ب", "وب", "فب"})
_LOCATIVES = frozenset({"في", "وفي", "ففي", "in", "at"})
_CITY_CUES = frozenset(
    {"مدينه", "بمدينه", "ومدينه", "لمدينه", "وبمدينه", "العاصمه", "بالعاصمه", "والعاصمه", "للعاصمه", "وبالعاصمه"}
)
_NOT_BEFORE_NISBA = frozenset(f"{p}{w}" for p in ("", "و", "ب", "ف") for w in ("اللغه", "المحيط", "اللغات")) | {
    "للغه",
    "للغات",
    "للمحيط",
}
_SHADDA = "\u0651"
_ARABIC = re.compile("[\u0621-\u064a]")
_TRAILING_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u0300-\u036f]*"
)
_HARAKAT = re.compile("[\u064b-\u0650\u0652\u0670\u0640]")


@dataclass(frozen=True, slots=True)
class Form:
    """One way an entry is written: what the matcher checks before it counts."""

    entry: NameAt  # the entry, at offsets 0
    rank: tuple[int, int]  # which of several entries one key is a name of comes first: (kind, size)
    how: str = "name"  # "name", "nisba" or "acronym"
    written: str | None = None  # an acronym as written, its spaces and punctuation folded to one space
    latin: bool = False  # found only with a capital first letter
    contextual: bool = False  # also a word: found only in context, or where the text names its state
    word: bool = False  # a common word: found only in context in place (a preposition or «مدينة» before it)
    shadda: frozenset[str] = frozenset()  # the entry's names written with a shadda, as ``shadda_skeleton``
    merged: bool = False  # the key without the article's alef: found only after ل, ول, فل


@functools.cache  # the tables name a spelling several times; ``load_gazetteer`` clears it once loaded
def normal(name: str) -> str:
    """A name as the matcher compares it: folded as searches fold it, every run of other characters one space."""
    return " ".join(re.findall(r"[^\W_]+", search_form(name)))


def shadda_skeleton(name: str) -> str:
    """The name folded as searches fold it but keeping its shaddas (عمّان is Amman, عمان most often Oman)."""
    kept = _HARAKAT.sub("", name)
    return "".join(search_form(part) if part != _SHADDA else part for part in re.split(f"({_SHADDA})", kept))


def keys_of(name: str) -> list[tuple[str, bool]]:
    """The keys a name is found under, each with whether it is the article's merged form: its normal form
    (without a leading English "the"), and, when it has the Arabic article, the form ل + ال writes."""
    key = normal(name)
    if key.startswith("the "):
        key = key[4:]
    if not key:
        return []
    keys = [(key, False)]
    if key.startswith(ARTICLE) and len(key) > 3:
        keys.append(("ل" + key[2:], True))
    return keys


_GONE = "\x00"  # what a mark or tatweel folds to before it is dropped: the folding keeps every offset


class _Folding(dict[int, str]):
    """Each character's folded form (a ``str.translate`` table), computed once: a letter or digit folded as
    searches fold it, a mark or tatweel ``_GONE``, anything else a space."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = search_form(ch)
        if folded and all(c.isalnum() for c in folded):
            value = folded
        elif not folded or unicodedata.category(ch).startswith("M"):
            value = _GONE
        else:
            value = " "
        self[code] = value
        return value


_FOLDING = _Folding()
_WORD = re.compile(r"[^ ]+")
_KEPT = re.compile(f"[^{_GONE}]+")


class Offsets:
    """Where each folded character comes from in the text: runs of characters folded one for one, each
    from its offset, found by bisection."""

    __slots__ = ("_folded", "_original")

    def __init__(self, folded: list[int], original: list[int]) -> None:
        self._folded = folded
        self._original = original

    def __getitem__(self, at: int) -> int:
        run = bisect_right(self._folded, at) - 1
        return self._original[run] + at - self._folded[run]


Positions = Sequence[int] | Offsets


def fold(text: str) -> tuple[str, Positions]:
    """The text folded for matching, words apart by one space, a space before and after; and for each
    folded character the offset of the original character it comes from."""
    translated = text.translate(_FOLDING)
    if len(translated) != len(text):  # a character folds to several ("ß" to "ss"): one at a time
        return _fold_by_character(text)
    out = [" "]
    folded_at, original_at = [0], [0]
    length = 1
    for word in _WORD.finditer(translated):
        written = word.group()
        if _GONE in written:
            pieces = [(piece.start(), piece.group()) for piece in _KEPT.finditer(written)]
            if not pieces:
                continue
        else:
            pieces = [(0, written)]
        for offset, piece in pieces:
            folded_at.append(length)
            original_at.append(word.start() + offset)
            out.append(piece)
            length += len(piece)
        folded_at.append(length)
        original_at.append(word.end())
        out.append(" ")
        length += 1
    return "".join(out), Offsets(folded_at, original_at)


def _fold_by_character(text: str) -> tuple[str, list[int]]:
    out = [" "]
    at = [0]
    space = True
    for i, code in enumerate(map(ord, text)):
        folded = _FOLDING[code]
        if folded == _GONE:
            continue
        if folded == " ":
            if space:
                continue
            space = True
        else:
            space = False
        out.append(folded)
        at.extend([i] * len(folded))
    if not space:
        out.append(" ")
        at.append(len(text))
    return "".join(out), at


@dataclass(slots=True)
class _Found:
    start: int  # in the folded text
    end: int
    forms: list[Form]  # those whose checks in place passed
    waiting: list[Form]  # contextual forms whose context is not in place: the text may name their state


def _state_of(form: Form) -> str | None:
    entry = form.entry
    return entry.key if entry.kind == "state" else entry.country


class Matcher:
    """The gazetteer: every name of every entry in one automaton."""

    def __init__(self, forms: Iterable[tuple[str, Form]]) -> None:
        by_key: dict[str, list[Form]] = {}
        for name, form in forms:
            for key, merged in keys_of(name):
                listed = by_key.setdefault(key + " ", [])
                variant = dataclasses.replace(form, merged=merged) if merged else form
                if not any(f.entry is variant.entry and f.merged == merged for f in listed):
                    listed.append(variant)
        self._automaton = ahocorasick.Automaton()
        for key, listed in by_key.items():
            listed.sort(key=lambda f: (f.rank, f.how != "name"))
            self._automaton.add_word(key, (len(key), tuple(listed)))
        self._automaton.make_automaton()
        self.keys = len(by_key)

    def forms_of(self, name: str) -> list[Form]:
        """The forms a name is a key of, as typed (not looked for in a text)."""
        found: list[Form] = []
        for key, _ in keys_of(name)[:1]:
            candidates = [key]
            if _ARABIC.match(key):
                candidates += [key[2:]] if key.startswith(ARTICLE) else [ARTICLE + key]
            for candidate in candidates:
                _, forms = self._automaton.get(candidate + " ", (0, ()))
                found += [f for f in forms if not f.merged]
        return found

    def find(self, text: str) -> list[NameAt]:
        folded, at = fold(text)
        found = self._candidates(text, folded, at)
        kept = _leftmost_longest(found)
        named = _named_states(kept)
        names = []
        for candidate in kept:
            form = self._choose(text, folded, at, candidate, named)
            if form is not None:
                start, end = _original(text, at, candidate.start, candidate.end)
                names.append(dataclasses.replace(form.entry, start=start, end=end))
        return names

    def _candidates(self, text: str, folded: str, at: Positions) -> list[_Found]:
        found = []
        for end, (length, forms) in self._automaton.iter(folded):  # ``end``: the key's closing space
            start = end + 1 - length
            word = folded.rfind(" ", 0, start) + 1
            prefix = folded[word:start]
            if len(prefix) > 2:  # longer than any proclitic: inside a word
                continue
            before = _word_before(folded, word)
            written = text[at[start] : at[end - 1] + 1]
            kept: list[Form] = []
            waiting: list[Form] = []
            for form in forms:
                if not _proclitic_fits(form, prefix, folded, start):
                    continue
                if form.latin and not written[:1].isupper():
                    continue
                if form.how == "acronym" and normal_case(written) != form.written and not written.isupper():
                    continue
                if form.how == "nisba" and before in _NOT_BEFORE_NISBA:
                    continue
                if (form.contextual or form.word) and not _in_context(prefix, before, text, at, word, form, written):
                    waiting.append(form)
                    continue
                kept.append(form)
            if kept or waiting:
                found.append(_Found(start, end, kept, waiting))
        return found

    def _choose(self, text: str, folded: str, at: Positions, found: _Found, named: set[str]) -> Form | None:
        written = text[at[found.start] : at[found.end - 1] + 1]
        rescued = [f for f in found.waiting if f.entry.kind == "city" and not f.word and f.entry.country in named]
        usable = sorted([*found.forms, *rescued], key=lambda f: f.rank)
        if _SHADDA in written:
            skeleton = shadda_skeleton(written)
            marked = [f for f in [*found.forms, *found.waiting] if skeleton in f.shadda]
            if marked:
                return marked[0]
        if not usable:
            return None
        word = folded.rfind(" ", 0, found.start) + 1
        if _word_before(folded, word) in _CITY_CUES:
            cities = [f for f in usable if f.entry.kind == "city"]
            if cities:
                return cities[0]
        supported = [f for f in usable if f.entry.kind == "organisation" or _state_of(f) in named]
        return (supported or usable)[0]


def normal_case(written: str) -> str:
    """An acronym as written, its spaces and punctuation one space, its case kept."""
    return " ".join(re.findall(r"[^\W_]+", written))


def _proclitic_fits(form: Form, prefix: str, folded: str, start: int) -> bool:
    if form.merged:
        return prefix in _BEFORE_MERGED
    if folded.startswith(ARTICLE, start):
        return prefix in _BEFORE_ARTICLE
    return prefix in _PROCLITICS


def _word_before(folded: str, word: int) -> str:
    """The folded word before the one beginning at ``word``."""
    if word < 2:
        return ""
    return folded[folded.rfind(" ", 0, word - 1) + 1 : word - 1]


def _in_context(prefix: str, before: str, text: str, at: Positions, word: int, form: Form, written: str) -> bool:
    if prefix in _LOCATIVE_PROCLITICS or before in _LOCATIVES or before in _CITY_CUES:
        return True
    if before == "a" and word >= 2 and text[at[word - 2]] in "àÀ":
        return True
    return _SHADDA in written and shadda_skeleton(written) in form.shadda


def _leftmost_longest(found: list[_Found]) -> list[_Found]:
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[_Found] = []
    reached = -1
    for candidate in found:
        if candidate.start >= reached:
            kept.append(candidate)
            reached = candidate.end
    return kept


def _named_states(kept: list[_Found]) -> set[str]:
    """The states the text names for certain: by a name all of whose entries are in one state, in place."""
    named: set[str] = set()
    for found in kept:
        if found.waiting or not found.forms:
            continue
        states = {_state_of(f) for f in found.forms}
        state = states.pop()
        if not states and state is not None:
            named.add(state)
    return named


def _original(text: str, at: Positions, start: int, end: int) -> tuple[int, int]:
    """The span in the original text of folded ``start``–``end`` (the key's closing space excluded), with the
    marks written on its last letter."""
    first, last = at[start], at[end - 1] + 1
    trailing = _TRAILING_MARKS.match(text, last)
    return first, trailing.end() if trailing else last
