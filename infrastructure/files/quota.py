"""What the focal points' links of one party sent today: files and bytes, counted in the database so that every
process of the deployment counts the same."""

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from infrastructure.files.tables import link_uploads


class UploadCounts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def add(self, holder: str, size: int, most_files: int, most_bytes: int) -> bool:
        """Count one more file of ``size`` bytes for ``holder`` today, if that keeps it within the limits;
        whether it did."""
        day = self.clock().date()
        for _ in range(3):  # two processes may start the day's row at once
            try:
                return self._add(holder, day, size, most_files, most_bytes)
            except IntegrityError:
                continue
        return False

    def _add(self, holder: str, day: date, size: int, most_files: int, most_bytes: int) -> bool:
        row = link_uploads.c
        with self.engine.begin() as connection:
            found = connection.execute(
                select(row.files, row.bytes).where(row.holder == holder, row.day == day).with_for_update()
            ).first()
            files, sent = (0, 0) if found is None else (found.files, found.bytes)
            if files + 1 > most_files or sent + size > most_bytes:
                return False
            if found is None:
                connection.execute(insert(link_uploads).values(holder=holder, day=day, files=1, bytes=size))
            else:
                connection.execute(
                    update(link_uploads)
                    .where(row.holder == holder, row.day == day)
                    .values(files=row.files + 1, bytes=row.bytes + size)
                )
            return True
