"""``audit verify``, ``head``, ``public-key``, ``signing-key`` and ``export``: the tamper-evident record."""

import argparse
import json
import os
import sys

from api.cli.common import _say, _services, operator


def audit_verify(args: argparse.Namespace) -> int:
    with _services(args) as services:
        result = services.audit_record.verify(operator())  # as an auditor asks it through the API or the pages
        receipts = services.audit_record.check_receipts(operator()) if args.receipts else None
    if receipts is not None and not receipts["held"]:
        first = receipts["broken"][0]
        _say(
            args,
            f"NOT INTACT: the chain no longer holds the head witness {first['witness']} was shown at position "
            f"{first['position']} ({len(receipts['broken'])} of {receipts['receipts']} receipts broken)",
            {"intact": False, "receipts": receipts},
        )
        return 1
    if result["intact"]:
        held = "" if receipts is None else f"; it holds the head of each of the {receipts['receipts']} receipts"
        _say(
            args,
            f"intact: {result['checked']} events, chain ends at position {result['position']}, link {result['link']}"
            + held,
            {"intact": True, "checked": result["checked"], "position": result["position"], "link": result["link"]}
            | ({} if receipts is None else {"receipts": receipts}),
        )
        return 0
    broken = result["first_broken_position"]
    _say(
        args,
        f"NOT INTACT at position {broken}: {result['problem']}",
        {"intact": False, "first_broken": broken, "problem": result["problem"]},
    )
    return 1


def audit_head(args: argparse.Namespace) -> int:
    with _services(args) as services:
        head = services.audit.head()
    print(json.dumps(head, indent=2))  # a record in any case: save it as it is
    return 0


def audit_public_key(args: argparse.Namespace) -> int:
    """The public key that signs this deployment's audit heads, as PEM: save it beside each backup
    (and apart from it), and give it to ``restore --trust-key``."""
    from infrastructure.audit.head_signing import fingerprint, public_key_pem

    with _services(args) as services:
        key = services.audit.head()["public_key"]
    _say(
        args,
        public_key_pem(key).rstrip("\n"),
        {"public_key": key, "fingerprint": fingerprint(key), "pem": public_key_pem(key)},
    )
    if not args.json:
        print(f"fingerprint {fingerprint(key)}", file=sys.stderr)
    return 0


def audit_signing_key(args: argparse.Namespace) -> int:
    """The private key that signs the audit heads, written to a new file readable by its owner only:
    kept there and named by COMMITMENTS_SIGNING_KEY_FILE, the same key signs after a restore."""
    from infrastructure.audit.head_signing import fingerprint

    with _services(args) as services:
        pem, key = services.audit.signer.private_pem(), services.audit.head()["public_key"]
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never over another key
    with os.fdopen(descriptor, "w") as out:
        out.write(pem)
    _say(
        args,
        f"wrote {args.output}: the private key {fingerprint(key)}; keep it apart from the data and the "
        "backups, and name it by COMMITMENTS_SIGNING_KEY_FILE",
        {"output": args.output, "fingerprint": fingerprint(key)},
    )
    return 0


def audit_rotate_key(args: argparse.Namespace) -> int:
    """A new signing key, signed by the one in use: kept in the database in its place, or, when the key is read
    from COMMITMENTS_SIGNING_KEY_FILE, written to a new file (--output) to name there instead."""
    from pathlib import Path

    from infrastructure.audit.head_signing import fingerprint

    with _services(args) as services:
        try:
            key = services.audit.signer.rotate(Path(args.output) if args.output else None)
        except (ValueError, FileExistsError) as error:
            _say(args, f"no key was made: {error}", {"rotated": False, "error": str(error)})
            return 2
    where = (
        f"written to {args.output}: name it by COMMITMENTS_SIGNING_KEY_FILE and restart every process"
        if args.output
        else "kept in the database in place of the old one; restart every process to sign with it"
    )
    _say(
        args,
        f"key {key['number']} {fingerprint(key['public_key'])}, signed by {fingerprint(key['endorsed_by'])}; {where}",
        {"rotated": True, **key, "fingerprint": fingerprint(key["public_key"])},
    )
    return 0


def audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from infrastructure.audit import export as bundle

    with _services(args) as services:
        store = services.files.store if args.with_files else None
        head = bundle.write_directory(services.audit, Path(args.output), store, services.personal_keys.erased())
    _say(
        args,
        f"wrote {args.output}: events up to position {head['position']}; check it with "
        f"'python3 {Path(args.output) / 'verify.py'} {args.output}'",
        {"output": args.output, "head": head},
    )
    return 0
