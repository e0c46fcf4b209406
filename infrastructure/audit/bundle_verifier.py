#!/usr/bin/env python3
"""Verify an audit bundle of the commitment tracker, offline, with the Python standard library.

    python3 verify.py BUNDLE_DIR [--head SAVED_HEAD.json]

Recomputes the SHA-256 chain over every event in BUNDLE_DIR/events.jsonl and checks that
it ends at the head in BUNDLE_DIR/head.json, and that each event's decoded copy (the "event"
field, the one people read) is exactly the decoding of its stored state. With --head, also
checks that the history up to a head you saved earlier (from GET /audit/head) is unchanged.
If the 'cryptography' package happens to be installed, the service's Ed25519 signature on the
head is checked too.

Each link is SHA-256 of the JSON array [previous link, position, originator id, originator
version, topic, base64 of the stored state] written without spaces; the first previous link
is 64 zeros. The decoded copy is the stored state (JSON) with each typed value
{"_type_": ..., "_data_": ...} replaced by its data (ids in their usual form, instants in UTC
with Z), the time it was recorded as "recorded_at", and the event's name as "type".
An event left out (it holds, in clear, personal data erased since: "state" is null and "left_out" says
why) cannot be recomputed: the chain goes on from the link stored for it, and the verdict counts it.
When the bundle holds the files its events cite (BUNDLE_DIR/files/<sha256>), each must be there
and its bytes must have the SHA-256 the event cites.
Exit status: 0 intact, 1 not intact, 2 unreadable.
"""

import argparse
import base64
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
# A file an event cites (infrastructure/files/checks.py reads the log with it too).
CITED = re.compile(rb'"_type_":"evidence_file","_data_":\{"sha256":"([0-9a-f]{64})"')


def _plain(value: dict[str, Any]) -> object:
    """A typed value of the stored state as people read it."""
    if set(value) != {"_type_", "_data_"}:
        return value
    kind, data = value["_type_"], value["_data_"]
    if kind == "uuid_hex":
        return f"{data[:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:]}"
    if kind == "datetime_iso" and isinstance(data, str) and data.endswith("+00:00"):
        return data[: -len("+00:00")] + "Z"
    return data


def decoded(topic: str, state: bytes) -> dict[str, Any]:
    """The decoded copy of a stored event, which the bundle holds for reading. The service writes
    the bundle with this very function, and the verifier checks each copy with it."""
    try:
        fields = json.loads(state.decode("utf-8"), object_hook=_plain)
    except ValueError as error:  # not JSON: compressed, encrypted or damaged beyond reading
        return {"type": "unreadable", "error": f"{type(error).__name__}: {error}"}
    if not isinstance(fields, dict):
        return {"type": "unreadable", "error": "the stored state is not a JSON object"}
    if "timestamp" in fields:
        fields["recorded_at"] = fields.pop("timestamp")
    return {"type": topic.rsplit(".", 1)[-1], **fields}


def link(previous: str, position: int, originator_id: str, version: int, topic: str, state: str) -> str:
    material = [previous, position, originator_id, version, topic, state]
    return hashlib.sha256(json.dumps(material, separators=(",", ":")).encode("utf-8")).hexdigest()


def signature_note(head: dict[str, Any]) -> str:
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return "signature not checked (install 'cryptography' to check it)"
    message = f"commitments-audit-head:{head['position']}:{head['link']}".encode("ascii")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(head["public_key"])).verify(
            base64.b64decode(head["signature"]), message
        )
    except Exception:
        return "SIGNATURE INVALID"
    return "signature valid"


def key_chain_problem(head: dict[str, Any]) -> str | None:
    """Whether the head's chain of keys holds: each key after the first signed by the one before it, and the
    head signed by one of them (None: it holds, or ``cryptography`` is not there to check it)."""
    keys = head.get("keys") or []
    if not keys:
        return None  # a head from before keys could turn: its one key is the head's own
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return None
    for before, key in zip(keys, keys[1:], strict=False):
        if key.get("endorsed_by") != before["public_key"] or not key.get("endorsement"):
            return f"key {key['number']} was not signed by the key before it"
        message = f"commitments-audit-key:{key['number']}:{key['public_key']}:{key['created_at']}".encode("ascii")
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(before["public_key"])).verify(
                base64.b64decode(key["endorsement"]), message
            )
        except Exception:
            return f"the signature of key {key['number']} by the key before it is not valid"
    if head["public_key"] not in {key["public_key"] for key in keys}:
        return "the head is signed by a key that is not in its chain of keys"
    return None


def check_files(folder: Path, cited: dict[str, int]) -> tuple[str | None, str]:
    """Whether the bundle's files are the ones its events cite: (what is wrong, or None; what was checked)."""
    if not folder.is_dir():
        return None, f"{len(cited)} file(s) cited, not included (export with the files to check them)"
    for sha256, position in sorted(cited.items(), key=lambda item: item[1]):
        path = folder / sha256
        if not path.is_file():
            return f"the file {sha256} cited at position {position} is missing from the bundle", ""
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            return f"the file {sha256} cited at position {position} is not the one cited", ""
    return None, f"{len(cited)} file(s) cited, each one the bytes its hash names"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--head", type=Path, help="a head saved earlier, to prove the history up to it unchanged")
    args = parser.parse_args(argv)
    try:
        head = json.loads((args.bundle / "head.json").read_text(encoding="utf-8"))
        saved = json.loads(args.head.read_text(encoding="utf-8")) if args.head else None
        lines = (args.bundle / "events.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as error:
        print(f"cannot read the bundle: {error}")
        return 2
    previous, position, saved_matched = GENESIS, 0, saved is None or saved["position"] == 0
    cited: dict[str, int] = {}  # each file the events cite, and the first position that cites it
    left_out = 0
    for number, line in enumerate(lines, 1):
        event = json.loads(line)
        if event.get("state") is None and event.get("left_out"):
            # An event holding personal data erased since, in clear: its state is not in the bundle, so its link
            # cannot be recomputed; the chain goes on from the link stored for it.
            left_out += 1
            previous, position = event["link"], event["position"]
            if saved is not None and position == saved["position"]:
                saved_matched = previous == saved["link"]
            continue
        for found in CITED.findall(base64.b64decode(event["state"])):
            cited.setdefault(found.decode(), event["position"])
        previous = link(
            previous,
            event["position"],
            event["originator_id"],
            event["originator_version"],
            event["topic"],
            event["state"],
        )
        position = event["position"]
        if event.get("link") != previous:
            print(f"NOT INTACT: the event at position {position} (line {number}), or one before it, was changed")
            return 1
        if event.get("event") != decoded(event["topic"], base64.b64decode(event["state"])):
            print(
                f"NOT INTACT: the decoded copy of the event at position {position} (line {number}) "
                "is not what its stored state says"
            )
            return 1
        if saved is not None and position == saved["position"]:
            if previous != saved["link"]:
                print(f"NOT INTACT: the history up to your saved head at position {position} has changed")
                return 1
            saved_matched = True
    if (position, previous) != (head["position"], head["link"]):
        print(
            f"NOT INTACT: the events end at position {position} with link {previous}, "
            f"but the head is position {head['position']} with link {head['link']}"
        )
        return 1
    broken_keys = key_chain_problem(head)
    if broken_keys is not None:
        print(f"NOT INTACT: the chain of signing keys is broken: {broken_keys}")
        return 1
    if not saved_matched:
        assert saved is not None  # a head not saved is matched from the start
        print(f"NOT INTACT: your saved head's position {saved['position']} is not in the history")
        return 1
    files_problem, files_note = check_files(args.bundle / "files", cited)
    if files_problem is not None:
        print(f"NOT INTACT: {files_problem}")
        return 1
    print(
        f"INTACT: {len(lines)} events, chain ends at position {position}, link {previous}; {files_note}; "
        + (
            f"{left_out} event(s) left out (they hold personal data erased since), their links taken as stored; "
            if left_out
            else ""
        )
        + f"{signature_note(head)}; {len(head.get('keys') or [head])} signing key(s), each signed by the one before"
        + ("; your saved head matches" if saved else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
