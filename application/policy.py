"""Who may run which use case. Each use case asks one of these rules itself, so every door (the JSON API,
the pages, the CLI, imports, draft confirmation, calendar feeds, and any door added later) gets the same
answer without writing it. A door may ask a rule early too (decision 0050): a refusal then comes before
the request's body is read.

The roles and party scopes themselves are the domain's (``domain.access``); this module says which of them
each kind of use case needs, and refuses with ``NotAllowed`` (a 403 on the API, a refusal on the pages).

Every rule asked during a request is noted (``asking``): the door watch (``api.doors``) uses it to refuse to
answer for a route that never asked, so a door added without a rule cannot serve anything."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from application.errors import NotAllowed, NotFound, NotPublic
from domain.access import Principal, may_change_commitment, may_change_other_records
from domain.errors import N_

_ASKED: ContextVar[list[str] | None] = ContextVar("policy_asked", default=None)


def _asked(rule: str) -> None:
    noted = _ASKED.get()
    if noted is not None:
        noted.append(rule)


@contextmanager
def asking() -> Iterator[list[str]]:
    """The rules asked while the block runs (in this context and in the worker threads it starts)."""
    noted: list[str] = []
    token = _ASKED.set(noted)
    try:
        yield noted
    finally:
        _ASKED.reset(token)


def allows(rule: Callable[..., Principal], caller: Principal | None, *about: Any) -> bool:
    """Whether ``rule`` would let ``caller`` run it (``about``: its other arguments), without asking it
    for a use case: the pages offer only the links and actions a key may use."""
    if caller is None:
        return False
    token = _ASKED.set(None)
    try:
        rule(caller, *about)
    except NotAllowed:
        return False
    finally:
        _ASKED.reset(token)
    return True


def nobody() -> None:
    """A door found no credentials and refuses (a page sends the visitor to sign in first): it asked, and
    the answer was no."""
    _asked("nobody")


def reads(caller: Principal) -> Principal:
    """Every key reads the records (what it may change is narrower)."""
    _asked("reads")
    return caller


def records(caller: Principal) -> Principal:
    """Recording and changing records needs a role that writes."""
    _asked("records")
    if not caller.role.can_write:
        raise NotAllowed("a key with the {role} role can read but not change anything", role=caller.role.value)
    return caller


def records_everything(caller: Principal) -> Principal:
    """Parties, meetings, agreements, series, themes, subscriptions, drafts and imports: keys not limited to
    some parties."""
    records(caller)
    _asked("records_everything")
    if not may_change_other_records(caller.party_scope):
        raise NotAllowed("this key is limited to the commitments of some parties")
    return caller


def _beyond_its_parties(caller: Principal, rule: str, parties: Iterable[str | UUID]) -> bool:
    """Whether a key that records is limited to parties none of which is among these."""
    records(caller)
    _asked(rule)
    return not may_change_commitment(caller.party_scope, [str(p) for p in parties])


def changes_commitment(caller: Principal, parties: Iterable[str | UUID]) -> Principal:
    """A commitment (or a rule that makes them) of these parties: a key limited to some parties changes only
    what they lead or support."""
    if _beyond_its_parties(caller, "changes_commitment", parties):
        raise NotAllowed("this key may change only commitments its parties lead or support")
    return caller


def leaves_commitment_to_its_parties(caller: Principal, parties: Iterable[str | UUID]) -> Principal:
    """After a change by a key limited to some parties, the commitment is still theirs (they lead or support
    it): such a key does not hand a commitment, or a new one, over to other parties."""
    if _beyond_its_parties(caller, "leaves_commitment_to_its_parties", parties):
        raise NotAllowed(
            "after this change its parties would no longer lead or support it: a key limited to some parties "
            "does not hand a commitment over to others"
        )
    return caller


def changes_parties(caller: Principal, before: dict[str, str], after: dict[str, str]) -> Principal:
    """Who leads or supports a commitment (``before`` and ``after``: each party's role): a key limited to some
    parties changes only the place of its own parties; another party's place (added, removed, or lead made
    supporting) is that party's to give, or a key's of every party."""
    records(caller)
    _asked("changes_parties")
    moved = {party for party in {*before, *after} if before.get(party) != after.get(party)}
    if caller.party_scope is not None and not moved <= caller.party_scope:
        raise NotAllowed("a key limited to some parties changes only the place of its own parties in a commitment")
    return caller


def records_follow_up_session(caller: Principal) -> Principal:
    """A follow-up session opens or changes its meeting series: keys not limited to parties."""
    records(caller)
    _asked("records_follow_up_session")
    if not may_change_other_records(caller.party_scope):
        raise NotAllowed("only a key not limited to parties records a follow-up session: it changes the meeting series")
    return caller


def answers_for_party(caller: Principal, party: str | UUID) -> Principal:
    """A party's word on a change that waits for it (confirm, object): only its own key, person or focal
    point gives it; a key of every party does not answer for one (an administrator may overrule instead)."""
    records(caller)
    _asked("answers_for_party")
    if caller.party_scope is None or str(party) not in caller.party_scope:
        raise NotAllowed("only the party's own key, person or focal point confirms or objects for it")
    return caller


def withdraws_change(caller: Principal, proposed_by: str) -> Principal:
    """A pending change is withdrawn by whoever declared it, or by an administrator."""
    records(caller)
    _asked("withdraws_change")
    if caller.id != proposed_by and not caller.role.can_administer:
        raise NotAllowed("only whoever declared the change, or an administrator, withdraws it")
    return caller


def keeps_contacts(caller: Principal, party: str | UUID) -> Principal:
    """A party's contacts (who its digests are sent to): a key limited to some parties keeps only theirs."""
    if _beyond_its_parties(caller, "keeps_contacts", [party]):
        raise NotAllowed("this key may change only the contacts of its own parties")
    return caller


def follows_link(signed: bool) -> None:
    """A focal point's link from its e-mail (``application.participation.focal_points``): the signature is the
    credential, and the contact's party the scope of what it changes. A link this service did not sign names
    nothing."""
    _asked("follows_link")
    if not signed:
        raise NotFound("link", "", N_("this link names nothing: it was not sent by this service, or was altered"))


def audits(caller: Principal) -> Principal:
    """The audit record (the signed head, the chain's verification, the export bundle, the refusals)."""
    _asked("audits")
    if not caller.role.can_audit:
        raise NotAllowed("only admin and auditor keys read this")
    return caller


def reads_metrics(caller: Principal) -> Principal:
    """The service's metrics (what it did, its backlogs and lags): admins and auditors read them."""
    _asked("reads_metrics")
    if not caller.role.can_audit:
        raise NotAllowed("only admin and auditor keys read this")
    return caller


def signs_in_through_organisation(admitted: bool) -> None:
    """A person their organisation's identity provider signed in: the checked ID token is the credential, and the
    deployment's rules (``COMMITMENTS_OIDC_RULES``) who is let in."""
    _asked("signs_in_through_organisation")
    if not admitted:
        raise NotAllowed(
            "your organisation signed you in, but no rule of this deployment lets your groups or address in"
        )


def own_account(caller: Principal) -> str:
    """A person's own account (their second factor): the person signed in, not a key."""
    _asked("own_account")
    if not caller.id.startswith("person:"):
        raise NotAllowed("only a person signed in as themself has an account here; this is a key")
    return caller.id.removeprefix("person:")


def administers(caller: Principal) -> Principal:
    """Keys, subscriptions and their deliveries."""
    _asked("administers")
    if not caller.role.can_administer:
        raise NotAllowed("only an admin key may do this; this key has the {role} role", role=caller.role.value)
    return caller


def publishes(caller: Principal) -> Principal:
    """What the public sees (an agreement, a meeting series, a party's commitments published or withdrawn) is
    an administrator's decision."""
    _asked("publishes")
    if not caller.role.can_administer:
        raise NotAllowed(
            "only an admin key publishes records or withdraws them; this key has the {role} role",
            role=caller.role.value,
        )
    return caller


def reads_published(published: bool) -> None:
    """Anyone, without a key, reads what is published, and nothing else: an unpublished record is not found,
    as if it did not exist (``NotFound`` from the use case)."""
    _asked("reads_published")
    if not published:
        raise NotPublic()


def keeps_calendar_feeds(caller: Principal) -> Principal:
    """A feed is a lasting secret address: made by keys that record, not by auditors."""
    _asked("keeps_calendar_feeds")
    if not caller.role.can_keep_calendar_feeds:
        raise NotAllowed("a key with the {role} role reads feeds made for it but makes none", role=caller.role.value)
    return caller


def owns_feed(caller: Principal, owner_key_id: str) -> Principal:
    """A calendar feed belongs to the key that made it: that key, or an administrator, closes it."""
    _asked("owns_feed")
    if owner_key_id != caller.id and not caller.role.can_administer:
        raise NotAllowed("this feed belongs to another key")
    return caller
