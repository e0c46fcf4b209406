"""How texts are compared when searching: the same words match however they are written.

Arabic: diacritics (harakat, tanwin, shadda, sukun, dagger alef) and tatweel are
dropped; alef forms (أ إ آ ٱ) become ا; hamza on waw and yaa become و and ي; ta
marbuta becomes ه; alef maqsura becomes ي. Latin and other scripts: case folded
and stripped of accents ("Genève" finds "geneve"). Stored texts are never changed;
only their search form is.
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
