"""The audit bundle: every event with its chain link, the signed head, and the offline verifier."""

import io
import json
import zipfile
from pathlib import Path

from application.tracker import Tracker
from application.views import plain
from infrastructure.audit_chain import AuditChain

VERIFIER = Path(__file__).with_name("bundle_verifier.py")
README = """Audit bundle of the commitment tracker.

events.jsonl  every stored event in the order of the event log: its position, originator id and
              version, topic, stored state (base64), chain link, and the event decoded for reading
head.json     the chain's head when the bundle was made, signed with the service's Ed25519 key
verify.py     checks the chain with the Python standard library only:
                  python3 verify.py .
                  python3 verify.py . --head my-saved-head.json
"""


def _decoder(tracker: Tracker):  # type: ignore[no-untyped-def]
    def decode(notification):  # type: ignore[no-untyped-def]
        try:
            event = tracker.mapper.to_domain_event(notification)
        except Exception as error:  # a row altered beyond reading: export it anyway, the verifier flags it
            return {"type": "unreadable", "error": f"{type(error).__name__}: {error}"}
        return {"type": type(event).__name__, "recorded_at": plain(event.timestamp),
                **{k: plain(v) for k, v in vars(event).items()
                   if k not in ("originator_id", "originator_version", "originator_topic", "timestamp")}}

    return decode


def files(chain: AuditChain, tracker: Tracker) -> dict[str, str]:
    chain.catch_up()
    head = chain.head()
    events = "".join(line + "\n" for line in chain.export_lines(_decoder(tracker), head["position"]))
    return {"events.jsonl": events, "head.json": json.dumps(head, indent=2) + "\n",
            "verify.py": VERIFIER.read_text(encoding="utf-8"), "README.txt": README}


def write_directory(chain: AuditChain, tracker: Tracker, directory: Path) -> dict[str, str]:
    directory.mkdir(parents=True, exist_ok=True)
    contents = files(chain, tracker)
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    return json.loads(contents["head.json"])


def zipped(chain: AuditChain, tracker: Tracker) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files(chain, tracker).items():
            archive.writestr(f"audit-bundle/{name}", text)
    return buffer.getvalue()
