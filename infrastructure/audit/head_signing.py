"""The service's Ed25519 key, which signs the audit chain's head.

Kept in the database by default (created on first use), or read from a PEM file named by
``COMMITMENTS_SIGNING_KEY_FILE``, which operators may prefer to keep apart from the data.
"""

import base64
import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Engine

from infrastructure.persistence.service_secrets import kept_secret

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

    def sign(self, position: int, link: str) -> dict[str, str]:
        key = self.key()
        return {
            "algorithm": "Ed25519",
            "public_key": public_key_text(key.public_key()),
            "signature": base64.b64encode(key.sign(head_message(position, link))).decode(),
        }
