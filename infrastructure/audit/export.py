"""The audit bundle: every event with its chain link, the signed head, and the offline verifier."""

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from application.ports import FileStore
from infrastructure.audit.bundle_verifier import CITED, decoded
from infrastructure.audit.chain import AuditChain

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
"""


def files(chain: AuditChain) -> dict[str, str]:
    chain.catch_up()
    head = chain.head()
    events = "".join(line + "\n" for line in chain.export_lines(decoded, head["position"]))
    return {
        "events.jsonl": events,
        "head.json": json.dumps(head, indent=2) + "\n",
        "verify.py": VERIFIER.read_text(encoding="utf-8"),
        "README.txt": README,
    }


def cited_files(events: str, store: FileStore) -> Iterator[tuple[str, bytes]]:
    """Each file the bundle's events cite, once, as kept (a file no longer kept is left out: the verifier
    says it is missing)."""
    seen: set[str] = set()
    for line in events.splitlines():
        for found in CITED.findall(base64.b64decode(json.loads(line)["state"])):
            sha256 = found.decode()
            data = None if sha256 in seen else store.get(sha256)
            seen.add(sha256)
            if data is not None:
                yield sha256, data


def write_directory(chain: AuditChain, directory: Path, store: FileStore | None = None) -> dict[str, Any]:
    """The bundle in a folder; with ``store``, the files its events cite in ``files/``."""
    directory.mkdir(parents=True, exist_ok=True)
    contents = files(chain)
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    if store is not None:
        (directory / "files").mkdir(exist_ok=True)
        for sha256, data in cited_files(contents["events.jsonl"], store):
            (directory / "files" / sha256).write_bytes(data)
    head: dict[str, Any] = json.loads(contents["head.json"])
    return head


def zipped(chain: AuditChain, store: FileStore | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        contents = files(chain)
        for name, text in contents.items():
            archive.writestr(f"audit-bundle/{name}", text)
        if store is not None:
            archive.writestr("audit-bundle/files/", b"")
            for sha256, data in cited_files(contents["events.jsonl"], store):
                archive.writestr(f"audit-bundle/files/{sha256}", data)
    return buffer.getvalue()
