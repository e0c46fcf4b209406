"""Rebuilding the read model in several processes: each folds the events of a disjoint share of
the aggregates (by id), so the Python work per event (decoding, views, rows, search words) runs
in parallel; the rows of one aggregate are written by one process only, so the result is the
read model a single process builds (``tests/storage/test_projection.py`` compares them).

The parent drops and recreates the read model, waits for the shares, then records the position
and catches up with whatever was stored meanwhile.

Rebuilding while serving (decision 0059): a service that starts with its read model far behind the
log (its version changed, or an earlier rebuild was stopped) answers at once and brings the read
model up to date in a thread of its own (``RebuildWhileServing``); meanwhile ``RebuildProgress`` says
how far it has come (the API answers 503 ``rebuilding``, ``/status`` shows it).
"""

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from application.storage.store import EventStore
from infrastructure.log.aggregates import BatchReader
from infrastructure.log.follower import follow
from infrastructure.persistence.database import create_table_engine, event_store_env
from infrastructure.read_model.projector import Projector


def rebuild(
    database_url: str, projector: Projector, workers: int, progress: Callable[[int, int], object] | None = None
) -> int:
    """The read model rebuilt by ``workers`` processes (1: in this one); ``progress(events read by
    every share / workers, latest)`` as the shares go. Returns the position reached."""
    if workers <= 1:
        return projector.rebuild(progress)
    latest = projector.recreate()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no connection is inherited
    read = context.Array("q", workers)
    with context.Pool(workers, initializer=_share_counts, initargs=(read,)) as pool:
        folding = pool.starmap_async(_fold, [(database_url, share, workers, latest) for share in range(workers)])
        while not folding.ready():
            folding.wait(0.5)
            if progress is not None:
                progress(min(sum(read[:]) // workers, latest), latest)
        folding.get()  # a share that failed fails the rebuild
    projector.move_to(latest)
    reached = projector.catch_up()
    if progress is not None:
        progress(latest, latest)
    return reached


_read: Any = None  # in a worker process: how many events each share has read


def _share_counts(read: Any) -> None:
    global _read
    _read = read


@contextmanager
def read_model_of(database_url: str) -> Iterator[tuple[Projector, EventStore]]:
    """Only the read model's projector on the database (and the event store it reads), for a
    process that folds a share of a rebuild (``read_model.rebuilding``); closed after. The event
    store's tables exist already: the processes do not create them again, which on PostgreSQL raced
    ("tuple concurrently updated" when two ran the library's CREATE … IF NOT EXISTS at once)."""
    engine = create_table_engine(database_url)
    store = EventStore({**event_store_env(database_url), "CREATE_TABLE": "no"})
    try:
        yield (
            Projector(engine, store.recorder, store.mapper.to_domain_event, BatchReader(store), cache_size=100_000),
            store,
        )
    finally:
        store.close()
        engine.dispose()


def _fold(database_url: str, share: int, shares: int, until: int) -> None:
    def done(count: int) -> None:
        _read[share] += count

    with read_model_of(database_url) as (projector, _):
        projector.fold(share, shares, until, done=done)


log = logging.getLogger("commitments.projection")


class RebuildProgress:
    """How far the read model's rebuild beside the service has come: ``running`` while it runs,
    ``reached`` the position projected of ``latest`` (the last event stored when it last looked).
    Read by any thread (the API's 503s, ``/status``); written by the rebuild's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = False
        self._reached = 0
        self._latest = 0
        self._started = 0.0  # time.monotonic() when it began, and where it was then
        self._started_at = 0
        self._done = threading.Event()
        self._done.set()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def reached(self) -> int:
        return self._reached

    @property
    def latest(self) -> int:
        return self._latest

    def began(self, reached: int, latest: int) -> None:
        with self._lock:
            self._running, self._reached, self._latest = True, reached, latest
            self._started, self._started_at = time.monotonic(), reached
            self._done.clear()

    def moved(self, reached: int, latest: int) -> None:
        with self._lock:
            self._reached, self._latest = reached, max(latest, reached)

    def finished(self, reached: int) -> None:
        with self._lock:
            self._running, self._reached, self._latest = False, reached, max(self._latest, reached)
        self._done.set()

    def wait(self, timeout: float) -> bool:
        """Until the rebuild has finished (True), or ``timeout`` seconds (False)."""
        return self._done.wait(timeout)

    def seconds_left(self) -> float | None:
        """At the pace so far, how long the rest will take (None: no pace known yet)."""
        with self._lock:
            done, left = self._reached - self._started_at, self._latest - self._reached
            spent = time.monotonic() - self._started
        if not self._running or done <= 0 or spent <= 0:
            return None
        return left * spent / done

    def as_dict(self) -> dict[str, object]:
        """For ``/status``: whether it runs, where it is, and (roughly) how long it has left."""
        left = self.seconds_left()
        return {
            "running": self._running,
            "reached": self._reached,
            "latest": self._latest,
            "seconds_left": None if left is None else round(left, 1),
        }


def _nothing(reached: int, latest: int) -> None:
    return None


@dataclass(frozen=True)
class InBackground:
    """How a service brings up to date, at start, a read model ``behind`` events or more behind the log
    (a rebuild: its version changed, or a rebuild was stopped): in a thread of its own while it answers,
    ``step`` events in each transaction, ``before_step(reached, latest)`` told before each (tests hold
    the rebuild there), ``pause`` seconds between tries after a failure. A read model less far behind
    is caught up before the service answers, as a command's would be."""

    behind: int = 1_000
    step: int = 10_000
    before_step: Callable[[int, int], object] = _nothing
    pause: float = 5.0


class RebuildWhileServing:
    """The read model brought up to date in a thread of its own, while the service answers; stopped
    between two steps when the service stops (a rebuild stopped goes on at the next start: every step
    moves the position it is committed with)."""

    def __init__(self, projector: Projector, progress: RebuildProgress, how: InBackground) -> None:
        self.projector = projector
        self.progress = progress
        self.how = how
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.progress.began(self.projector.position(), self.projector.recorder.max_notification_id() or 0)
        self._thread = threading.Thread(target=self._run, name="read-model-rebuild", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 30.0) -> None:
        """Stop between two steps, and wait up to ``wait`` seconds for the thread to end."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(wait)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._rebuild()
                return
            except Exception:
                log.exception("the read model's rebuild failed: trying again in %s s", self.how.pause)
                self._stopping.wait(self.how.pause)

    def _rebuild(self) -> None:
        projector, how = self.projector, self.how
        reached = projector.position()
        latest = projector.recorder.max_notification_id() or 0
        self.progress.moved(reached, latest)
        while reached < latest:
            how.before_step(reached, latest)
            if self._stopping.is_set():
                return
            reached = follow(
                projector.engine,
                projector.recorder,
                projector,
                until=min(reached + how.step, latest),
                batch_size=how.step,
            )
            self.progress.moved(reached, latest)
        if self._stopping.is_set():
            return
        self.progress.finished(projector.catch_up())  # what other processes stored meanwhile
        log.info("the read model is rebuilt, up to event %s", self.progress.reached)
