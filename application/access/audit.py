"""The audit record, for every door (the JSON API, the audit pages): the chain's signed head, its
verification (against a head saved earlier, too), the export bundle, and the log of refused requests.

Who may: admin and auditor keys (``policy.audits``)."""

from dataclasses import dataclass
from typing import Any, Protocol

from application import policy
from application.errors import NotFound
from domain.access import Principal
from domain.text import clean_text

WITNESS_NAME_MAX = 200


@dataclass(frozen=True)
class Verification:
    checked: int  # events whose links were recomputed
    position: int  # the last position checked
    link: str  # the link recomputed there
    first_broken: int | None  # the first position where the stored record disagrees
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken is None


class Chain(Protocol):
    """The tamper-evident chain of every stored event (``infrastructure/audit``)."""

    def head(self) -> dict[str, Any]:
        """The last link, signed, once the chain has caught up with the events."""
        ...

    def state(self) -> dict[str, Any]:
        """What the checks made without anyone asking found: intact, up to where, broken since when."""
        ...

    def verify(self, up_to: int | None = None) -> Verification: ...

    def bundle(self, with_files: bool = False) -> bytes:
        """A zip of every event with its link, the signed head and a verifier; and the files they cite."""
        ...


class WitnessList(Protocol):
    """The organisations that hold this deployment's heads, and their receipts (``infrastructure/audit``)."""

    def listed(self) -> list[dict[str, Any]]: ...

    def add(self, name: str, url: str, public_key: str) -> dict[str, Any]: ...

    def remove(self, witness_id: str) -> bool: ...

    def send(self) -> list[dict[str, Any]]: ...

    def check(self) -> dict[str, Any]: ...


class NoWitnesses:
    """A deployment no one witnesses (tests of the audit that need none)."""

    def listed(self) -> list[dict[str, Any]]:
        return []

    def add(self, name: str, url: str, public_key: str) -> dict[str, Any]:
        raise NotImplementedError

    def remove(self, witness_id: str) -> bool:
        return False

    def send(self) -> list[dict[str, Any]]:
        return []

    def check(self) -> dict[str, Any]:
        return {"receipts": 0, "held": True, "broken": []}


class FileCheck(Protocol):
    """Whether every file the record cites is still kept, byte for byte (``infrastructure/files``)."""

    def tick(self) -> dict[str, Any]:
        """Files newly cited, and those not checked for an interval, hashed; what every check found."""
        ...


class NoFileCheck:
    def tick(self) -> dict[str, Any]:
        return {"files": 0, "missing": [], "altered": []}


class Refusals(Protocol):
    """The log of refused requests."""

    def recent(self, before_id: int | None = None, limit: int = 100) -> tuple[list[dict[str, Any]], int | None]: ...


class AuditRecord:
    def __init__(
        self,
        chain: Chain,
        refusals: Refusals,
        witnesses: WitnessList | None = None,
        files: FileCheck | None = None,
    ) -> None:
        self.chain = chain
        self.refusals = refusals
        self.witness_list: WitnessList = witnesses or NoWitnesses()
        self.files: FileCheck = files or NoFileCheck()

    def head(self, caller: Principal) -> dict[str, Any]:
        """The signed head, what the checks found of the chain, and each witness's latest receipt: save it to
        prove the history up to it."""
        policy.audits(caller)
        receipts = [
            {"witness": w["id"], "name": w["name"], **w["latest_receipt"]}
            for w in self.witness_list.listed()
            if w["latest_receipt"] is not None
        ]
        return {**self.chain.head(), "chain": self.chain.state(), "receipts": receipts}

    def witnesses(self, caller: Principal) -> list[dict[str, Any]]:
        policy.audits(caller)
        return self.witness_list.listed()

    def add_witness(self, caller: Principal, name: str, url: str, public_key: str) -> dict[str, Any]:
        """An organisation that will hold this deployment's heads (``commitments witness serve``), by the
        address it answers at and the key that signs its receipts."""
        policy.administers(caller)
        return self.witness_list.add(clean_text(name, "name", WITNESS_NAME_MAX).strip(), url, public_key)

    def remove_witness(self, caller: Principal, witness_id: str) -> None:
        policy.administers(caller)
        if not self.witness_list.remove(witness_id):
            raise NotFound("witness", witness_id)

    def send_to_witnesses(self, caller: Principal) -> list[dict[str, Any]]:
        """The head sent to every witness now; what each answered."""
        policy.administers(caller)
        return self.witness_list.send()

    def check_receipts(self, caller: Principal) -> dict[str, Any]:
        """Whether the chain recomputed from the stored events still holds every head a witness was shown."""
        policy.audits(caller)
        return self.witness_list.check()

    def verify(self, caller: Principal, position: int | None = None, link: str | None = None) -> dict[str, Any]:
        """The chain recomputed from the stored events; with a head saved earlier (its position and link),
        whether the history up to it is still the one it signed; and whether every file the record cites is
        still kept, byte for byte (a file newly cited is hashed now, the others once per full-check interval)."""
        policy.audits(caller)
        result = self.chain.verify(up_to=position)
        answer: dict[str, Any] = {
            "intact": result.intact,
            "checked": result.checked,
            "position": result.position,
            "link": result.link,
            "first_broken_position": result.first_broken,
            "problem": result.problem,
        }
        if position is not None and link is not None and result.intact:
            matches = result.position == position and result.link == link
            answer["saved_head_matches"] = matches
            if not matches:
                answer["intact"] = False
                answer["problem"] = "the history up to the saved head has changed"
        files = answer["files"] = self.files.tick()
        if answer["intact"] and (files["missing"] or files["altered"]):
            answer["intact"] = False
            answer["problem"] = "a file the record cites is missing or no longer the one cited"
        return answer

    def bundle(self, caller: Principal, with_files: bool = False) -> bytes:
        policy.audits(caller)
        return self.chain.bundle(with_files)

    def refused(
        self, caller: Principal, before_id: int | None = None, limit: int = 100
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Refused requests, newest first; and the id to read on from, if there are more."""
        policy.audits(caller)
        return self.refusals.recent(before_id, limit)
