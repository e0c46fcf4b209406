"""This deployment's witnesses (``domain.witnessing``): the organisations that hold its signed heads. Every so
often, and when an admin asks, the head is sent to each (``POST {url}/heads``) and its receipt, signed with the
witness's own key, is kept. ``check`` recomputes the chain from the stored events and says whether it still
holds every link a witness was shown: a history rewritten and signed again with this deployment's own key
does not."""

import base64
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidValue
from domain.witnessing import receipt_message
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.head_signing import read_public_key
from infrastructure.audit.tables import audit_receipts, audit_witnesses
from infrastructure.webhooks.url_safety import UrlPolicy, check

Post = Callable[[str, dict[str, Any]], httpx.Response]


def _post(url: str, head: dict[str, Any]) -> httpx.Response:
    return httpx.post(url, json=head, timeout=10, follow_redirects=False)


class Witnesses:
    def __init__(
        self, engine: Engine, chain: AuditChain, clock: Callable[[], datetime], policy: UrlPolicy, post: Post = _post
    ) -> None:
        """``policy``: the addresses a witness may be reached at (the webhooks' own rule: no private, loopback
        or link-local address unless the deployment allows it)."""
        self.engine = engine
        self.chain = chain
        self.clock = clock
        self.policy = policy
        self.post = post

    def add(self, name: str, url: str, public_key: str) -> dict[str, Any]:
        if not url.startswith(("https://", "http://")) or len(url) > 2000:
            raise InvalidValue("a witness is reached at an http(s) address", "url")
        check(url, self.policy, "url")
        try:
            key = read_public_key(public_key.encode())
        except ValueError as error:
            raise InvalidValue("not an Ed25519 public key: {error}", "public_key", error=str(error)) from None
        witness_id = str(uuid.uuid5(uuid.NAMESPACE_URL, url))
        with self.engine.begin() as connection:
            connection.execute(delete(audit_witnesses).where(audit_witnesses.c.id == witness_id))
            connection.execute(
                insert(audit_witnesses).values(
                    id=witness_id, name=name[:200], url=url, public_key=key, added_at=self.clock()
                )
            )
        return self._one(witness_id)

    def remove(self, witness_id: str) -> bool:
        with self.engine.begin() as connection:
            return connection.execute(delete(audit_witnesses).where(audit_witnesses.c.id == witness_id)).rowcount > 0

    def listed(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            witnesses = connection.execute(select(audit_witnesses).order_by(audit_witnesses.c.added_at)).all()
            receipts = connection.execute(select(audit_receipts).order_by(audit_receipts.c.position)).all()
        latest = {r.witness_id: r for r in receipts}
        return [
            {
                "id": w.id,
                "name": w.name,
                "url": w.url,
                "public_key": w.public_key,
                "latest_receipt": None if w.id not in latest else _receipt(latest[w.id]),
            }
            for w in witnesses
        ]

    def _one(self, witness_id: str) -> dict[str, Any]:
        return next(w for w in self.listed() if w["id"] == witness_id)

    def send(self) -> list[dict[str, Any]]:
        """The head, sent to every witness; what each answered (witnessed, refused with its reason, unreachable)."""
        head = self.chain.head()
        outcomes = []
        with self.engine.connect() as connection:
            witnesses = connection.execute(select(audit_witnesses)).all()
        for witness in witnesses:
            outcomes.append({"witness": witness.id, "name": witness.name, **self._send_one(witness, head)})
        return outcomes

    def _send_one(self, witness: Any, head: dict[str, Any]) -> dict[str, Any]:
        try:
            check(witness.url, self.policy, "url")  # its name may point elsewhere since it was added
            answer = self.post(witness.url.rstrip("/") + "/heads", head)
        except InvalidValue as error:
            return {"outcome": "refused", "detail": str(error)}
        except httpx.HTTPError as error:
            return {"outcome": "unreachable", "detail": type(error).__name__}
        if answer.status_code != 200:
            detail = answer.json().get("detail") if answer.headers.get("content-type", "").endswith("json") else ""
            return {"outcome": "refused", "status": answer.status_code, "detail": str(detail)[:500]}
        receipt = answer.json()
        if (receipt.get("position"), receipt.get("link")) != (head["position"], head["link"]) or not _signed(
            witness.public_key, receipt
        ):
            return {"outcome": "refused", "detail": "the receipt is not signed by the witness's key for this head"}
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(audit_receipts).values(
                        witness_id=witness.id,
                        position=receipt["position"],
                        link=receipt["link"],
                        witnessed_at=receipt["witnessed_at"],
                        signature=receipt["signature"],
                        deployment=receipt["deployment"],
                    )
                )
        except IntegrityError:
            pass  # this position was witnessed already
        return {"outcome": "witnessed", "position": receipt["position"]}

    def tick(self) -> list[dict[str, Any]]:
        return self.send() if self.listed() else []

    def check(self) -> dict[str, Any]:
        """Whether the chain recomputed from the stored events still holds every witnessed head."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(audit_receipts, audit_witnesses.c.public_key).join(
                    audit_witnesses, audit_witnesses.c.id == audit_receipts.c.witness_id
                )
            ).all()
        links = self.chain.recomputed({row.position for row in rows})
        broken = [
            {"witness": row.witness_id, "position": row.position, "witnessed": row.link, "now": links.get(row.position)}
            for row in rows
            if links.get(row.position) != row.link or not _signed(row.public_key, _receipt(row))
        ]
        return {"receipts": len(rows), "held": not broken, "broken": broken}


def _receipt(row: Any) -> dict[str, Any]:
    return {
        "deployment": row.deployment,
        "position": row.position,
        "link": row.link,
        "witnessed_at": row.witnessed_at,
        "signature": row.signature,
    }


def _signed(witness_key: str, receipt: dict[str, Any]) -> bool:
    try:
        message = receipt_message(
            str(receipt["deployment"]), int(receipt["position"]), str(receipt["link"]), str(receipt["witnessed_at"])
        )
        Ed25519PublicKey.from_public_bytes(base64.b64decode(witness_key)).verify(
            base64.b64decode(receipt["signature"]), message
        )
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True
