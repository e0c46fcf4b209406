"""``keys create``, ``keys list`` and ``keys revoke``: the API keys."""

import argparse
import sys
from uuid import UUID

from api.cli.common import Refused, _say, _services, operator
from domain.access import Role


def keys_create(args: argparse.Namespace) -> int:
    from application.errors import ApplicationError
    from domain.errors import DomainError

    if (args.party or args.party_id) and args.role != Role.COORDINATOR.value:
        raise Refused("only coordinator keys are limited to parties")
    with _services(args) as services:
        try:
            scope = [services.tracker.parties.id_of(acronym) for acronym in args.party]
            scope += [services.tracker.parties.get(identifier).id for identifier in args.party_id]
            owner = None if not args.held_by else f"person:{services.people.id_of(args.held_by)}"
            principal, key = services.keyring.make(
                operator(), args.role, args.name or f"{args.role} key", [UUID(p) for p in scope], owner=owner
            )
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
    limited = f", limited to {len(scope)} part{'y' if len(scope) == 1 else 'ies'}" if scope else ""
    _say(
        args,
        f"Created {principal.id} ({principal.role.value}{limited}, {principal.name!r}). "
        f"The key, shown only this once:\n{key}",
        {
            "id": principal.id,
            "role": principal.role.value,
            "name": principal.name,
            "party_scope": scope or None,
            "key": key,
        },
    )
    return 0


def keys_list(args: argparse.Namespace) -> int:
    with _services(args) as services:
        keys = services.keyring.listed(operator())
    lines = []
    for info in keys:
        state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}Z" if info.revoked_at else "active"
        lines.append(f"{info.id}\t{info.role.value}\t{state}\t{info.name}")
    _say(
        args,
        "\n".join(lines) if lines else "no keys",
        [
            {
                "id": info.id,
                "role": info.role.value,
                "name": info.name,
                "created_at": info.created_at,
                "revoked_at": info.revoked_at,
            }
            for info in keys
        ],
    )
    return 0


def keys_revoke(args: argparse.Namespace) -> int:
    from application.errors import NotFound

    with _services(args) as services:
        try:
            services.keyring.revoke(operator(), args.key_id)
        except NotFound:
            print(f"commitments: no active key {args.key_id}", file=sys.stderr)
            return 1
    _say(args, f"revoked {args.key_id}", {"id": args.key_id, "revoked": True})
    return 0
