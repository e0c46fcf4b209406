"""Tamper evidence: every stored event is chained to all before it by a SHA-256 link.

link(n) = SHA-256 of the JSON array
  [link(n-1), n, originator id, originator version, topic, base64 of the stored state],
written without spaces, in the global order of the event log; link(0) is 64 zeros. Changing,
removing or inserting any stored event changes every link after it, so an auditor who kept
a link (the "head") at some position can prove that nothing up to it has changed since.
The offline verifier shipped in export bundles computes exactly this, with the standard library.
"""

import binascii
import hashlib
import json

GENESIS = "0" * 64
_quote = json.encoder.encode_basestring_ascii  # what json.dumps uses for a str


def chain_link(previous: str, position: int, originator_id: str, version: int, topic: str, state: bytes) -> str:
    """The JSON array written by hand, exactly as ``json.dumps(material, separators=(",", ":"))`` writes it
    (tests/history/test_audit_chain.py compares the two), and hashed in pieces: the stored state, the bulk of it,
    is hashed as base64 bytes without being copied into a string (base64 needs no JSON escaping)."""
    head = f'[{_quote(previous)},{int(position)},{_quote(originator_id)},{int(version)},{_quote(topic)},"'
    digest = hashlib.sha256(head.encode("utf-8"))
    digest.update(binascii.b2a_base64(state, newline=False))
    digest.update(b'"]')
    return digest.hexdigest()
