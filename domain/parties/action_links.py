"""What a party's contact (a focal point) may do from its e-mail, without an account: each item of its
digest carries a link per action, for that contact and that commitment. A link is signed by the service
(``infrastructure.mail.action_links``), works once, and expires; these are its rules."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from uuid import UUID

from domain.commitments.lifecycle import ALLOWED_FROM, OPEN, Action, Status
from domain.errors import N_

DEFAULT_LINK_DAYS = 14  # how long a link works (``COMMITMENTS_ACTION_LINK_DAYS``)
LINK_ACTOR_PREFIX = "link:"  # the actor of what a contact records through a link: ``link:<party id>/<contact id>``


class LinkAction(Enum):
    ACKNOWLEDGE = "acknowledge"  # the contact has seen the commitment and takes it on
    PROGRESS = "progress"  # reports progress: a percentage, a note, a link to evidence
    NEW_DUE = "new_due"  # asks for a new due, with a reason
    DELIVER = "deliver"  # declares it delivered, with evidence
    COMMENT = "comment"  # writes in its thread (in any state)
    CONFIRM = "confirm"  # confirms the change waiting for its party's word
    OBJECT = "object"  # objects to it, with a reason


def offered(status: Status, pending: bool = False, awaits_party: bool = False) -> list[LinkAction]:
    """The actions a digest offers on a commitment in this state: those its lifecycle allows. While a change
    waits for the parties' word (``pending``) its status does not move: the party whose word it waits for
    (``awaits_party``) confirms or objects."""
    if pending:
        answers = [LinkAction.CONFIRM, LinkAction.OBJECT] if awaits_party else []
        return [*answers, LinkAction.ACKNOWLEDGE, LinkAction.PROGRESS, LinkAction.COMMENT]
    if status not in OPEN:
        return [LinkAction.COMMENT]
    actions = [LinkAction.ACKNOWLEDGE, LinkAction.PROGRESS, LinkAction.NEW_DUE]
    if status in ALLOWED_FROM[Action.DELIVER]:
        actions.append(LinkAction.DELIVER)
    return [*actions, LinkAction.COMMENT]


@dataclass(frozen=True)
class ActionLink:
    """One signed link: an action on one commitment, for one contact of one party, issued at an instant
    (``nonce`` tells apart two links issued in the same second)."""

    action: LinkAction
    party_id: UUID
    contact_id: UUID
    commitment_id: UUID
    issued_at: datetime
    nonce: bytes

    def expires_at(self, days: int) -> datetime:
        return self.issued_at + timedelta(days=days)

    @property
    def actor(self) -> str:
        return link_actor(self.party_id, self.contact_id)


def link_actor(party_id: UUID, contact_id: UUID) -> str:
    """The actor recorded on what a contact did through a link: the contact (of its party), and the door."""
    return f"{LINK_ACTOR_PREFIX}{party_id}/{contact_id}"


def linked_contact(actor: str | None) -> tuple[UUID, UUID] | None:
    """The party and contact an actor names, if it acted through a link."""
    if not actor or not actor.startswith(LINK_ACTOR_PREFIX):
        return None
    try:
        party, contact = actor.removeprefix(LINK_ACTOR_PREFIX).split("/")
        return UUID(party), UUID(contact)
    except ValueError:
        return None


# Why a link that was signed here no longer works (the page says it in the contact's language).
EXPIRED = N_("this link has expired: the links of the next digest work again")
USED = N_("this link was used already: each link of a digest works once")
REVOKED = N_("this link no longer works: its contact was removed or asked for no more e-mail")
NOT_ITS_PARTYS = N_("this link no longer works: its party no longer leads or supports the commitment")
