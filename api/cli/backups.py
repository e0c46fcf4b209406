"""``backup`` and ``restore``: the whole record in one encrypted file, and back."""

import argparse

from api.cli.common import Refused, _say, _services
from infrastructure import settings as configuration


def _secret(args: argparse.Namespace) -> tuple[bytes, bool]:
    """The key file's 32 bytes, or the passphrase (``COMMITMENTS_BACKUP_PASSPHRASE``, or the file
    ``COMMITMENTS_BACKUP_PASSPHRASE_FILE`` names, else asked for), checked before any file is written or read."""
    import getpass
    from pathlib import Path

    from infrastructure.backup import sealing

    if args.key_file:
        secret, from_key_file = Path(args.key_file).read_bytes(), True
    else:
        phrase = configuration.secret_of("backup_passphrase") or getpass.getpass("backup passphrase: ")
        secret, from_key_file = phrase.encode("utf-8"), False
    try:
        if from_key_file:
            sealing.key_of(secret, b"", from_key_file)
        else:
            sealing.check_passphrase(secret)
    except sealing.BadBackup as error:
        raise Refused(str(error)) from None
    return secret, from_key_file


def backup(args: argparse.Namespace) -> int:
    from infrastructure.audit.head_signing import fingerprint
    from infrastructure.backup import archive, sealing

    secret, from_key_file = _secret(args)
    with _services(args) as services, open(args.output, "wb") as out:
        head = services.audit.head()
        sealing.seal(archive.lines(services), out, secret, from_key_file)
    _say(
        args,
        f"wrote {args.output}: the event log up to position {head['position']} (link {head['link'][:16]}…), "
        "keys, subscriptions and calendar feeds, encrypted; its head is signed by "
        f"{fingerprint(head['public_key'])} (restore it with --trust-key, the file 'commitments audit "
        "public-key' writes)",
        {"output": args.output, "head": head, "fingerprint": fingerprint(head["public_key"])},
    )
    return 0


def _erasures_of(database_url: str) -> list[str]:
    """The people erased in another database (the deployment a backup came from): who must stay erased."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from infrastructure.persistence.database import create_table_engine
    from infrastructure.personal.tables import personal_erasures

    engine = create_table_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(personal_erasures.c.person_id)).scalars())
    except SQLAlchemyError as error:
        raise Refused(f"cannot read the erasures of {database_url}: {type(error).__name__}") from None
    finally:
        engine.dispose()


def restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from infrastructure.audit.head_signing import read_public_key
    from infrastructure.backup import archive, sealing

    if args.trust_key is None and not args.accept_unverified_origin:
        raise Refused(
            "say whose backup this is: --trust-key FILE (the public key 'commitments audit public-key' "
            "printed where it was made), or --accept-unverified-origin"
        )
    try:
        trusted = None if args.trust_key is None else read_public_key(Path(args.trust_key).read_bytes())
    except ValueError as error:
        raise Refused(f"{args.trust_key}: {error}") from None
    secret, from_key_file = _secret(args)
    with _services(args) as services, open(args.input, "rb") as source:
        try:
            erasures = _erasures_of(args.reapply_erasures_from) if args.reapply_erasures_from else ()
            restored = archive.restore(services, sealing.opened(source, secret, from_key_file), trusted, erasures)
        except (archive.NotRestorable, sealing.BadBackup) as error:
            raise Refused(str(error)) from None
    origin = "signed by the trusted key" if trusted else "UNVERIFIED: its head names the key"
    origin += f" {restored.signed_by}"
    _say(
        args,
        f"restored {restored.events} events and {restored.files} evidence files, {origin}; "
        f"{restored.erasures} people erased again; "
        f"the audit chain ends at position {restored.position} "
        f"(link {restored.link[:16]}…), as the backup's did; this deployment signs with {restored.signs_with}; "
        "the read model is rebuilt",
        {
            "events": restored.events,
            "position": restored.position,
            "link": restored.link,
            "rows": restored.rows,
            "files": restored.files,
            "erasures": restored.erasures,
            "origin_verified": trusted is not None,
            "signed_by": restored.signed_by,
            "signs_with": restored.signs_with,
        },
    )
    return 0
