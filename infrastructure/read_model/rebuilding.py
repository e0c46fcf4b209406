"""Rebuilding the read model in several processes: each folds the events of a disjoint share of
the aggregates (by id), so the Python work per event (decoding, views, rows, search words) runs
in parallel; the rows of one aggregate are written by one process only, so the result is the
read model a single process builds (``tests/storage/test_projection.py`` compares them).

The parent drops and recreates the read model, waits for the shares, then records the position
and catches up with whatever was stored meanwhile.
"""

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from application.storage.store import EventStore
from infrastructure.log.aggregates import BatchReader
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
