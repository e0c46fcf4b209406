"""Meeting reports are read in worker processes kept for the purpose, never in the server's own:
reading is pure computation, and in the server's process it would hold the interpreter while other
requests wait (four long reports read at once made a short list 190 times slower). The workers
start at the first report, live as long as the service and run under a memory limit; at most
``parallel`` reports are read at once, and a request that waits longer than ``wait`` for a worker is
answered 503 with nothing read. Each worker loads the gazetteer of the world's names once, as it starts
(``infrastructure.gazetteer``, decision 0061), and reads every report with it."""

import resource
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from multiprocessing import get_context

from application.errors import ReadersBusy
from domain.reading.proposals import KnownParty, Reading
from domain.reading.report import read_report
from infrastructure.gazetteer import load_gazetteer

MEMORY_BYTES = 1024 * 2**20  # a report at the length limit needs well under a tenth of it


def _start(memory_bytes: int) -> None:
    """A worker's start: its memory limit, then the gazetteer, loaded under it."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    load_gazetteer()


def _read(text: str, published: date, parties: list[KnownParty]) -> Reading:
    """What a worker does with one report: read it with the world's names."""
    return read_report(text, published, list(parties), names=load_gazetteer())


class ReportReader:
    def __init__(self, parallel: int = 1, wait: float = 30.0, memory_bytes: int = MEMORY_BYTES) -> None:
        self.parallel = parallel
        self.wait = wait
        self.memory_bytes = memory_bytes
        self.slots = threading.BoundedSemaphore(parallel)
        self._pool: ProcessPoolExecutor | None = None
        self._starting = threading.Lock()

    def __call__(self, text: str, published: date, parties: Iterable[KnownParty]) -> Reading:
        """What ``read_report`` reads, read by a worker process."""
        if not self.slots.acquire(timeout=self.wait):
            raise ReadersBusy("reports")
        try:
            return self._workers().submit(_read, text, published, list(parties)).result()
        except BrokenProcessPool:  # a worker died (its memory limit, or killed): the next report starts new ones
            self.close()
            raise ReadersBusy("reports") from None
        finally:
            self.slots.release()

    def _workers(self) -> ProcessPoolExecutor:
        with self._starting:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.parallel, mp_context=get_context("spawn"), initializer=_start, initargs=(self.memory_bytes,)
                )
            return self._pool

    def close(self) -> None:
        with self._starting:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
