"""How custom types inside events are written to and read from the event store.

Every value object, enum and date that an event carries has a named transcoding
here. The names are part of the stored format: never rename one.
"""

import dataclasses
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from application.ports import InClear, PersonalSeal
from domain.access import Role
from domain.commitments.comments import Comment
from domain.commitments.confirmation import Objection, PendingChange, Rule
from domain.commitments.due import Due, Precision, RelativeUnit
from domain.commitments.escalation import Audience, Escalation, Ladder, Step
from domain.commitments.lifecycle import Status
from domain.commitments.promise import CommitmentKind, Evidence, FollowUp, Progress, Provenance
from domain.commitments.recurrence import Schedule
from domain.evidence_files import EvidenceFile
from domain.meetings.agreement import AgreementKind, MatrixRow
from domain.meetings.meeting import (
    DateRange,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
    SourceDocument,
    Venue,
)
from domain.meetings.series import HeldSession, Rhythm
from domain.parties.contact import Contact, Frequency
from domain.parties.party import PartyKind
from domain.people.person import PersonDetails, Standing
from domain.personal_data import PERSONAL_FIELDS
from domain.text import MultilingualText
from domain.theme import Theme


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    """An enum member by its value, under the name ``enum:<name>``."""

    def __init__(self, enum_class: type[Enum], name: str) -> None:
        self.type = enum_class
        self.name = f"enum:{name}"

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        member: Enum = self.type(data)
        return member


class DataclassAsDict(Transcoding):
    """A frozen dataclass by its fields; nested custom values are transcoded in turn."""

    def __init__(self, cls: type, name: str) -> None:
        self.type = cls
        self.name = name
        self.fields = [f.name for f in dataclasses.fields(cls)]

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: _plain(getattr(obj, name)) for name in self.fields}

    def decode(self, data: dict[str, Any]) -> Any:
        known = {key: value for key, value in data.items() if key in self.fields}
        return self.type(**known)


def _plain(value: Any) -> Any:
    """A read-only mapping (``MultilingualText.texts``) is stored as the JSON object it holds."""
    return dict(value) if isinstance(value, Mapping) and not isinstance(value, dict) else value


ENUMS: dict[str, type[Enum]] = {
    "status": Status,
    "commitment_kind": CommitmentKind,
    "precision": Precision,
    "relative_unit": RelativeUnit,
    "party_kind": PartyKind,
    "meeting_kind": MeetingKind,
    "meeting_status": MeetingStatus,
    "participant_role": ParticipantRole,
    "role": Role,
    "standing": Standing,
    "agreement_kind": AgreementKind,
    "escalation_audience": Audience,
    "digest_frequency": Frequency,
    "confirmation_rule": Rule,
}

VALUE_OBJECTS: dict[str, type] = {
    "multilingual_text": MultilingualText,
    "due": Due,
    "date_range": DateRange,
    "venue": Venue,
    "participant": Participant,
    "source_document": SourceDocument,
    "matrix_row": MatrixRow,
    "provenance": Provenance,
    "follow_up": FollowUp,
    "evidence": Evidence,
    "evidence_file": EvidenceFile,
    "person_details": PersonDetails,
    "progress": Progress,
    "held_session": HeldSession,
    "rhythm": Rhythm,
    "recurrence_schedule": Schedule,
    "escalation_step": Step,
    "escalation_ladder": Ladder,
    "escalation": Escalation,
    "contact": Contact,
    "theme": Theme,
    "comment": Comment,
    "pending_change": PendingChange,
    "objection": Objection,
}


class SealedPersonalData(DataclassAsDict):
    """A value holding personal data (``domain.personal_data``): each personal field stored sealed with the key
    of the person it belongs to (the value's ``id``), read back as written, or, once the person is erased,
    empty with ``erased`` set. ``erased`` itself is never stored."""

    def __init__(self, cls: type, name: str, fields: tuple[str, ...], seal: PersonalSeal) -> None:
        super().__init__(cls, name)
        self.fields = [f for f in self.fields if f != "erased"]
        self.personal = fields
        self.seal = seal

    def encode(self, obj: Any) -> dict[str, Any]:
        encoded = super().encode(obj)
        person = str(obj.id)
        for name in self.personal:
            encoded[name] = self.seal.sealed(person, encoded[name])
        return encoded

    def decode(self, data: dict[str, Any]) -> Any:
        person = str(data["id"])
        opened = {name: self.seal.opened(person, data[name]) for name in self.personal if name in data}
        erased = any(value is None for value in opened.values())
        known = {key: value for key, value in data.items() if key in self.fields}
        if erased:
            return self.type(**{**known, **dict.fromkeys(self.personal, "")}, erased=True)
        return self.type(**{**known, **opened})


def register(transcoder: JSONTranscoder, seal: PersonalSeal | None = None) -> None:
    """The domain's values; those holding personal data sealed by ``seal`` (none: kept as written)."""
    transcoder.register(DateAsISO())
    for name, enum_class in ENUMS.items():
        transcoder.register(EnumAsValue(enum_class, name))
    personal = PERSONAL_FIELDS
    for name, cls in VALUE_OBJECTS.items():
        if cls in personal:
            transcoder.register(SealedPersonalData(cls, name, personal[cls], seal or InClear()))
        else:
            transcoder.register(DataclassAsDict(cls, name))
