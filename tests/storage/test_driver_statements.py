"""The followers say their statements to the database driver (``infrastructure.persistence.driver``):
they write exactly the rows SQLAlchemy Core writes for them, table by table."""

from typing import Any

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from api.bootstrap import Services
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.head_signing import HeadSigner
from infrastructure.audit.tables import audit_chain
from infrastructure.log.aggregates import BatchReader
from infrastructure.log.follower import LogFollower
from infrastructure.persistence.driver import Statements, ThroughSqlAlchemy, ToTheDriver
from infrastructure.persistence.tables import follower_positions
from infrastructure.read_model.projector import Projector
from infrastructure.read_model.tables import commitments_view, read_metadata
from infrastructure.webhooks.outbox import Outbox
from infrastructure.webhooks.tables import deliveries
from tests.fakes import FrozenClock
from tests.recorded_history import record_history

SMALL_BATCHES = 7  # events a follower takes at a time: most batches change aggregates projected before

# What a delivery says and to whom; not its random id nor the instant it was queued (the clock moves on).
DELIVERED = [deliveries.c[name] for name in ("subscription_id", "position", "event_type", "commitment_id", "payload")]


def followed_tables(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every table the followers write, as stored: read by the driver, without SQLAlchemy's conversions
    (which would read a time stored in another form as the same time)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    queries = {
        **{table.name: select(table) for table in read_metadata.sorted_tables},
        "search_index": text("SELECT entity_kind, entity_id, body FROM search_index"),
        "audit_chain": select(audit_chain),
        "deliveries": select(*DELIVERED),
        "follower_positions": select(follower_positions),
    }
    with services.engine.connect() as connection:
        for name, query in queries.items():
            stored = connection.exec_driver_sql(str(query.compile(connection))).all()
            tables[name] = sorted((tuple(row) for row in stored), key=repr)
    return tables


def twins(services: Services, statements: Statements) -> list[LogFollower]:
    """Followers of the same log under the same names, their statements said through ``statements``."""
    store, outbox = services.store, services.outbox
    return [
        Projector(
            services.engine,
            store.recorder,
            store.mapper.to_domain_event,
            BatchReader(store),
            batch_size=SMALL_BATCHES,
            statements=statements,
        ),
        Outbox(
            services.engine,
            store.recorder,
            store.mapper.to_domain_event,
            outbox.reader,
            outbox.subscriptions,
            outbox.clock,
            outbox.base_url,
            batch_size=SMALL_BATCHES,
            statements=statements,
        ),
        AuditChain(
            services.engine, store.recorder, HeadSigner(services.engine, outbox.clock, None), outbox.clock, statements
        ),
    ]


@pytest.mark.slow  # a history of 80 commitments, followed three times
def test_the_followers_write_through_the_driver_exactly_the_rows_sqlalchemy_writes(
    services: Services, clock: FrozenClock
) -> None:
    services.subscriptions.create("http://127.0.0.1:9/hook", ["lifecycle", "overdue", "due_soon"], [], None)
    outbox_from = services.outbox.position()
    record_history(services.tracker, clock, commitments=80)  # followed in the saving transactions, said to the driver
    as_recorded = followed_tables(services)
    assert len(as_recorded["commitments_view"]) >= 80 and len(as_recorded["deliveries"]) >= 80
    assert as_recorded["rollup_shares"] and as_recorded["rollup_days"] and as_recorded["search_index"]

    for statements in (ThroughSqlAlchemy(), ToTheDriver()):
        projector, outbox, audit = twins(services, statements)
        assert isinstance(projector, Projector)
        projector.recreate()
        with services.engine.begin() as connection:
            connection.execute(delete(audit_chain))
            connection.execute(delete(deliveries))
            positions = follower_positions.c
            connection.execute(update(follower_positions).where(positions.name == audit.name).values(position=0))
            connection.execute(
                update(follower_positions).where(positions.name == outbox.name).values(position=outbox_from)
            )
        for follower in (projector, outbox, audit):
            follower.catch_up()
        assert followed_tables(services) == as_recorded, type(statements).__name__


def test_a_statement_the_driver_refuses_is_raised_as_sqlalchemy_raises_it(services: Services) -> None:
    row = dict.fromkeys(commitments_view.c.keys())
    with pytest.raises(IntegrityError), services.engine.begin() as connection:
        ToTheDriver().run(connection, commitments_view.insert(), row)
