"""Evidence files: kept once by the SHA-256 of their bytes, their type read from those bytes; cited by the
evidence of a progress report or a delivery, the event holding the hash, size, type and name
(``domain.evidence_files``). What a focal point's link may send is counted per party and day; what the audit
checks is that every file an event cites is still kept, byte for byte."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from application import policy
from application.errors import NotFound, TooLarge
from application.ports import FileStore, UploadCounter
from domain.access import Principal
from domain.commitments.promise import Evidence
from domain.errors import InvalidValue
from domain.evidence_files import (
    DEFAULT_MAX_BYTES,
    EvidenceFile,
    accepted_size,
    accepted_type,
    file_name,
    named_for,
)

Detect = Callable[[bytes], str | None]


@dataclass(frozen=True)
class FileLimits:
    most_bytes: int = DEFAULT_MAX_BYTES  # one file
    link_files_per_day: int = 20  # what the focal points' links of one party send in a day
    link_bytes_per_day: int = 100 * 1024 * 1024


class NoFileCounts:
    def add(self, holder: str, size: int, most_files: int, most_bytes: int) -> bool:
        return size <= most_bytes and most_files >= 1


class EvidenceFiles:
    def __init__(
        self,
        store: FileStore,
        detect: Detect,
        limits: FileLimits = FileLimits(),
        counts: UploadCounter | None = None,
    ) -> None:
        self.store = store
        self.detect = detect
        self.limits = limits
        self.counts: UploadCounter = counts or NoFileCounts()

    def keep(self, caller: Principal, name: str | None, data: bytes) -> EvidenceFile:
        """A file sent by a key that records: kept, and described as evidence will cite it."""
        policy.records(caller)
        return self._kept(name, data)

    def keep_from_link(self, party_id: str, name: str | None, data: bytes) -> EvidenceFile:
        """A file sent through a focal point's link (the link was checked): within the party's day."""
        self._within_limit(len(data))
        limits = self.limits
        if not self.counts.add(f"party:{party_id}", len(data), limits.link_files_per_day, limits.link_bytes_per_day):
            raise TooLarge(
                "the links of this party sent what they may today ({files} files, {bytes} bytes): send it tomorrow,"
                " or ask the coordinator",
                "file",
                files=limits.link_files_per_day,
                bytes=limits.link_bytes_per_day,
            )
        return self._kept(name, data)

    def _within_limit(self, size: int) -> None:
        if size > self.limits.most_bytes:
            raise TooLarge("a file has at most {most} bytes", "file", most=self.limits.most_bytes)

    def _kept(self, name: str | None, data: bytes) -> EvidenceFile:
        self._within_limit(len(data))
        accepted_size(len(data), self.limits.most_bytes)
        media_type = accepted_type(self.detect(data))
        sha256 = self.store.put(data)
        return EvidenceFile(sha256, len(data), media_type, named_for(file_name(name), media_type))

    def bound(self, evidence: Sequence[Evidence]) -> tuple[Evidence, ...]:
        """The evidence as given, each file it cites described by the bytes kept under its hash (its size and type
        as they are, not as the client said): a file never sent is refused."""
        return tuple(self._bound(item, index) for index, item in enumerate(evidence))

    def _bound(self, item: Evidence, index: int) -> Evidence:
        return item if item.file is None else replace(item, file=self.bound_file(item.file, f"evidence[{index}].file"))

    def bound_file(self, cited: EvidenceFile, field: str = "file") -> EvidenceFile:
        """A file cited by its hash (and the name to offer), described by the bytes kept under that hash."""
        data = self.store.get(cited.sha256) if isinstance(cited.sha256, str) else None
        if data is None:
            raise InvalidValue("no file was sent with this hash: send the file first (POST /files)", field)
        if hashlib.sha256(data).hexdigest() != cited.sha256:
            raise InvalidValue("the file kept under this hash is damaged: send the file again (POST /files)", field)
        media_type = accepted_type(self.detect(data), field)
        kept = EvidenceFile(cited.sha256, len(data), media_type, named_for(cited.name, media_type))
        return kept.checked(field)

    def numbered(
        self, caller: Principal, cited: Sequence[dict[str, Any] | None], number: int, where: str
    ) -> tuple[EvidenceFile, bytes]:
        """The file a record shows ``number``-th (from 1) of ``cited`` (None: that item cites no file), and its
        bytes as kept: refused when there is none, or the file kept is gone or no longer its own."""
        policy.reads(caller)
        found = cited[number - 1] if 1 <= number <= len(cited) else None
        if found is None:
            raise NotFound("file", where)
        described = EvidenceFile(**found)
        return described, self._intact(described)

    def published(self, cited: EvidenceFile) -> bytes:
        """The bytes of a file public evidence cites (the publication was checked), as ``numbered`` gives them."""
        return self._intact(cited)

    def _intact(self, cited: EvidenceFile) -> bytes:
        data = self.store.get(cited.sha256)
        if data is None or hashlib.sha256(data).hexdigest() != cited.sha256:
            raise NotFound("file", cited.sha256)
        return data


class NoEvidenceFiles(EvidenceFiles):
    """A deployment that keeps no files (tests of rules that need none): a cited file is refused."""

    def __init__(self) -> None:
        super().__init__(_Nowhere(), lambda data: None)


class _Nowhere:
    def put(self, data: bytes) -> str:
        raise InvalidValue("this deployment keeps no files", "file")

    def get(self, sha256: str) -> bytes | None:
        return None

    def hashes(self) -> Any:
        return iter(())
