"""How texts are compared when searching: the same words match however they are written.

Arabic: diacritics (harakat, tanwin, shadda, sukun, dagger alef) and tatweel are
dropped; alef forms (أ إ آ ٱ) become ا; hamza on waw and yaa become و and ي; ta
marbuta becomes ه; alef maqsura (and Persian yeh) becomes ي, Persian keheh ك;
Arabic-Indic and Persian digits become 0-9. Latin and other scripts: case folded
and stripped of accents ("Genève" finds "geneve"). Stored texts are never changed;
only their search form is.

Arabic writes some particles and the article as part of the word (لمكافحة is "for
combating", الإطار "the framework", للإنتربول "for the Interpol"). Each word therefore
has keys (``word_keys``): its search form, and the same without an attached article
(ال، لل، بال، وال، فال، كال) or a leading و، ف، ب، ل، ك. A text is indexed under the keys of
its words; a query word is searched with its keys, any of which may match: the same
function on both sides, so الإنتربول, للإنتربول and انتربول find the same records. Rules were
chosen over a light stemmer on a table of word forms from real reports (decision 0017).
"""

import re
import unicodedata
from collections.abc import Iterable

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
        "\u06cc": "\u064a",  # Persian yeh ی -> ي
        "\u06a9": "\u0643",  # Persian keheh ک -> ك
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits ٠-٩
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Persian digits ۰-۹
    }
)
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "_" separates words, as both engines' indexes do
_ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
_PARTICLES = ("و", "ف", "ب", "ل", "ك")
_SHORTEST_STEM = 3  # letters left after a particle or an article: shorter remainders are other words
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
        if particle and not (word.startswith(particle) and len(word) - len(particle) >= _SHORTEST_STEM):
            continue
        rest = word[len(particle) :]
        if particle:
            stems.add(rest)
        for article in _ARTICLES:
            if rest.startswith(article) and len(rest) - len(article) >= _SHORTEST_STEM:
                stems.add(rest[len(article) :])
                break
    stems.discard(word)
    return stems


def word_keys(word: str) -> tuple[str, ...]:
    """The keys of one word in search form: itself, then (Arabic) itself without its prefixes."""
    if not _ARABIC_WORD.match(word):
        return (word,)
    return (word, *sorted(_without_prefixes(word)))


def bare_word(word: str) -> str:
    """A word in search form without an attached Arabic article or particle (the shortest key)."""
    return min(word_keys(word), key=len)


def index_terms(*texts: str) -> list[str]:
    """The keys under which texts are found: every key of every word, each once, in order."""
    return list(dict.fromkeys(key for text in texts for word in search_terms(text) for key in word_keys(word)))


def query_words(text: str) -> list[tuple[str, ...]]:
    """A query's words, each as its keys: a text is found if, for every word, one of its keys
    is a key of the text or the beginning of one."""
    return [word_keys(word) for word in dict.fromkeys(search_terms(text))]


def finds(query: list[tuple[str, ...]], terms: Iterable[str]) -> bool:
    """Whether a text with these index terms is found by the query: the rule both engines'
    full-text indexes apply (``infrastructure.search_index``), for records replayed in memory."""
    indexed = set(terms)
    return all(any(term.startswith(key) for key in keys for term in indexed) for keys in query)
