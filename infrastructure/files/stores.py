"""Where evidence files are kept, each once by the SHA-256 of its bytes: a folder beside the SQLite database
(``FolderFiles``), or a table of the PostgreSQL database that every process and machine of a deployment reads
(``TableFiles``). Neither trusts what it holds: ``get`` gives the bytes as they are now, and the audit's check
hashes them again (``application.records.evidence_files``)."""

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from domain.evidence_files import SHA256
from infrastructure.files.tables import evidence_files


class FolderFiles:
    """Files in a folder: ``<folder>/<first two digits of the hash>/<hash>``, written whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, sha256: str) -> Path:
        if not SHA256.fullmatch(sha256):
            raise ValueError("not a SHA-256")
        return self.folder / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if self.get(sha256) == data:
            return sha256  # kept already, intact (a damaged copy is written over)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes | None:
        try:
            return self._path(sha256).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def hashes(self) -> Iterator[str]:
        """The hash each file is kept under (its name: the bytes are not read)."""
        if not self.folder.is_dir():
            return
        for shelf in sorted(self.folder.iterdir()):
            if shelf.is_dir():
                yield from sorted(p.name for p in shelf.iterdir() if SHA256.fullmatch(p.name))


class TableFiles:
    """Files in a table of the database (PostgreSQL: every process of the deployment reads the same)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self.get(sha256) == data:
            return sha256  # kept already, intact
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(evidence_files).where(evidence_files.c.sha256 == sha256))  # a damaged copy
                connection.execute(
                    insert(evidence_files).values(sha256=sha256, size=len(data), content=data, stored_at=self.clock())
                )
        except IntegrityError:
            pass  # another process kept the same bytes at the same time
        return sha256

    def get(self, sha256: str) -> bytes | None:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(evidence_files.c.content).where(evidence_files.c.sha256 == sha256)
            ).scalar_one_or_none()
        return None if found is None else bytes(found)

    def hashes(self) -> Iterator[str]:
        with self.engine.connect() as connection:
            yield from connection.execute(select(evidence_files.c.sha256).order_by(evidence_files.c.sha256)).scalars()


def files_for(engine: Engine, clock: Callable[[], datetime]) -> FolderFiles | TableFiles:
    """A SQLite database's files in the folder beside it (``var/commitments.db``: ``var/commitments.db.files``);
    PostgreSQL's, and an in-memory SQLite's, in its table."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        return FolderFiles(Path(database + ".files"))
    return TableFiles(engine, clock)
