"""Reading an uploaded spreadsheet in a process of its own, so that no file can starve the service:
the process is limited in processor time and memory by the kernel (``setrlimit``), in wall time by
its parent, and at most ``parallel`` run at once per service process (a request that finds them all
busy waits ``wait`` seconds, then is answered 503). It gets the file on its standard input and
answers JSON on its standard output: the table, or the refusal and its words. Its answer is data,
never code (JSON, not pickle): a reader that a file subverted could say nothing worse than a wrong
table.

``python -m infrastructure.spreadsheets.reader`` is that process."""

import json
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from application.errors import ReadersBusy, TooLarge
from application.intake.tables import Table
from domain.errors import N_, InvalidValue, Refusal
from infrastructure.spreadsheets.limits import (
    MAX_FILE_BYTES,
    READER_CPU_SECONDS,
    READER_MEMORY_BYTES,
    READER_WALL_SECONDS,
)

REFUSALS: dict[str, type[Refusal]] = {"invalid": InvalidValue, "too-large": TooLarge}
STOPPED = N_(
    "reading the file took more than the {seconds} s of processor time or the {megabytes} MB of memory "
    "that one file may take; split it"
)


class SpreadsheetReader:
    def __init__(
        self,
        parallel: int = 2,
        wait: float = 30.0,
        cpu_seconds: int = READER_CPU_SECONDS,
        memory_bytes: int = READER_MEMORY_BYTES,
        wall_seconds: float = READER_WALL_SECONDS,
    ) -> None:
        self.slots = threading.BoundedSemaphore(parallel)
        self.wait = wait
        self.cpu_seconds = cpu_seconds
        self.memory_bytes = memory_bytes
        self.wall_seconds = wall_seconds

    def command(self, *options: str) -> list[str]:
        """How the reading process is started, under this reader's limits."""
        return [sys.executable, "-I", "-m", __name__, str(self.cpu_seconds), str(self.memory_bytes), *options]

    def read(self, data: bytes, name: str) -> Table:
        """The table a CSV or XLSX file holds, read by a process of its own; ``name``: the file's."""
        if len(data) > MAX_FILE_BYTES:
            raise TooLarge("a file holds at most {megabytes} MB", megabytes=MAX_FILE_BYTES // 2**20)
        if not self.slots.acquire(timeout=self.wait):
            raise ReadersBusy()
        try:
            answer = self._run(data)
        finally:
            self.slots.release()
        if "refused" in answer:
            refused = answer["refused"]
            values = refused.get("values", {})
            if refused["kind"] == "too-large":
                raise TooLarge(refused["template"], **values)
            raise InvalidValue(refused["template"], "file", **values)
        return Table(
            name=name,
            headers=tuple(answer["headers"]),
            rows=tuple((line, tuple(_cell(cell) for cell in cells)) for line, cells in answer["rows"]),
        )

    def _run(self, data: bytes) -> dict[str, Any]:
        stopped = TooLarge(STOPPED, seconds=self.cpu_seconds, megabytes=self.memory_bytes // 2**20)
        try:
            finished = subprocess.run(
                self.command(), input=data, capture_output=True, timeout=self.wall_seconds, check=False
            )
        except subprocess.TimeoutExpired:
            raise stopped from None
        if finished.returncode != 0:
            if finished.returncode in (-signal.SIGXCPU, -signal.SIGKILL) or b"MemoryError" in finished.stderr:
                raise stopped
            raise RuntimeError(
                f"the spreadsheet reader failed ({finished.returncode}): "
                f"{finished.stderr.decode(errors='replace')[-2000:]}"
            )
        answer: dict[str, Any] = json.loads(finished.stdout)
        return answer


# -- cells as JSON: the types a sheet's cells have, tagged ------------------------------------------


def _json_cell(value: object) -> object:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _cell(value: object) -> object:
    if not isinstance(value, dict):
        return value
    ((kind, written),) = value.items()
    readers: dict[str, Callable[[Any], object]] = {
        "datetime": datetime.fromisoformat,
        "date": date.fromisoformat,
        "time": time.fromisoformat,
        "seconds": lambda seconds: timedelta(seconds=float(seconds)),
    }
    return readers[kind](written)


# -- the reading process ----------------------------------------------------------------------------

LIMITS = {"cpu_seconds": resource.RLIMIT_CPU, "memory_bytes": resource.RLIMIT_AS, "open_files": resource.RLIMIT_NOFILE}


def main(arguments: list[str]) -> None:
    """``CPU_SECONDS MEMORY_BYTES [--limits]``: read the file on standard input under those limits
    (``--limits``: only say the limits in force)."""
    cpu_seconds, memory_bytes = int(arguments[0]), int(arguments[1])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    if "--limits" in arguments:
        sys.stdout.write(json.dumps({name: resource.getrlimit(limit)[0] for name, limit in LIMITS.items()}))
        return
    from infrastructure.spreadsheets.rows import (
        read_sheet,  # after the limits: its libraries count too
    )

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        sheet = read_sheet(data)
        answer: dict[str, Any] = {
            "headers": list(sheet.headers),
            "rows": [[line, [_json_cell(cell) for cell in cells]] for line, cells in sheet.rows],
        }
    except (InvalidValue, TooLarge) as refusal:
        kind = "too-large" if isinstance(refusal, TooLarge) else "invalid"
        answer = {"refused": {"kind": kind, "template": refusal.template, "values": refusal.values}}
    except MemoryError:
        answer = {
            "refused": {
                "kind": "too-large",
                "template": STOPPED,
                "values": {"seconds": cpu_seconds, "megabytes": memory_bytes // 2**20},
            }
        }
    sys.stdout.write(json.dumps(answer, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
