"""The composition root: builds every part of the service from its settings."""

from dataclasses import dataclass

from sqlalchemy import Engine

from application.tracker import Clock, Tracker, system_clock
from infrastructure.catalogue import SqlCatalogue
from infrastructure.database import create_table_engine, event_store_env
from infrastructure.idempotency import IdempotencyStore
from infrastructure.keys import KeyStore
from infrastructure.projection import Projector
from infrastructure.settings import Settings
from infrastructure.tables import metadata


@dataclass
class Services:
    settings: Settings
    tracker: Tracker
    keys: KeyStore
    idempotency: IdempotencyStore
    projector: Projector
    catalogue: SqlCatalogue
    engine: Engine

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
    tracker.after_save = projector.catch_up
    return Services(
        settings=settings,
        tracker=tracker,
        keys=KeyStore(engine, clock),
        idempotency=IdempotencyStore(engine, clock),
        projector=projector,
        catalogue=SqlCatalogue(engine),
        engine=engine,
    )
