"""The composition root: builds every part of the service from its settings."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from application.scanner import Scanner
from application.tracker import Clock, Tracker, system_clock
from infrastructure.catalogue import SqlCatalogue
from infrastructure.database import create_table_engine, event_store_env
from infrastructure.idempotency import IdempotencyStore
from infrastructure.keys import KeyStore
from infrastructure.projection import Projector
from infrastructure.settings import Settings
from infrastructure.tables import metadata


log = logging.getLogger("commitments.projection")


def _logging_failures(catch_up: Callable[[int], object]) -> Callable[[int], None]:
    """The command's events are saved whatever happens here: a projection failure is logged, not
    reported as the command's failure, and the next command (or a rebuild) catches up."""

    def after_save(position: int) -> None:
        try:
            catch_up(position)
        except Exception:
            log.exception("the read model could not catch up to event %s", position)

    return after_save


@dataclass
class Services:
    settings: Settings
    tracker: Tracker
    keys: KeyStore
    idempotency: IdempotencyStore
    projector: Projector
    catalogue: SqlCatalogue
    scanner: Scanner
    engine: Engine

    def background_jobs(self) -> dict[str, Callable[[], object]]:
        """What the scheduler runs at each tick."""
        return {"scanner": self.scanner.tick}

    def close(self) -> None:
        self.tracker.close()
        self.engine.dispose()


def build(settings: Settings, clock: Clock = system_clock, catch_up: bool = True) -> Services:
    """Connect to the database the settings name, creating what is missing.

    The read model is created (or rebuilt, if its shape changed) and brought up to
    date with the event log, then kept up to date by every command.
    """
    engine = create_table_engine(settings.database_url)
    metadata.create_all(engine)
    tracker = Tracker(event_store_env(settings.database_url), clock, settings.snapshot_interval)
    projector = Projector(engine, tracker)
    projector.prepare()
    if catch_up:
        projector.catch_up()
    tracker.after_save = _logging_failures(projector.catch_up)
    catalogue = SqlCatalogue(engine)
    return Services(
        settings=settings,
        tracker=tracker,
        keys=KeyStore(engine, clock),
        idempotency=IdempotencyStore(engine, clock),
        projector=projector,
        catalogue=catalogue,
        scanner=Scanner(tracker, catalogue),
        engine=engine,
    )
