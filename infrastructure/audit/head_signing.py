"""The service's Ed25519 key, which signs the audit chain's head, and the chain of its keys.

Kept in the database by default (created on first use), or read from a PEM file named by
``COMMITMENTS_SIGNING_KEY_FILE``, which operators may prefer to keep apart from the data.

A key can turn (``rotate``): the new key is signed by the one before it (``key_message``), and the chain of
keys (``audit_signing_keys``) goes with every head and bundle, so a head signed by any later key is traced
back to the key an auditor trusted.
"""

import base64
import hashlib
import os
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from application.views import plain
from infrastructure.audit.tables import audit_signing_keys
from infrastructure.persistence.service_secrets import kept_secret
from infrastructure.persistence.tables import service_keys

PURPOSE = "audit-head"


def head_message(position: int, link: str) -> bytes:
    return f"commitments-audit-head:{position}:{link}".encode("ascii")


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def fingerprint(public_key: str) -> str:
    """How people compare a public key (as OpenSSH shows one): ``SHA256:`` and its digest in base64."""
    digest = hashlib.sha256(base64.b64decode(public_key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def public_key_pem(public_key: str) -> str:
    """The key as a PEM file holds it (SubjectPublicKeyInfo): what ``--trust-key`` reads."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def read_public_key(written: bytes) -> str:
    """An Ed25519 public key from a PEM file, or from its 32 bytes in base64 (as heads give it);
    ``ValueError`` if it is neither."""
    if written.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(written)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the key is not an Ed25519 public key")
        return public_key_text(key)
    try:
        raw = base64.b64decode(written.strip(), validate=True)
    except ValueError:
        raise ValueError("the file holds neither a PEM public key nor a key in base64") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return base64.b64encode(raw).decode()


def key_message(number: int, public_key: str, created_at: str) -> bytes:
    """What a key signs when it endorses the next one."""
    return f"commitments-audit-key:{number}:{public_key}:{created_at}".encode("ascii")


def check_signature(public_key: str, signature: str, position: int, link: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(signature), head_message(position, link)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


class HeadSigner:
    def __init__(self, engine: Engine, clock: Callable[[], datetime], key_file: str | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.key_file = key_file
        self._key: Ed25519PrivateKey | None = None

    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            pem = Path(self.key_file).read_bytes() if self.key_file else self._stored_pem()
            key = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("the signing key must be an Ed25519 private key")
            self._key = key
        return self._key

    def _stored_pem(self) -> bytes:
        return kept_secret(
            self.engine,
            self.clock,
            PURPOSE,
            lambda: (
                Ed25519PrivateKey.generate()
                .private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
                .decode()
            ),
        ).encode()

    def private_pem(self) -> str:
        """The private key, as a PEM file holds it (to keep the same key in a file, apart from the data)."""
        return (
            self.key()
            .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            .decode()
        )

    def keys(self) -> list[dict[str, Any]]:
        """Every key that has signed the heads, in order, each with the endorsement of the one before it; the
        key in use is added when the chain does not hold it yet (first use, or a key put in place by hand:
        then unendorsed, which a verifier says)."""
        current = public_key_text(self.key().public_key())
        rows = self._key_rows()
        if not any(row["public_key"] == current for row in rows):
            with suppress(IntegrityError), self.engine.begin() as connection:
                connection.execute(
                    insert(audit_signing_keys).values(
                        number=len(rows) + 1, public_key=current, created_at=self.clock().replace(microsecond=0)
                    )
                )
            rows = self._key_rows()
        return rows

    def _key_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            found = connection.execute(select(audit_signing_keys).order_by(audit_signing_keys.c.number)).all()
        return [
            {
                "number": row.number,
                "public_key": row.public_key,
                "endorsed_by": row.endorsed_by,
                "endorsement": row.endorsement,
                "created_at": plain(row.created_at),
            }
            for row in found
        ]

    def rotate(self, output: Path | None = None) -> dict[str, Any]:
        """A new key, endorsed by the one in use. Kept in the database in place of the old one; or, when the
        key is read from a file, written to ``output`` (a new file, readable by its owner only) for the operator
        to name by ``COMMITMENTS_SIGNING_KEY_FILE`` (the old key signs until then: it is in the chain)."""
        if self.key_file and output is None:
            raise ValueError("the signing key is read from a file: name a new file for the new key (--output)")
        old = self.key()
        number = len(self.keys()) + 1
        new = Ed25519PrivateKey.generate()
        public_key = public_key_text(new.public_key())
        created_at = self.clock().replace(microsecond=0)
        endorsement = base64.b64encode(old.sign(key_message(number, public_key, plain(created_at)))).decode()
        pem = new.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        if output is not None:
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never over another key
            with os.fdopen(descriptor, "w") as file:
                file.write(pem)
        with self.engine.begin() as connection:
            connection.execute(
                insert(audit_signing_keys).values(
                    number=number,
                    public_key=public_key,
                    endorsed_by=public_key_text(old.public_key()),
                    endorsement=endorsement,
                    created_at=created_at,
                )
            )
            if not self.key_file:
                connection.execute(
                    update(service_keys).where(service_keys.c.purpose == PURPOSE).values(private_key=pem)
                )
        if not self.key_file:
            self._key = new
        return self.keys()[-1]

    def sign(self, position: int, link: str) -> dict[str, str]:
        key = self.key()
        return {
            "algorithm": "Ed25519",
            "public_key": public_key_text(key.public_key()),
            "signature": base64.b64encode(key.sign(head_message(position, link))).decode(),
        }
