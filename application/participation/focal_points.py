"""A focal point acts from its e-mail, without an account: a signed link of its digest names the contact, the
commitment and the action (``domain.parties.action_links``). Opening it shows the commitment and changes
nothing (mail scanners open links); posting its form records the action, attributed to the contact and the
door (``link:<contact id>``), through the same use cases as every other door, with the contact's party as
the scope: it changes only what its party leads or supports."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from application import policy, translation
from application.errors import ApplicationError, NotFound
from application.inputs import DueInput
from application.records.commitments import Commitments
from application.storage.saving import Records
from application.views import CommitmentView, PartyView
from domain.access import Principal, Role
from domain.commitments.commitment import Commitment
from domain.commitments.promise import Evidence
from domain.errors import N_, InvalidValue
from domain.parties import action_links
from domain.parties.action_links import ActionLink, LinkAction
from domain.parties.contact import Contact, Frequency, UnknownContact
from domain.parties.party import Party
from domain.text import SHORT_TEXT_MAX, optional_text


class LinkNoLongerWorks(ApplicationError):
    """A link this service signed, that has expired, was used, or was revoked (410 Gone)."""


class LinkSigner(Protocol):
    def read(self, token: str) -> ActionLink | None: ...


class UsedLinks(Protocol):
    """The links used already: ``claim`` is True for the one request that uses a link first."""

    def claim(self, token: str, link: ActionLink, when: datetime) -> bool: ...

    def release(self, token: str) -> None: ...

    def used(self, token: str) -> bool: ...


@dataclass(frozen=True)
class LinkedCommitment:
    """What a link's page shows: the commitment, and who the link is for."""

    action: LinkAction
    contact: Contact
    party: PartyView
    commitment: CommitmentView
    expires_at: datetime


@dataclass(frozen=True)
class LinkForm:
    """What the contact writes in the link's form (what each action reads of it)."""

    note: str | None = None
    percent: int | None = None
    evidence_url: str | None = None
    evidence_title: str | None = None
    due: str | None = None  # a new due, in any written form (a day, "Q3 2025", «نهاية 2025»)
    reason: str | None = None
    delivered_on: date | None = None
    text: str | None = None  # a comment
    evidence_file: tuple[str, bytes] | None = None  # a file sent as evidence: its name and bytes


class FocalPoints:
    def __init__(
        self,
        records: Records,
        commitments: Commitments,
        signer: LinkSigner,
        used: UsedLinks,
        days: int = action_links.DEFAULT_LINK_DAYS,
    ) -> None:
        self.records = records
        self.commitments = commitments
        self.signer = signer
        self.used = used
        self.days = days

    def open(self, token: str) -> LinkedCommitment:
        """The commitment the link names, as its contact sees it; nothing is recorded."""
        link, contact, party = self._working(token)
        return LinkedCommitment(
            link.action,
            contact,
            PartyView.of(party),
            self.commitments.get(link.commitment_id),
            link.expires_at(self.days),
        )

    def act(self, token: str, form: LinkForm) -> LinkedCommitment:
        """The link's action, recorded once: a second use, even at the same instant, is refused."""
        link, contact, party = self._working(token)
        caller = Principal(link.actor, contact.name, Role.COORDINATOR, frozenset({str(link.party_id)}))
        change = self._change(link, contact, caller, form)
        if not self.used.claim(token, link, self.records.now()):
            raise LinkNoLongerWorks(action_links.USED)
        try:
            changed = change()
        except BaseException:
            self.used.release(token)  # refused (a value to correct), or never carried out: it works again
            raise
        return LinkedCommitment(link.action, contact, PartyView.of(party), changed, link.expires_at(self.days))

    def _change(
        self, link: ActionLink, contact: Contact, caller: Principal, form: LinkForm
    ) -> Callable[[], CommitmentView]:
        """The use case the action runs, its values checked first."""
        commitments, target = self.commitments, link.commitment_id
        if link.action is LinkAction.CONFIRM:
            return lambda: commitments.confirm(target, caller, link.party_id)
        if link.action is LinkAction.OBJECT:
            return lambda: commitments.object_to(target, caller, form.reason, link.party_id)
        if link.action is LinkAction.COMMENT:
            words, language, sent = form.text or "", contact.language, form.evidence_file

            def comment() -> CommitmentView:
                kept = () if sent is None else (commitments.files.keep_from_link(str(link.party_id), *sent),)
                return commitments.comment(target, caller, words, language, files=kept)

            return comment
        note = translation.reason(form.note, "note")
        if link.action is LinkAction.ACKNOWLEDGE:
            return lambda: commitments.acknowledge(target, caller, note)
        title = optional_text(form.evidence_title, "evidence_title", SHORT_TEXT_MAX)

        def evidence() -> tuple[Evidence, ...]:
            """The evidence written in the form; a file sent with it is kept (within the party's day) only once
            the link is claimed."""
            sent = form.evidence_file
            if sent is None:
                return () if form.evidence_url is None else (Evidence(title or form.evidence_url, form.evidence_url),)
            kept = commitments.files.keep_from_link(str(link.party_id), sent[0], sent[1])
            return (Evidence(title or kept.name, form.evidence_url, file=kept),)

        if link.action is LinkAction.PROGRESS:
            percent = form.percent if form.percent is not None else -1
            return lambda: commitments.report_progress(target, caller, percent, note, evidence())
        if link.action is LinkAction.DELIVER:
            return lambda: commitments.deliver(target, caller, evidence(), form.delivered_on, note)
        if form.due is None:
            raise InvalidValue("write the new due you ask for", "due")
        due = DueInput(None, form.due)
        return lambda: commitments.revise_due(target, caller, due, form.reason)

    def _left_since(self, party: Party, link: ActionLink) -> bool:
        """Whether the contact was removed or unsubscribed after the link was issued (a contact added again
        later, with the same address, does not bring its old links back)."""
        return any(
            type(event).__name__ in ("ContactRemoved", "ContactUnsubscribed")
            and getattr(event, "contact_id", None) == link.contact_id
            and event.timestamp >= link.issued_at
            for event in self.records.events(party.id)
        )

    def _working(self, token: str) -> tuple[ActionLink, Contact, Party]:
        """The link, if this service signed it and it still works; its contact and their party."""
        link = self.signer.read(token)
        policy.follows_link(link is not None)
        assert link is not None  # policy.follows_link: a link this service signed
        now = self.records.now()
        if now >= link.expires_at(self.days) or link.issued_at > now + timedelta(days=1):
            raise LinkNoLongerWorks(action_links.EXPIRED)
        if self.used.used(token):
            raise LinkNoLongerWorks(action_links.USED)
        party = self.records.load(Party, link.party_id)
        if party is None:
            raise NotFound("link", "", N_("this link names nothing"))
        try:
            contact = party.contact(link.contact_id)
        except UnknownContact:
            raise LinkNoLongerWorks(action_links.REVOKED) from None
        if contact.frequency is Frequency.NONE or self._left_since(party, link):
            raise LinkNoLongerWorks(action_links.REVOKED)
        commitment = self.records.load(Commitment, link.commitment_id)
        if commitment is None or str(link.party_id) not in commitment.parties:
            raise LinkNoLongerWorks(action_links.NOT_ITS_PARTYS)
        return link, contact, party
