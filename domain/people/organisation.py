"""Signing in through one's organisation (OpenID Connect): which people the deployment lets in, with which role
and parties, read from what the organisation's identity provider says of them (its claims), and whether the
provider's own sign-in counts as a second factor (its ``amr``, RFC 8176).

The rules are written in one setting, tried in order, the first that matches deciding::

    group:oic-secretariat=admin; group:sesric-staff=coordinator@1a139b50-…; domain:isdb.org=auditor

``group:NAME`` matches a person whose groups claim holds NAME; ``domain:DOMAIN`` one whose verified address is
at DOMAIN; ``*`` anyone the provider signs in. After ``=``: the role, and for a coordinator the parties they are
limited to (``@`` then party ids, separated by ``+``). No rule matching: the person is refused."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.access import Role
from domain.errors import InvalidValue

# RFC 8176's methods that are a factor beyond a password (a one-time code, a key, a biometric, a phone)
SECOND_FACTORS = frozenset(
    {"mfa", "otp", "hwk", "swk", "sc", "sms", "tel", "pop", "fpt", "face", "iris", "retina", "vbm"}
)


@dataclass(frozen=True)
class ClaimRule:
    kind: str  # "group", "domain" or "any"
    value: str
    role: Role
    parties: tuple[UUID, ...] = ()

    def matches(self, groups: Sequence[str], address: str) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "group":  # as written, or as a path (Keycloak's full group paths: /parent/name)
            return any(group == self.value or group.lstrip("/") == self.value.lstrip("/") for group in groups)
        return address.casefold().rpartition("@")[2] == self.value.casefold()


def claim_rules(written: str) -> tuple[ClaimRule, ...]:
    """The rules as the setting writes them; a rule that cannot be read is refused with its words."""
    rules = []
    for part in (p.strip() for p in written.split(";")):
        if not part:
            continue
        condition, equals, outcome = part.partition("=")
        if not equals:
            raise InvalidValue(
                "a rule is written CONDITION=ROLE, e.g. group:staff=coordinator: {rule}", "rules", rule=part
            )
        condition = condition.strip()
        kind, _, value = condition.partition(":")
        if condition == "*":
            kind, value = "any", ""
        elif kind not in ("group", "domain") or not value.strip():
            raise InvalidValue("a rule's condition is group:NAME, domain:DOMAIN or *: {rule}", "rules", rule=part)
        role_name, _, party_list = outcome.strip().partition("@")
        try:
            role = Role(role_name.strip())
            parties = tuple(UUID(p.strip()) for p in party_list.split("+") if p.strip())
        except ValueError as error:
            raise InvalidValue(
                "a rule's outcome is a role, then @ and party ids: {rule}", "rules", rule=part
            ) from error
        if parties and role is not Role.COORDINATOR:
            raise InvalidValue("only a coordinator is limited to some parties: {rule}", "rules", rule=part)
        rules.append(ClaimRule(kind, value.strip(), role, parties))
    return tuple(rules)


@dataclass(frozen=True)
class OrganisationPerson:
    """What the provider said of the person, as far as this deployment reads it."""

    subject: str
    name: str
    address: str
    groups: tuple[str, ...]
    methods: tuple[str, ...]  # amr

    @classmethod
    def of(
        cls, claims: Mapping[str, Any], groups_claim: str = "groups", verified_only: bool = True
    ) -> "OrganisationPerson":
        """From an ID token's claims: an address is needed (it is the person's account), said to be verified
        unless the deployment trusts every address its provider gives (``verified_only`` false: a provider that
        gives only addresses it manages, and does not say so, as Microsoft Entra ID)."""
        address = claims.get("email")
        if not isinstance(address, str) or (verified_only and claims.get("email_verified") is not True):
            raise InvalidValue("the organisation did not give a verified e-mail address", "email")
        groups = claims.get(groups_claim) or []
        groups = [groups] if isinstance(groups, str) else groups
        methods = claims.get("amr") or []
        name = claims.get("name") or address
        return cls(
            str(claims.get("sub", "")),
            str(name)[:200],
            address,
            tuple(str(g) for g in groups if isinstance(g, str | int))[:500],
            tuple(str(m) for m in methods if isinstance(m, str))[:20],
        )

    def admitted(self, rules: Sequence[ClaimRule]) -> ClaimRule | None:
        """The first rule that lets the person in; None: refused."""
        return next((rule for rule in rules if rule.matches(self.groups, self.address)), None)

    @property
    def used_second_factor(self) -> bool:
        """Whether the provider says its sign-in used a factor beyond the password."""
        return bool(SECOND_FACTORS.intersection(self.methods))
