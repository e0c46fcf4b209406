"""The deployment's publications: the agreements, meeting series and parties' commitments an administrator
made public (and withdrew), each with its reason. One list per deployment, kept as one aggregate (as the
themes are): it is short, every change is a fact of its own history, and one read says what is public now
or was public at any past instant.

Publishing a record makes its history public, not only its present: the public pages show it as of any
date. Withdrawing it hides all of it again."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue
from domain.identifiers import derived_id, series_slug

PUBLICATIONS_ID = derived_id("publications", "the deployment's list")
MOST_PUBLISHED = 5_000  # records public at once


class Subject(Enum):
    """What kind of record is published: an agreement (by id), a meeting series (by slug), or the
    commitments a party leads or supports (by the party's id)."""

    AGREEMENT = "agreement"
    SERIES = "series"
    PARTY = "party"


def subject_key(subject: Subject, key: str, field_name: str = "key") -> str:
    """The record's key as it is kept: an agreement's or a party's id in its canonical form, a series' slug."""
    if subject is Subject.SERIES:
        return series_slug(key, field_name)
    try:
        return str(UUID(str(key)))
    except ValueError:
        raise InvalidValue("a UUID names an agreement or a party, as 0190b1c2-…", field_name) from None


@dataclass(frozen=True)
class Publication:
    subject: Subject
    key: str
    since: datetime  # when it was (last) published
    reason: str


class NotPublished(DomainError):
    def __init__(self, subject: Subject, key: str) -> None:
        super().__init__("{key} is not published", "key", key=key)


class PublicationList(Aggregate):
    @staticmethod
    def create_id(**_: object) -> UUID:
        return PUBLICATIONS_ID

    @event("Started")
    def __init__(self, actor: str, timestamp: datetime) -> None:
        self.publications: tuple[Publication, ...] = ()

    def find(self, subject: Subject, key: str) -> Publication | None:
        return next((p for p in self.publications if p.subject is subject and p.key == key), None)

    def publish(self, subject: Subject, key: str, reason: str | None, actor: str, when: datetime) -> bool:
        """Make the record public, with a reason. Publishing what is public already stores nothing (False)."""
        why = _reason(reason)
        if self.find(subject, key) is not None:
            return False
        if len(self.publications) >= MOST_PUBLISHED:
            raise InvalidValue("at most {most} records are published at once", "key", most=MOST_PUBLISHED)
        self._published(subject=subject.value, key=key, reason=why, actor=actor, timestamp=when)
        return True

    @event("Published")
    def _published(self, subject: str, key: str, reason: str, actor: str, timestamp: datetime) -> None:
        self.publications = (*self.publications, Publication(Subject(subject), key, timestamp, reason))

    def unpublish(self, subject: Subject, key: str, reason: str | None, actor: str, when: datetime) -> None:
        """Withdraw the record from the public, with a reason: every public address of it is gone."""
        why = _reason(reason)
        if self.find(subject, key) is None:
            raise NotPublished(subject, key)
        self._unpublished(subject=subject.value, key=key, reason=why, actor=actor, timestamp=when)

    @event("Unpublished")
    def _unpublished(self, subject: str, key: str, reason: str, actor: str, timestamp: datetime) -> None:
        gone = Subject(subject)
        self.publications = tuple(p for p in self.publications if not (p.subject is gone and p.key == key))


def _reason(reason: str | None) -> str:
    why = (reason or "").strip()
    if not why:
        raise InvalidValue("a reason is required to publish or withdraw a record", "reason")
    if len(why) > 2_000:
        raise InvalidValue("a reason is at most {most} characters", "reason", most=2_000)
    return why
