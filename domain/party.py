"""Parties: organisations, states, agencies and offices that meet and commit."""

import re
from datetime import datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue
from domain.escalation import Ladder
from domain.identifiers import derived_id
from domain.text import SHORT_TEXT_MAX, MultilingualText, clean_text

_ACRONYM = re.compile(r"^[\w][\w&./\- ]{0,31}$")


class PartyKind(Enum):
    STATE = "state"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    UN_ENTITY = "un_entity"
    SUBSIDIARY_ORGAN = "subsidiary_organ"
    SPECIALISED_INSTITUTION = "specialised_institution"
    MINISTRY = "ministry"
    AGENCY = "agency"
    OFFICE = "office"
    SECURITY_BODY = "security_body"
    NGO = "ngo"
    OTHER = "other"


def acronym(value: str, field_name: str = "acronym") -> str:
    text = clean_text(value, field_name, SHORT_TEXT_MAX).strip()
    if not _ACRONYM.match(text):
        raise InvalidValue(
            "an acronym has 1 to 32 letters, digits, spaces or & . / - and starts with a letter or digit",
            field_name,
        )
    return text


def party_id(acronym_text: str) -> UUID:
    """Acronyms are unique regardless of case: 'IOFS' and 'iofs' are one party."""
    return derived_id("party", acronym_text.casefold())


class Party(Aggregate):
    """Version 2 (in snapshots) added the party's own escalation ladder."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["ladder"] = None

    @staticmethod
    def create_id(acronym: str, **_: object) -> UUID:
        return party_id(acronym)

    @event("Registered")
    def __init__(
        self,
        names: MultilingualText,
        acronym: str,
        kind: PartyKind,
        parent_id: UUID | None,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.names = names
        self.acronym = acronym
        self.kind = kind
        self.parent_id = parent_id
        self.ladder: Ladder | None = None  # its own escalation ladder for what it leads; None: the deployment's

    def keep_ladder(self, ladder: Ladder | None, reason: str | None, actor: str, when: datetime) -> None:
        """Escalate what the party leads by its own ladder (None: by the deployment's again)."""
        if ladder == self.ladder:
            raise InvalidValue("the party keeps this ladder already" if ladder is not None else
                               "the party follows the deployment's ladder already", "steps")
        self._ladder_kept(ladder=ladder, reason=reason, actor=actor, timestamp=when)

    @event("LadderKept")
    def _ladder_kept(self, ladder: Ladder | None, reason: str | None, actor: str, timestamp: datetime) -> None:
        self.ladder = ladder
