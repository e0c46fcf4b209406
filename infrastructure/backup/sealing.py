"""The backup file's envelope: the contents, compressed, sealed with AES-256-GCM in chunks under a
key derived from the operator's passphrase (scrypt) or read from a key file of 32 bytes.

File: ``MAGIC``, a 16-byte salt, then chunks of [4-byte length][ciphertext]; chunk n is sealed
with the nonce ``prefix || n`` and the associated data ``n || last``, so a chunk moved, dropped or
cut off is found when opening."""

import os
import struct
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"COMMITMENTS-BACKUP-1\n"
CHUNK = 1 << 20


class BadBackup(Exception):
    """The file is not a backup, or the passphrase or key is not the one it was sealed with, or it was altered."""


def check_passphrase(secret: bytes) -> None:
    if len(secret) < 12:
        raise BadBackup("use a passphrase of at least 12 characters")


def key_of(secret: bytes, salt: bytes, from_key_file: bool) -> bytes:
    if from_key_file:
        if len(secret) != 32:
            raise BadBackup(
                f"a key file holds exactly 32 random bytes (this one holds {len(secret)}; make one with "
                "head -c 32 /dev/urandom > backup.key)"
            )
        return secret
    check_passphrase(secret)
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(secret)


def seal(lines: Iterable[bytes], out: BinaryIO, secret: bytes, from_key_file: bool) -> None:
    salt = os.urandom(16)
    aead, prefix = AESGCM(key_of(secret, salt, from_key_file)), os.urandom(4)
    out.write(MAGIC + salt + prefix)
    packer = zlib.compressobj(6)
    pending, number = b"", 0

    def emit(data: bytes, last: bool) -> None:
        nonlocal number
        sealed = aead.encrypt(prefix + struct.pack(">Q", number), data, struct.pack(">Q?", number, last))
        out.write(struct.pack(">I", len(sealed)) + sealed)
        number += 1

    for line in lines:
        pending += packer.compress(line)
        while len(pending) >= CHUNK:
            emit(pending[:CHUNK], False)
            pending = pending[CHUNK:]
    emit(pending + packer.flush(), True)


def opened(source: BinaryIO, secret: bytes, from_key_file: bool) -> Iterator[bytes]:
    """The lines that were sealed, in order; ``BadBackup`` if anything does not check."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BadBackup("this is not a backup of the commitment tracker")
    salt, prefix = source.read(16), source.read(4)
    aead, unpacker = AESGCM(key_of(secret, salt, from_key_file)), zlib.decompressobj()
    number, last, rest = 0, False, b""
    while not last:
        size = source.read(4)
        if len(size) < 4:
            raise BadBackup("the backup is cut off before its end")
        sealed = source.read(struct.unpack(">I", size)[0])
        plain = None
        for final in (False, True):
            try:
                plain = aead.decrypt(prefix + struct.pack(">Q", number), sealed, struct.pack(">Q?", number, final))
                last = final
                break
            except InvalidTag:
                continue
        if plain is None:
            raise BadBackup("the passphrase or key is wrong, or the backup was altered")
        rest += unpacker.decompress(plain)
        *whole, rest = rest.split(b"\n")
        yield from (line + b"\n" for line in whole)
        number += 1
    rest += unpacker.flush()
    if rest:
        yield rest
