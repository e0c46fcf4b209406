"""Multilingual text: a map from language code to text, one language authentic.

Texts are stored exactly as given after Unicode NFC normalisation, so an Arabic
text comes back byte for byte as the coordinator composed it.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from domain.errors import InvalidValue

# ISO 639-1 codes: the primary subtag of a language tag must be one of these.
ISO_639_1 = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bh",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)
_SUBTAG = re.compile(r"^[A-Za-z0-9]{2,8}$")

SHORT_TEXT_MAX = 500  # names, titles, acronyms' long forms
LONG_TEXT_MAX = 20_000  # commitment texts, quotes, notes, reasons
DOCUMENT_TEXT_MAX = 200_000  # a whole source document
# Names, titles, acronyms, venues (the texts of at most SHORT_TEXT_MAX characters) are one line: a
# line break in one would break the header of an e-mail, a CSV line or a calendar entry it goes to.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def language_code(value: str, field_name: str = "language") -> str:
    """Return the canonical form of a language tag (``ar``, ``en``, ``pt-BR``)."""
    if not isinstance(value, str) or not value:
        raise InvalidValue("a language code is required", field_name)
    primary, *subtags = value.split("-")
    if primary.lower() not in ISO_639_1 or not all(_SUBTAG.match(s) for s in subtags):
        raise InvalidValue("unknown language code {value!r} (use ISO 639-1, e.g. 'ar', 'en')", field_name, value=value)
    canonical = [primary.lower()]
    for subtag in subtags:
        canonical.append(subtag.upper() if len(subtag) == 2 else subtag)
    return "-".join(canonical)


# Characters that change how a text reads without being seen: a name holding them can pass for
# another (a right-to-left override turns "gepj.exe" into "exe.jpeg"). Names, acronyms and titles
# (texts of at most SHORT_TEXT_MAX characters) hold none but the joiners some writing needs, where
# it needs them: inside an emoji sequence (👩‍💻) or between two letters of a script that joins its
# letters (ZWNJ in Persian «می‌شود», ZWJ in Arabic and Indic words); longer texts keep joiners anywhere.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JOINERS = frozenset("\u200c\u200d")
_INVISIBLE = frozenset("\u200b\u2060\ufeff") | _JOINERS  # zero-width space, word joiner, byte-order mark


# Scripts whose letters join (or form conjuncts), where ZWJ and ZWNJ change how a word is written.
_JOINING_SCRIPTS = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _in_emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"  # symbols, skin tones, emoji style


def _joining_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM" and any(a <= ord(ch) <= b for a, b in _JOINING_SCRIPTS)


def _needed_joiner(text: str, at: int) -> bool:
    """Whether the joiner at ``at`` stands where writing needs one: between two parts of an emoji
    sequence, or between two letters of a joining script."""
    if at == 0 or at == len(text) - 1:
        return False
    before, after = text[at - 1], text[at + 1]
    return (_in_emoji(before) and _in_emoji(after)) or (_joining_letter(before) and _joining_letter(after))


def refused_characters() -> str:
    """The characters every text refuses, as the ranges of a regular expression's character class,
    for documents that describe the rules (the API's). The joiners are not among them: a name
    refuses them only where no writing needs them (``_needed_joiner``), which a class cannot say."""
    controls = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"  # Cc, but for \\t \\n \\r
    hidden = _INVISIBLE - _JOINERS
    singles = "".join(f"\\u{ord(ch):04x}" for ch in sorted(_BIDI_CONTROLS | hidden))
    return controls + "\\ud800-\\udfff" + singles


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def clean_text(value: str, field_name: str, max_length: int = LONG_TEXT_MAX) -> str:
    """NFC-normalise a text and refuse it when empty, blank, too long, not valid Unicode, or holding
    characters that could make it read as something else; a short text (a name) also when it holds
    a line break."""
    if not isinstance(value, str):
        raise InvalidValue("a text is required", field_name)
    surrogate = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
    if surrogate is not None:
        raise InvalidValue(
            "the text is not valid Unicode: it holds a lone surrogate ({character})",
            field_name,
            character=_code(surrogate),
        )
    text = unicodedata.normalize("NFC", value)
    if not text.strip():
        raise InvalidValue("the text is empty", field_name)
    if len(text) > max_length:
        raise InvalidValue("the text is longer than {most} characters", field_name, most=max_length)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text):
        raise InvalidValue("the text contains control characters", field_name)
    if max_length <= SHORT_TEXT_MAX and any(ch in LINE_BREAKS for ch in text):
        raise InvalidValue("a name or title is one line: write it without line breaks", field_name)
    spoofing = next((ch for ch in text if ch in _BIDI_CONTROLS), None)
    if spoofing is not None:
        raise InvalidValue(
            "the text holds a direction override ({character}), which can make it read as another; write it without",
            field_name,
            character=_code(spoofing),
        )
    hidden = _INVISIBLE if max_length <= SHORT_TEXT_MAX else _INVISIBLE - _JOINERS
    invisible = next(
        (ch for at, ch in enumerate(text) if ch in hidden and not (ch in _JOINERS and _needed_joiner(text, at))), None
    )
    if invisible is not None:
        if max_length <= SHORT_TEXT_MAX:
            raise InvalidValue(
                "a name or title cannot hold invisible characters ({character}) but where writing "
                "needs a joiner; write it without",
                field_name,
                character=_code(invisible),
            )
        raise InvalidValue(
            "a text cannot hold invisible characters ({character}); write it without",
            field_name,
            character=_code(invisible),
        )
    return text


def optional_text(value: str | None, field_name: str, max_length: int = LONG_TEXT_MAX) -> str | None:
    return None if value is None else clean_text(value, field_name, max_length)


@dataclass(frozen=True)
class MultilingualText:
    """The same text in several languages; ``authentic`` names the one that governs.

    Build it with ``of`` (which validates); the plain constructor is for decoding
    stored events, whose content was validated when first recorded.
    """

    texts: Mapping[str, str]
    authentic: str

    @classmethod
    def of(
        cls,
        texts: Mapping[str, str],
        authentic: str | None,
        field_name: str,
        max_length: int = LONG_TEXT_MAX,
    ) -> "MultilingualText":
        if not isinstance(texts, Mapping) or not texts:
            raise InvalidValue("at least one language is required", f"{field_name}.texts")
        cleaned: dict[str, str] = {}
        for language, text in texts.items():
            code = language_code(language, f"{field_name}.texts.{language}")
            if code in cleaned:
                raise InvalidValue("language {code!r} is given twice", f"{field_name}.texts.{language}", code=code)
            cleaned[code] = clean_text(text, f"{field_name}.texts.{language}", max_length)
        if authentic is None:
            if len(cleaned) > 1:
                raise InvalidValue(
                    "name the authentic language when a text is given in several languages",
                    f"{field_name}.authentic",
                )
            authentic_code = next(iter(cleaned))
        else:
            authentic_code = language_code(authentic, f"{field_name}.authentic")
            if authentic_code not in cleaned:
                raise InvalidValue(f"the authentic language {authentic_code!r} has no text", f"{field_name}.authentic")
        return cls(texts=cleaned, authentic=authentic_code)

    def __post_init__(self) -> None:
        # Read-only: aggregates share their values with the copies kept of them (``application.storage.saving``).
        object.__setattr__(self, "texts", MappingProxyType(dict(self.texts)))

    @property
    def authentic_text(self) -> str:
        return self.texts[self.authentic]
