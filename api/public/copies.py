"""Copies of public pages and documents, kept per record, as-of date, language and format, so that a page
read often is made once. A copy is good while nothing it depends on has moved: the list of publications
and the read model (``PublicRecords.freshness``). Once either moves, every copy is dropped at once (after a
withdrawal, no copy of the withdrawn record survives). Bounded in copies and in bytes."""

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import blake2b
from threading import BoundedSemaphore, Lock

from application.errors import MakersBusy

MOST_COPIES = 2_000
MOST_BYTES = 64 * 1024 * 1024
MOST_MAKING = 2  # copies made at once in a process: a reader asking for new ones again and again waits
MAKING_WAIT = 20.0  # seconds a request waits for a maker before it is answered 503


@dataclass(frozen=True)
class Copy:
    body: bytes
    media_type: str
    etag: str  # a strong validator of the body

    @classmethod
    def of(cls, body: bytes, media_type: str) -> "Copy":
        return cls(body, media_type, '"' + blake2b(body, digest_size=16).hexdigest() + '"')


class PublicCopies:
    def __init__(
        self,
        most: int = MOST_COPIES,
        most_bytes: int = MOST_BYTES,
        makers: int = MOST_MAKING,
        wait: float = MAKING_WAIT,
    ) -> None:
        self.most = most
        self.most_bytes = most_bytes
        self.wait = wait
        self._makers = BoundedSemaphore(makers)
        self._copies: OrderedDict[tuple[str, ...], Copy] = OrderedDict()
        self._bytes = 0
        self._fresh: tuple[int, int] | None = None
        self._lock = Lock()  # pages are made in worker threads

    def get(self, key: tuple[str, ...], fresh: tuple[int, int]) -> Copy | None:
        with self._lock:
            self._move_to(fresh)
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
            return found

    def keep(self, key: tuple[str, ...], fresh: tuple[int, int], copy: Copy) -> None:
        if len(copy.body) > self.most_bytes // 8:
            return  # one copy never takes most of the room
        with self._lock:
            if self._fresh != fresh:
                return  # made from what has moved since: kept by nobody
            previous = self._copies.pop(key, None)
            self._bytes += len(copy.body) - (len(previous.body) if previous else 0)
            self._copies[key] = copy
            while len(self._copies) > self.most or self._bytes > self.most_bytes:
                _, dropped = self._copies.popitem(last=False)
                self._bytes -= len(dropped.body)

    @contextmanager
    def making(self) -> Iterator[None]:
        """One of the few makers of copies, while a copy is made: the pages read from copies stay fast while new
        ones (a new date, after a write) wait their turn; ``MakersBusy`` (503) after ``wait`` seconds."""
        if not self._makers.acquire(timeout=self.wait):
            raise MakersBusy()
        try:
            yield
        finally:
            self._makers.release()

    def __len__(self) -> int:
        return len(self._copies)

    def _move_to(self, fresh: tuple[int, int]) -> None:
        """Everything kept was made before ``fresh``, if it differs: all of it is dropped."""
        if fresh != self._fresh:
            self._copies.clear()
            self._bytes = 0
            self._fresh = fresh
