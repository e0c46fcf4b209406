"""Refusals in the reader's language.

A refusal's words are a template with ``{name}`` placeholders and its values (``domain.errors.Refusal``):
the template is a message id of the catalogues, so a page says it in the reader's language, and
values that are words of the interface themselves (a status, an action, a kind of record) are said
in it too. What was stored as English words only (the log of refused requests, an import's reasons)
is matched against the templates to find its values again; words no template matches are shown as
they were written.
"""

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from api.web import i18n
from api.web.labels import labeller

# Values that are themselves words of the interface: the labels group that says them.
VALUE_LABELS = {
    "status": "status",
    "meeting_status": "meeting_status",
    "action": "verb",
    "kind": "record_kind",
    "role": "role_of_key",
    "precision": "precision",
    "column": "import_field",
}
_PLACEHOLDER = re.compile(r"\{(\w+)(![rs])?(?::[^}]*)?\}")


class Refusals:
    """The refusals of one reader's language."""

    def __init__(self, language: str) -> None:
        self.translate = i18n.translations(language).gettext
        self.label = labeller(self.translate)

    def say(self, template: str, values: Mapping[str, Any], written: bool = False) -> str:
        """A refusal's template, in the reader's words, filled with its values (``written``: the values
        as they were written into the words, their quotes and formats already applied)."""
        if not values:  # words with nothing to fill in (braces in them are not placeholders)
            return self.translate(template)
        shown = {
            name: self.label(VALUE_LABELS[name], value) if name in VALUE_LABELS and isinstance(value, str) else value
            for name, value in values.items()
        }
        words, english = self.translate(template), template
        if written:
            words, english = (_PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", w) for w in (words, english))
        try:
            return words.format(**shown)
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English words
            return english.format_map(dict(values))

    def said(self, refusal: Any) -> str:
        """What an error or a refusal (``{"template", "values"}`` or ``{"detail"}``) says, in the reader's words."""
        template = getattr(refusal, "template", None) if not isinstance(refusal, Mapping) else refusal.get("template")
        if template is not None:
            values = getattr(refusal, "values", None) if not isinstance(refusal, Mapping) else refusal.get("values")
            return self.say(template, values or {})
        detail = getattr(refusal, "detail", None) if not isinstance(refusal, Mapping) else refusal.get("detail")
        return self.stored(str(detail if detail is not None else refusal))

    def stored(self, english: str) -> str:
        """Words stored in English (a refused request's reason): the template they were made of, in the
        reader's words; as written when none matches."""
        for template, form in _forms():
            found = form.fullmatch(english)
            if found:
                return self.say(template, {name: found.group(name) for name in form.groupindex}, written=True)
        return english


@cache
def _forms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each message id of the catalogues as a pattern its filled-in words match (static ones exactly)."""
    forms = []
    # The most specific first: the most words of its own (besides its placeholders).
    for template in sorted(i18n.message_ids(), key=lambda t: len(_PLACEHOLDER.sub("", t)), reverse=True):
        pattern, seen, position = "", set(), 0
        for placeholder in _PLACEHOLDER.finditer(template):
            pattern += re.escape(template[position : placeholder.start()])
            name = placeholder.group(1)
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
            position = placeholder.end()
        forms.append((template, re.compile(pattern + re.escape(template[position:]), re.DOTALL)))
    return tuple(forms)


def sayer(language: str) -> Callable[[Any], str]:
    """``said(refusal)`` for a page's templates."""
    return Refusals(language).said
