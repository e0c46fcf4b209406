"""Publishing: an administrator makes an agreement, a meeting series or a party's commitments public (and
withdraws them), each time with a reason; each is an event of the deployment's list of publications, in its
history, and the list as it stood at any instant answers what was public then."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application import policy
from application.errors import NotFound
from application.listing.histories import Histories
from application.listing.queries import MeetingFilter
from application.ports import Catalogue
from application.storage.saving import Records
from application.views import EventView, plain
from domain.access import Principal
from domain.choices import choice
from domain.meetings.agreement import Agreement
from domain.parties.party import Party
from domain.publishing.publications import PUBLICATIONS_ID, Publication, PublicationList, Subject, subject_key

MOST_MEETINGS = 200  # meetings of a series read for it


def held_order(meeting: dict[str, Any]) -> tuple[str, int]:
    """A series' meetings in the order they were held: by first day, then session number."""
    return meeting["scheduled"].get("starts_on") or "", meeting.get("session_number") or 0


@dataclass(frozen=True)
class PublicationView:
    subject: str  # agreement | series | party
    key: str  # the agreement's or party's id, the series' slug
    since: str  # when it was (last) published
    reason: str

    @classmethod
    def of(cls, publication: Publication) -> "PublicationView":
        return cls(publication.subject.value, publication.key, publication.since.isoformat(), publication.reason)


class Publishing:
    def __init__(self, records: Records, histories: Histories, catalogue: Catalogue) -> None:
        self.records = records
        self.histories = histories
        self.catalogue = catalogue
        self._kept: tuple[int, PublicationList] | None = None  # the list last read, by its version

    # -- what is public

    def current(self) -> PublicationList | None:
        """The list as it stands (None: nothing was ever published). Read again only when it has changed: one
        question of its latest version, then the copy kept (every process sees a withdrawal at once)."""
        version = self.records.store.latest_version(PUBLICATIONS_ID)
        if version is None:
            return None
        if self._kept is None or self._kept[0] != version:
            found = self.records.load(PublicationList, PUBLICATIONS_ID, version)
            if found is None:
                return None
            self._kept = (version, found)
        return self._kept[1]

    def find(self, subject: Subject, key: str) -> Publication | None:
        current = self.current()
        return None if current is None else current.find(subject, key)

    def title(self, publication: Publication) -> dict[str, Any] | None:
        """What the record is called: an agreement's title, a party's names, a series' latest meeting's title."""
        if publication.subject is Subject.AGREEMENT:
            agreement = self.records.load(Agreement, publication.key)
            return None if agreement is None else plain(agreement.title)
        if publication.subject is Subject.PARTY:
            party = self.records.load(Party, publication.key)
            return None if party is None else plain(party.names)
        meetings = self.series_meetings(publication.key)
        return meetings[-1]["title"] if meetings else None

    def series_meetings(self, slug: str) -> list[dict[str, Any]]:
        """The meetings of a series (as lists show them), in the order they were held."""
        found = self.catalogue.find_meetings(MeetingFilter(series=slug, limit=MOST_MEETINGS)).items
        return sorted(found, key=held_order)

    def version(self) -> int:
        current = self.current()
        return 0 if current is None else current.version

    def listed(self, caller: Principal, as_of: datetime | None = None) -> list[PublicationView]:
        """What is public now, or was at ``as_of``, the longest published first."""
        policy.reads(caller)
        found = self.current()
        if found is not None and as_of is not None:
            found = self.histories.as_of(PublicationList, PUBLICATIONS_ID, as_of)
        return [] if found is None else [PublicationView.of(p) for p in found.publications]

    def history(self, caller: Principal, after_version: int = 0, limit: int | None = None) -> list[EventView]:
        """Every publication and withdrawal, with its reason and who decided it, oldest first."""
        policy.reads(caller)
        if self.current() is None:
            return []
        return self.histories.events(PublicationList, PUBLICATIONS_ID, after_version, limit)

    # -- deciding it

    def publish(self, caller: Principal, subject: str, key: str, reason: str | None) -> PublicationView:
        """Make the record public (it must exist); publishing what is public already stores nothing."""
        actor = policy.publishes(caller).id
        kind, checked = self._existing(subject, key)
        self._change(actor, lambda publications, when: publications.publish(kind, checked, reason, actor, when))
        found = self.find(kind, checked)
        assert found is not None
        return PublicationView.of(found)

    def unpublish(self, caller: Principal, subject: str, key: str, reason: str | None) -> None:
        """Withdraw the record from the public: every public address of it answers 404 from now on."""
        actor = policy.publishes(caller).id
        kind = choice(Subject, subject, "subject")
        checked = subject_key(kind, key)
        self._change(actor, lambda publications, when: publications.unpublish(kind, checked, reason, actor, when))

    def _existing(self, subject: str, key: str) -> tuple[Subject, str]:
        kind = choice(Subject, subject, "subject")
        checked = subject_key(kind, key)
        if kind is Subject.AGREEMENT:
            self.records.get(Agreement, checked)
        elif kind is Subject.PARTY:
            self.records.get(Party, checked)
        elif not self.series_meetings(checked):
            raise NotFound("meeting series", checked)
        return kind, checked

    def _change(self, actor: str, change: Callable[[PublicationList, datetime], object]) -> None:
        """Change the list; the first change starts it."""
        self.records.change_or_start(
            PublicationList, PUBLICATIONS_ID, lambda now: PublicationList(actor=actor, timestamp=now), change
        )
