"""API keys, for every door (the administration pages, the command line): who may call the service, with
which role, limited to which parties. A key is shown in clear once, when it is made; only its hash is kept.

Who may: an administrator makes, lists and revokes keys (``policy.administers``); the machine's operator
makes the first admin key of a deployment that has none."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application import policy
from application.errors import NotAllowed, NotFound
from application.records.parties import Parties
from domain.access import Principal, Role
from domain.choices import choice
from domain.errors import InvalidValue

KEY_NAME_MAX = 200
RANK = {Role.AUDITOR: 0, Role.COORDINATOR: 1, Role.ADMIN: 2}  # what a key may do, least first
KEY_ID_MAX = 40  # a key's id is shorter: a longer one names no key


@dataclass(frozen=True)
class KeyInfo:
    id: str
    name: str
    role: Role
    party_scope: list[str] | None
    created_at: datetime
    revoked_at: datetime | None
    owner: str | None = None  # person:<id> who holds it; None: a service account, named by the key's name


class KeyStore(Protocol):
    """Where keys are kept (hashed)."""

    def create(
        self,
        role: Role,
        name: str,
        party_scope: list[str] | None = None,
        form: str | None = None,
        owner: str | None = None,
    ) -> tuple[Principal, str]: ...

    def revoke_held_by(self, owner: str) -> int: ...

    def list(self) -> list[KeyInfo]: ...

    def revoke(self, key_id: str) -> bool: ...

    def count_active(self) -> int: ...


class Keys:
    def __init__(
        self, store: KeyStore, parties: Parties, role_of_person: Callable[[str], Role | None] = lambda _: None
    ) -> None:
        """``role_of_person(person:<id>)``: the role of that person's active account (None: none active); a key
        is held only by an active person, with their role or a lesser one."""
        self.store = store
        self.parties = parties
        self.role_of_person = role_of_person

    def make(
        self,
        caller: Principal,
        role: str | None,
        name: str | None,
        party_ids: Sequence[UUID] = (),
        form: str | None = None,
        owner: str | None = None,
    ) -> tuple[Principal, str]:
        """A new key with its role, limited to some parties (coordinators only), and the key in clear: shown
        this once. ``form``: the page's form that asked for it (a form sent twice makes one key). ``owner``: the
        person who holds it (``person:<id>``), whose disabling revokes it; None: a service account, named by
        the key's name."""
        policy.administers(caller)
        if name is None or not name.strip() or len(name) > KEY_NAME_MAX:
            raise InvalidValue("give the key a name of at most 200 characters", "name")
        if role is None:
            raise InvalidValue("choose a role", "role")
        chosen = choice(Role, role, "role")
        scope = None
        if party_ids:
            if chosen is not Role.COORDINATOR:
                raise InvalidValue("only coordinator keys are limited to parties", "party_scope")
            scope = [str(p) for p in self.parties.check(party_ids, "party_scope")]
        if owner:
            holder = self.role_of_person(owner)
            if holder is None:
                raise InvalidValue("a key is held by a person whose account is active", "owner")
            if RANK[chosen] > RANK[holder]:
                raise InvalidValue("a key held by a person has their role or a lesser one", "role")
        return self.store.create(chosen, name.strip(), scope, form, owner or None)

    def first_admin(self) -> tuple[Principal, str] | None:
        """The first admin key of a deployment with no active key, made for the operator who starts it;
        ``None`` when a key exists."""
        if self.store.count_active():
            return None
        return self.store.create(Role.ADMIN, "first admin")

    def listed(self, caller: Principal) -> list[KeyInfo]:
        policy.administers(caller)
        return self.store.list()

    def revoke(self, caller: Principal, key_id: str) -> None:
        """The key opens nothing more, in every process within a second; its history stays."""
        policy.administers(caller)
        if key_id == caller.id:
            raise NotAllowed("a key cannot revoke itself here: sign in with another admin key")
        if not self.store.revoke(key_id[:KEY_ID_MAX]):
            raise NotFound("key", key_id[:KEY_ID_MAX])
