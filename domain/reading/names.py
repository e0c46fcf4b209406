"""The world's names a report may use: states, cities and international organisations, in Arabic, English
and French, as reports write them. The reading rules ask a ``Gazetteer`` (a port: its data and matcher live in
``infrastructure.gazetteer``); with ``NO_NAMES`` they read with the registered parties alone."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class NameAt:
    """A name of the gazetteer written in a text, at ``start``–``end`` (offsets in the text as given: the
    name as written, without an attached و ب ل ف ك or the article's proclitic forms before it)."""

    start: int
    end: int
    kind: str  # "state", "city", "organisation", or "region" (found only so that a state's name in it is not)
    key: str  # stable: ISO 3166 alpha-2 for a state, GeoNames id for a city, the table's key for an organisation
    names: dict[str, str]  # its name in "ar", "en", "fr" (those known)
    acronym: str | None = None  # an organisation's Latin acronym (e.g. "INTERPOL")
    country: str | None = None  # a city's state, ISO 3166 alpha-2
    time_zone: str | None = None  # a city's IANA time zone
    aliases: tuple[str, ...] = field(default=())  # its other names and spellings the gazetteer knows
    seat: str | None = None  # an organisation's seat: the English name of the city of its headquarters


class Gazetteer(Protocol):
    def find(self, text: str) -> list[NameAt]:
        """Every name the text writes, leftmost-longest, none overlapping another, in order; in one pass,
        linear in the text."""
        ...

    def named(self, name: str) -> list[NameAt]:
        """The entries a name (as a coordinator types it) is a name of: for offering their aliases."""
        ...


class _NoNames:
    def find(self, text: str) -> list[NameAt]:
        return []

    def named(self, name: str) -> list[NameAt]:
        return []


NO_NAMES: Gazetteer = _NoNames()
