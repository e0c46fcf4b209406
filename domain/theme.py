"""Themes: the managed list of tags commitments carry (the SDGs, an organisation's own themes), each
named in several languages. One list per deployment, kept as one aggregate: it is short, and every
change to it is a fact of its own history.

A commitment carries themes of the list only (``ThemeList.chosen``); a retired theme stays on the
commitments that carry it, and is no longer offered.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue
from domain.identifiers import derived_id
from domain.text import MultilingualText

THEMES_ID = derived_id("themes", "the deployment's list")
MOST_THEMES = 500
MOST_PER_COMMITMENT = 20
_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def theme_code(value: str, field_name: str = "code") -> str:
    """A theme's code: 1 to 40 lower-case letters, digits and hyphens, as ``sdg-5`` or ``food-security``."""
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidValue("a theme's code is 1 to 40 lower-case letters, digits and hyphens, e.g. 'sdg-5'", field_name)
    return value


@dataclass(frozen=True)
class Theme:
    code: str
    names: MultilingualText
    retired: bool = False


class UnknownTheme(DomainError):
    def __init__(self, code: str, field_name: str) -> None:
        super().__init__("no theme {code!r} in the list of themes", field_name, code=code)


class ThemeList(Aggregate):
    @staticmethod
    def create_id(**_: object) -> UUID:
        return THEMES_ID

    @event("Started")
    def __init__(self, actor: str, timestamp: datetime) -> None:
        self.themes: tuple[Theme, ...] = ()

    def theme(self, code: str, field_name: str = "code") -> Theme:
        for theme in self.themes:
            if theme.code == code:
                return theme
        raise UnknownTheme(code, field_name)

    def define(self, code: str, names: MultilingualText, actor: str, when: datetime) -> None:
        if any(theme.code == code for theme in self.themes):
            raise InvalidValue("the theme {code!r} is in the list already", "code", code=code)
        if len(self.themes) >= MOST_THEMES:
            raise InvalidValue("the list holds at most {most} themes", "code", most=MOST_THEMES)
        self._defined(theme=Theme(code, names), actor=actor, timestamp=when)

    @event("Defined")
    def _defined(self, theme: Theme, actor: str, timestamp: datetime) -> None:
        self.themes = (*self.themes, theme)

    def rename(self, code: str, names: MultilingualText, actor: str, when: datetime) -> None:
        if self.theme(code).names == names:
            raise InvalidValue("the theme has these names already", "names")
        self._renamed(code=code, names=names, actor=actor, timestamp=when)

    @event("Renamed")
    def _renamed(self, code: str, names: MultilingualText, actor: str, timestamp: datetime) -> None:
        self.themes = tuple(replace(t, names=names) if t.code == code else t for t in self.themes)

    def retire(self, code: str, reason: str | None, actor: str, when: datetime) -> None:
        if self.theme(code).retired:
            raise InvalidValue("the theme is retired already", "code")
        self._retired(code=code, reason=reason, actor=actor, timestamp=when)

    @event("Retired")
    def _retired(self, code: str, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.themes = tuple(replace(t, retired=True) if t.code == code else t for t in self.themes)

    def chosen(
        self, codes: list[str] | tuple[str, ...], kept: tuple[str, ...] = (), field_name: str = "themes"
    ) -> tuple[str, ...]:
        """The codes, each a theme of the list not retired (or one the commitment carries already,
        ``kept``), without repeats, in the order given."""
        if len(codes) > MOST_PER_COMMITMENT:
            raise InvalidValue("a commitment carries at most {most} themes", field_name, most=MOST_PER_COMMITMENT)
        for index, code in enumerate(codes):
            theme = self.theme(theme_code(code, f"{field_name}[{index}]"), f"{field_name}[{index}]")
            if theme.retired and code not in kept:
                raise InvalidValue("the theme {code!r} is retired", f"{field_name}[{index}]", code=code)
        return tuple(dict.fromkeys(codes))
