"""Templates: one Jinja2 environment per interface language, each with its catalogue installed, so a
page is rendered in one language without any state shared between requests. Escaping is on for
every template: a record's text is always shown as text."""

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.web import i18n

TEMPLATES = Path(__file__).parent / "templates"
PUBLIC_FOLDERS = {"agreement": "agreements", "series": "series", "party": "parties"}  # under /public


def public_path(subject: str, key: str) -> str:
    """Where a published record is read, under ``/public``: ``agreements/{id}``, ``series/{slug}``,
    ``parties/{id}``."""
    return f"{PUBLIC_FOLDERS[subject]}/{key}"


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
    env.globals.update(
        direction=i18n.direction,
        language_names=i18n.LANGUAGE_NAMES,
        languages=i18n.LANGUAGES,
        public_path=public_path,
        shown_once=False,  # a page showing a secret once says True: it leaves out the links that would lose it
    )
    return env


def render(language: str, template: str, context: dict[str, Any]) -> str:
    return environment(language).get_template(template).render(context)
