"""Request bodies, named by role. Shapes only: the rules are checked in the domain.

Unknown fields are refused (``extra="forbid"``), so a misspelt field name is a
clear 422 rather than a silently ignored value.

The request and response models of the JSON API, a module per subject:

- ``common``: the base classes (``Schema``, ``Answer``), the field types (``Name``, ``Words``, ``Day``,
  ``Count``, ``Language``...), the bodies many subjects take (``TextIn``, ``DueIn``, ``PeriodIn``,
  ``EvidenceIn``, ``Reasoned``) and ``MANY``, the most items of a list;
- ``parties``: a party, its escalation ladder and contacts, the digests sent, a page of parties;
- ``meetings``: a meeting (venue, participants, documents), its postponement, a series' rhythm, a page;
- ``agreements``: an agreement and its matrix rows, a page;
- ``commitments``: a commitment as recorded (with its follow-up), a page;
- ``commitment_actions``: what is done to a commitment (suspension, delivery, assessment, supersession,
  progress, due revision, correction, review, themes, weight);
- ``recurrences``: a recurring commitment and its schedule;
- ``themes``: a theme and its new names;
- ``figures``: the roll-ups and statistics;
- ``history``: a record's history and timeline;
- ``search``: the records found;
- ``deliveries``: webhook deliveries and their attempts;
- ``audit``: the audit chain's state, head and verification, the denials;
- ``service``: health, readiness, the caller;
- ``problems``: the problem document of every error.
"""

from api.schemas.agreements import AgreementCreate, AgreementInputs, AgreementPage, ConfirmationRule, RowIn
from api.schemas.audit import ChainState, Denial, DenialPage, Head, Verification
from api.schemas.commitment_actions import (
    Assessment,
    CommentHiding,
    CommentIn,
    Correction,
    CorrectionInputs,
    Delivery,
    DueRevision,
    EvidenceVisibility,
    Objecting,
    PartyWord,
    ProgressReport,
    ReviewSchedule,
    Supersession,
    Suspension,
    ThemesChoice,
    WeightChange,
)
from api.schemas.commitments import CommitmentCreate, CommitmentInputs, CommitmentPage, FollowUpIn
from api.schemas.common import (
    DAY_FORM,
    LANGUAGE_FORM,
    MANY,
    Answer,
    Count,
    Day,
    DeliveryStatusName,
    Document,
    DueIn,
    EvidenceIn,
    Language,
    Name,
    NameIn,
    PeriodIn,
    PrecisionName,
    Reasoned,
    RelativeUnitName,
    RoleName,
    Schema,
    TextIn,
    Words,
    evidence_values,
    text_input,
)
from api.schemas.deliveries import Attempt, DeliveryDetail, DeliveryPage, DeliveryRecord, Resent
from api.schemas.figures import Figures, PartyFigures, RollupAnswer, SeriesFigures, Statistics
from api.schemas.history import History, Timeline
from api.schemas.meetings import (
    DocumentIn,
    MeetingCreate,
    MeetingInputs,
    MeetingPage,
    MeetingPostponement,
    ParticipantIn,
    RhythmIn,
    VenueIn,
)
from api.schemas.parties import AliasesChange, ContactIn, DigestSent, LadderChange, PartyCreate, PartyPage, StepIn
from api.schemas.problems import FieldError, Problem
from api.schemas.recurrences import RecurrenceCreate, RecurrenceInputs, ScheduleChange
from api.schemas.search import Hit, Hits
from api.schemas.service import Caller, DeploymentStatus, Health, Readiness
from api.schemas.themes import ThemeIn, ThemeRename

__all__ = [
    "AgreementCreate",
    "ConfirmationRule",
    "AgreementInputs",
    "AgreementPage",
    "Answer",
    "Assessment",
    "Attempt",
    "Caller",
    "ChainState",
    "CommitmentCreate",
    "CommitmentInputs",
    "CommitmentPage",
    "AliasesChange",
    "ContactIn",
    "Correction",
    "CorrectionInputs",
    "Count",
    "Day",
    "DAY_FORM",
    "Delivery",
    "DeliveryDetail",
    "DeliveryPage",
    "DeliveryRecord",
    "DeliveryStatusName",
    "Denial",
    "DenialPage",
    "DeploymentStatus",
    "DigestSent",
    "Document",
    "DocumentIn",
    "DueIn",
    "DueRevision",
    "evidence_values",
    "EvidenceIn",
    "FieldError",
    "Figures",
    "FollowUpIn",
    "Head",
    "Health",
    "History",
    "Hit",
    "Hits",
    "LadderChange",
    "Language",
    "LANGUAGE_FORM",
    "MANY",
    "MeetingCreate",
    "MeetingInputs",
    "MeetingPage",
    "MeetingPostponement",
    "Name",
    "NameIn",
    "ParticipantIn",
    "PartyCreate",
    "PartyFigures",
    "PartyPage",
    "PeriodIn",
    "PrecisionName",
    "Problem",
    "ProgressReport",
    "Readiness",
    "Reasoned",
    "RecurrenceCreate",
    "RecurrenceInputs",
    "RelativeUnitName",
    "Resent",
    "ReviewSchedule",
    "RhythmIn",
    "RoleName",
    "RollupAnswer",
    "RowIn",
    "ScheduleChange",
    "Schema",
    "SeriesFigures",
    "Statistics",
    "StepIn",
    "Supersession",
    "Suspension",
    "text_input",
    "TextIn",
    "ThemeIn",
    "ThemeRename",
    "ThemesChoice",
    "Timeline",
    "VenueIn",
    "Verification",
    "CommentHiding",
    "Objecting",
    "PartyWord",
    "CommentIn",
    "EvidenceVisibility",
    "WeightChange",
    "Words",
]
