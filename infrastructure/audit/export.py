"""The audit bundle: every event with its chain link, the signed head, and the offline verifier."""

import base64
import io
import json
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from application.ports import FileStore
from infrastructure.audit.bundle_verifier import CITED, decoded
from infrastructure.audit.chain import AuditChain
from infrastructure.personal.keys import PREFIX as SEALED

VERIFIER = Path(__file__).with_name("bundle_verifier.py")
README = """Audit bundle of the commitment tracker.

events.jsonl  every stored event in the order of the event log: its position, originator id and
              version, topic, stored state (base64), chain link, and the event decoded for reading
              (verify.py checks that each decoded copy says what the stored state says)
head.json     the chain's head when the bundle was made, signed with the service's Ed25519 key, with
              every key that has signed heads ("keys"), each signed by the one before it
files/        (when asked for) every file the events cite, named by its SHA-256; verify.py checks each
verify.py     checks the chain with the Python standard library only:
                  python3 verify.py .
                  python3 verify.py . --head my-saved-head.json

Who did what: each event's "actor" (person:<id>, a key's id, link:<party>/<contact> for a focal point's
e-mail link, cli:<user> or "operator" for the server's command line, "scheduler") and "door" (api, page, link, cli,
scheduler; absent from events saved before doors were kept). A person's name and address are in the decoded
copy of their own account's events (topic ending "Person", its "details"), sealed in the stored state and
unreadable once the person was erased.
"""


def files(chain: AuditChain, erased: Collection[str] = ()) -> dict[str, str]:
    """The bundle's files; ``erased``: the people erased, whose data an event may hold in clear (left out)."""
    chain.catch_up()
    head = chain.head()
    events = "".join(
        line + "\n" for line in chain.export_lines(decoded, head["position"], lambda state: in_clear(state, erased))
    )
    return {
        "events.jsonl": events,
        "head.json": json.dumps(head, indent=2) + "\n",
        "verify.py": VERIFIER.read_text(encoding="utf-8"),
        "README.txt": README,
    }


def in_clear(state: bytes, erased: Collection[str]) -> bool:
    """Whether a stored state holds, in clear, a value of a person erased (a contact recorded before personal
    data was sealed): a value sealed, or emptied, is safe to carry."""
    hexes = {person.replace("-", "") for person in erased}
    if not any(h.encode() in state for h in hexes):
        return False

    def holds(value: Any) -> bool:
        if isinstance(value, dict):
            data = value.get("_data_")
            if value.get("_type_") == "contact" and isinstance(data, dict):
                person = (data.get("id") or {}).get("_data_")
                if person in hexes and any(
                    data.get(name) and not str(data[name]).startswith(SEALED) for name in ("name", "address")
                ):
                    return True
            return any(holds(item) for item in value.values())
        return isinstance(value, list) and any(holds(item) for item in value)

    return holds(json.loads(state))


def cited_files(events: str, store: FileStore) -> Iterator[tuple[str, bytes]]:
    """Each file the bundle's events cite, once, as kept (a file no longer kept is left out: the verifier
    says it is missing)."""
    seen: set[str] = set()
    for line in events.splitlines():
        for found in CITED.findall(base64.b64decode(json.loads(line)["state"] or "")):
            sha256 = found.decode()
            data = None if sha256 in seen else store.get(sha256)
            seen.add(sha256)
            if data is not None:
                yield sha256, data


def write_directory(
    chain: AuditChain, directory: Path, store: FileStore | None = None, erased: Collection[str] = ()
) -> dict[str, Any]:
    """The bundle in a folder; with ``store``, the files its events cite in ``files/``."""
    directory.mkdir(parents=True, exist_ok=True)
    contents = files(chain, erased)
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    if store is not None:
        (directory / "files").mkdir(exist_ok=True)
        for sha256, data in cited_files(contents["events.jsonl"], store):
            (directory / "files" / sha256).write_bytes(data)
    head: dict[str, Any] = json.loads(contents["head.json"])
    return head


def zipped(chain: AuditChain, store: FileStore | None = None, erased: Collection[str] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        contents = files(chain, erased)
        for name, text in contents.items():
            archive.writestr(f"audit-bundle/{name}", text)
        if store is not None:
            archive.writestr("audit-bundle/files/", b"")
            for sha256, data in cited_files(contents["events.jsonl"], store):
                archive.writestr(f"audit-bundle/files/{sha256}", data)
    return buffer.getvalue()
