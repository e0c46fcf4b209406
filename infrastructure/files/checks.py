"""Whether every file the record cites is still kept, byte for byte. The log is read once, from where the last
look stopped, for the files its events cite (the ``evidence_file`` values of their state); a file newly cited
is hashed at the next look, and every file again once per full-check interval of the audit. What each check
found is kept, so that ``/audit/verify`` answers without hashing every file each time it is asked."""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from application.ports import FileStore
from infrastructure.audit.bundle_verifier import CITED  # a file an event cites
from infrastructure.audit.chain import AuditChain
from infrastructure.files.tables import evidence_file_checks, evidence_file_scan


class FileChecks:
    def __init__(
        self,
        engine: Engine,
        chain: AuditChain,
        store: FileStore,
        clock: Callable[[], datetime],
        full_check_interval: float,
    ) -> None:
        self.engine = engine
        self.chain = chain
        self.store = store
        self.clock = clock
        self.interval = timedelta(seconds=full_check_interval)

    def tick(self) -> dict[str, Any]:
        """Read the log for newly cited files; hash those never checked, not checked for an interval, found
        wrong before, or no longer listed by the store (a file removed is found at the next look); what every
        check found."""
        self._read_the_log()
        now = self.clock()
        kept = set(self.store.hashes())  # names only: no file is read for this
        row = evidence_file_checks.c
        with self.engine.connect() as connection:
            rows = connection.execute(select(row.sha256, row.checked_at, row.found)).all()
        for sha256, checked_at, was in rows:
            fresh = checked_at is not None and checked_at > now - self.interval
            if fresh and was == "intact" and sha256 in kept:
                continue
            data = self.store.get(sha256)
            found = "missing" if data is None else "intact" if hashlib.sha256(data).hexdigest() == sha256 else "altered"
            with self.engine.begin() as connection:
                connection.execute(
                    update(evidence_file_checks).where(row.sha256 == sha256).values(checked_at=now, found=found)
                )
        return self.found()

    def found(self) -> dict[str, Any]:
        """What the checks found: how many files the record cites, and those missing or altered."""
        row = evidence_file_checks.c
        with self.engine.connect() as connection:
            rows = connection.execute(select(row.sha256, row.found, row.cited_at).order_by(row.cited_at)).all()
        return {
            "files": len(rows),
            "missing": [{"sha256": r.sha256, "cited_at": r.cited_at} for r in rows if r.found == "missing"],
            "altered": [{"sha256": r.sha256, "cited_at": r.cited_at} for r in rows if r.found == "altered"],
        }

    def _read_the_log(self) -> None:
        with self.engine.connect() as connection:
            read_to = connection.execute(select(evidence_file_scan.c.position)).scalar() or 0
        position = read_to
        cited: dict[str, int] = {}
        for notification, _ in self.chain.events(start=read_to + 1):
            position = notification.id
            state = notification.state if isinstance(notification.state, bytes) else str(notification.state).encode()
            for found in CITED.findall(state):
                cited.setdefault(found.decode(), position)
        if position == read_to:
            return
        try:
            with self.engine.begin() as connection:
                known = set(connection.execute(select(evidence_file_checks.c.sha256)).scalars())
                for sha256, at in cited.items():
                    if sha256 not in known:
                        connection.execute(insert(evidence_file_checks).values(sha256=sha256, cited_at=at))
                connection.execute(update(evidence_file_scan).values(position=position))
        except IntegrityError:
            pass  # another process read the same events at the same time and wrote what they cite
