"""Calendar feeds, for every door (the JSON API, the pages, calendar programs): a secret address per key,
or per party, that calendar programs read without a key. What a feed shows: the open commitments that
have a due, and the meetings still to be held, of some parties (leads or supports; takes part) or of all.

Who may: a key that records makes feeds (for its own parties, or for one party); each key sees and
closes its own, an administrator every key's; whoever holds a feed's address reads it."""

from dataclasses import dataclass, replace
from typing import Any, Protocol
from uuid import UUID

from application import policy
from application.errors import NotFound
from application.listing import lists
from application.listing.exports import every, matching
from application.listing.histories import Histories
from application.listing.queries import MAX_LIMIT, CommitmentFilter, MeetingFilter, Results
from application.ports import Catalogue
from application.records.parties import Parties
from domain.access import Principal
from domain.commitments.lifecycle import OPEN
from domain.meetings.meeting import MeetingStatus

TO_BE_HELD = (MeetingStatus.SCHEDULED.value, MeetingStatus.POSTPONED.value)


@dataclass(frozen=True)
class Agenda:
    commitments: list[dict[str, Any]]
    meetings: list[dict[str, Any]]


def agenda(histories: Histories, catalogue: Catalogue, parties: frozenset[str] | None) -> Agenda:
    """``parties``: only what these parties lead, support or take part in (``None``: everything)."""
    commitments = list(
        matching(
            histories,
            catalogue,
            CommitmentFilter(statuses=sorted(s.value for s in OPEN), has_due=True, any_party=parties, sort="due"),
        )
    )
    meetings: dict[str, dict[str, Any]] = {}
    for party in sorted(parties) if parties is not None else [None]:
        query = MeetingFilter(statuses=list(TO_BE_HELD), party=None if party is None else UUID(party), limit=MAX_LIMIT)

        def page(cursor: str | None, q: MeetingFilter = query) -> Results:
            return lists.meetings(histories, catalogue, replace(q, cursor=cursor))

        for meeting in every(page):
            meetings.setdefault(meeting["id"], meeting)
    return Agenda(commitments, sorted(meetings.values(), key=lambda m: m["scheduled"]["starts_on"]))


@dataclass(frozen=True)
class Feed:
    id: str
    key_id: str
    party_id: str | None
    created_at: str
    revoked_at: str | None


class FeedStore(Protocol):
    """Where feeds are kept: the address's token is shown once, only its hash is kept."""

    def create(self, principal: Principal, party_id: str | None) -> tuple[Feed, str]: ...

    def get(self, feed_id: str) -> Feed: ...

    def of(self, key_id: str | None) -> list[Feed]: ...

    def revoke(self, feed_id: str) -> Feed: ...

    def read(self, token: str) -> tuple[Feed, Principal] | None: ...


FEED_ID_MAX = 40  # a feed's id is shorter: a longer one names no feed


class CalendarFeeds:
    def __init__(self, store: FeedStore, parties: Parties, histories: Histories, catalogue: Catalogue) -> None:
        self.store = store
        self.parties = parties
        self.histories = histories
        self.catalogue = catalogue

    def make(self, caller: Principal, party_id: UUID | None = None) -> tuple[Feed, str]:
        """A new feed for the caller's key (of one party, or of the key's parties), and its address's token:
        in clear this once only."""
        policy.keeps_calendar_feeds(caller)
        party = None if party_id is None else str(self.parties.check([party_id], "party_id")[0])
        return self.store.create(caller, party)

    def of(self, caller: Principal, own_only: bool = False) -> list[Feed]:
        """The caller's feeds; an administrator's, every key's (unless ``own_only``)."""
        policy.reads(caller)
        return self.store.of(caller.id if own_only or not caller.role.can_administer else None)

    def close(self, caller: Principal, feed_id: str) -> Feed:
        """Close a feed of the caller's key (an administrator: of any key): its address reads nothing after."""
        feed = self.store.get(feed_id[:FEED_ID_MAX])
        policy.owns_feed(caller, feed.key_id)
        return self.store.revoke(feed.id)

    def read(self, token: str) -> tuple[Feed, Agenda]:
        """The feed at this address, and what it shows: of its party, or of the parties of its key."""
        found = self.store.read(token)
        if found is None:
            raise NotFound("calendar feed", "this address")
        feed, key = found
        parties = frozenset({feed.party_id}) if feed.party_id else key.party_scope
        return feed, agenda(self.histories, self.catalogue, parties)
