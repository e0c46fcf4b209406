"""What a witness keeps, in a database of its own: the deployments registered with it (by the public key that
signs their heads), every head each sent it, the contradictions it refused, and its own Ed25519 key."""

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, func, insert, select
from sqlalchemy.exc import IntegrityError

from application.views import plain
from domain.witnessing import HeadRefused, contradiction, receipt_message
from infrastructure.audit.bundle_verifier import key_chain_problem
from infrastructure.audit.head_signing import check_signature, fingerprint, public_key_text, read_public_key
from infrastructure.persistence.tables import UTCDateTime

WITNESS = MetaData()
deployments = Table(
    "witness_deployments",
    WITNESS,
    Column("public_key", String(64), primary_key=True),  # the key its first heads are signed with
    Column("name", String(200), nullable=False),
    Column("registered_at", UTCDateTime(), nullable=False),
)
heads = Table(
    "witness_heads",
    WITNESS,
    Column("deployment", String(64), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("link", String(64), nullable=False),
    Column("signed_by", String(64), nullable=False),  # the deployment's key that signed it (it may turn)
    Column("received_at", UTCDateTime(), nullable=False),
)
contradictions = Table(
    "witness_contradictions",
    WITNESS,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("deployment", String(64), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("link", String(64), nullable=False),
    Column("problem", Text, nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
)
witness_key = Table(
    "witness_key",
    WITNESS,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("private_key", Text, nullable=False),
)


class WitnessStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        WITNESS.create_all(engine)
        self._key: Ed25519PrivateKey | None = None

    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(witness_key).values(id=1, private_key=pem.decode()))
            except IntegrityError:
                pass  # made already
            with self.engine.connect() as connection:
                kept = connection.execute(select(witness_key.c.private_key)).scalar_one()
            loaded = serialization.load_pem_private_key(kept.encode(), password=None)
            assert isinstance(loaded, Ed25519PrivateKey)
            self._key = loaded
        return self._key

    def public_key(self) -> str:
        return public_key_text(self.key().public_key())

    def register(self, written_key: bytes, name: str) -> dict[str, str]:
        """A deployment, by the public key that signs its heads (PEM, or base64); ``ValueError`` if it is not one."""
        public_key = read_public_key(written_key)
        with self.engine.begin() as connection:
            connection.execute(
                insert(deployments).values(public_key=public_key, name=name[:200], registered_at=self.clock())
            )
        return {"public_key": public_key, "fingerprint": fingerprint(public_key)}

    def receive(self, head: dict[str, Any]) -> dict[str, Any]:
        """Keep a signed head and answer with a receipt, or refuse it (``HeadRefused``)."""
        try:
            position, link, signer = int(head["position"]), str(head["link"]), str(head["public_key"])
            signed = check_signature(signer, str(head["signature"]), position, link)
        except (KeyError, TypeError, ValueError):
            raise HeadRefused(422, "not a signed head") from None
        if not signed or len(link) != 64:
            raise HeadRefused(422, "the head's signature does not hold")
        deployment = self._deployment_of(head, signer)
        at = plain(self.clock().replace(microsecond=0))
        with self.engine.begin() as connection:
            held = connection.execute(
                select(heads.c.link).where(heads.c.deployment == deployment, heads.c.position == position)
            ).scalar()
            highest = connection.execute(
                select(func.max(heads.c.position)).where(heads.c.deployment == deployment)
            ).scalar()
            problem = contradiction(held, highest, position, link)
            if problem is not None:
                connection.execute(
                    insert(contradictions).values(
                        deployment=deployment, position=position, link=link, problem=problem, received_at=self.clock()
                    )
                )
            elif held is None:
                connection.execute(
                    insert(heads).values(
                        deployment=deployment, position=position, link=link, signed_by=signer, received_at=self.clock()
                    )
                )
        if problem is not None:
            raise HeadRefused(409, problem)
        signature = self.key().sign(receipt_message(deployment, position, link, at))
        return {
            "deployment": deployment,
            "position": position,
            "link": link,
            "witnessed_at": at,
            "witness_key": self.public_key(),
            "signature": base64.b64encode(signature).decode(),
        }

    def _deployment_of(self, head: dict[str, Any], signer: str) -> str:
        """The registered deployment whose key signed the head, directly or through its chain of keys."""
        with self.engine.connect() as connection:
            registered = set(connection.execute(select(deployments.c.public_key)).scalars())
        if signer in registered:
            return signer
        keys = head.get("keys") or []
        if keys and key_chain_problem(head) is None:
            for key in keys:
                if key["public_key"] in registered:
                    return str(key["public_key"])
        raise HeadRefused(403, "no deployment registered with this witness signed the head")

    def contradictions(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(select(contradictions))]
