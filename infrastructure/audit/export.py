"""The audit bundle: every event with its chain link, the signed head, and the offline verifier."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from infrastructure.audit.bundle_verifier import decoded
from infrastructure.audit.chain import AuditChain

VERIFIER = Path(__file__).with_name("bundle_verifier.py")
README = """Audit bundle of the commitment tracker.

events.jsonl  every stored event in the order of the event log: its position, originator id and
              version, topic, stored state (base64), chain link, and the event decoded for reading
              (verify.py checks that each decoded copy says what the stored state says)
head.json     the chain's head when the bundle was made, signed with the service's Ed25519 key, with
              every key that has signed heads ("keys"), each signed by the one before it
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


def write_directory(chain: AuditChain, directory: Path) -> dict[str, Any]:
    directory.mkdir(parents=True, exist_ok=True)
    contents = files(chain)
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    head: dict[str, Any] = json.loads(contents["head.json"])
    return head


def zipped(chain: AuditChain) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files(chain).items():
            archive.writestr(f"audit-bundle/{name}", text)
    return buffer.getvalue()
