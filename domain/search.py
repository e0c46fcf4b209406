"""How texts are compared when searching: the same words match however they are written.

Arabic: diacritics (harakat, tanwin, shadda, sukun, dagger alef) and tatweel are
dropped; alef forms (أ إ آ ٱ) become ا; hamza on waw and yaa become و and ي; ta
marbuta becomes ه; alef maqsura becomes ي. Latin and other scripts: case folded
and stripped of accents ("Genève" finds "geneve"). Stored texts are never changed;
only their search form is.

Arabic writes some particles and the article as part of the word (لمكافحة is
"for combating", الإطار "the framework"). Indexed words are therefore also
indexed without them, so that مكافحة and إطار find those texts.
"""

import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u064a",  # ئ -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u0649": "\u064a",  # ى -> ي
    }
)
_WORD = re.compile(r"\w+")
_ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
_PARTICLES = ("و", "ف", "ب", "ل", "ك")
MAX_QUERY_TERMS = 12


def search_form(text: str) -> str:
    """The form of ``text`` that searches compare."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", without_accents)


def search_terms(text: str) -> list[str]:
    """The words of ``text`` in search form, in order."""
    return _WORD.findall(search_form(text))


def _without_prefixes(word: str) -> set[str]:
    stems: set[str] = set()
    for particle in ("", *_PARTICLES):
        if particle and not (word.startswith(particle) and len(word) - len(particle) >= 3):
            continue
        rest = word[len(particle):]
        if particle:
            stems.add(rest)
        for article in _ARTICLES:
            if rest.startswith(article) and len(rest) - len(article) >= 2:
                stems.add(rest[len(article):])
                break
    stems.discard(word)
    return stems


def index_terms(text: str) -> list[str]:
    """The words under which ``text`` is found: its search terms, and Arabic words without their prefixes."""
    words = search_terms(text)
    extra = [stem for word in words if _ARABIC_WORD.match(word) for stem in sorted(_without_prefixes(word))]
    return words + extra
