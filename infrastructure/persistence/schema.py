"""Keeping the tables that are not derived from events (keys, subscriptions, …) up to date.

New tables are created; new columns, always nullable, are added to existing tables. Read-model
tables are never migrated: they are rebuilt (see ``infrastructure.read_model.projector``).
"""

from sqlalchemy import Engine, MetaData, inspect, text


def upgrade(engine: Engine, metadata: MetaData) -> list[str]:
    """Create missing tables and add missing nullable columns; returns what was added."""
    metadata.create_all(engine)
    added = []
    with engine.begin() as connection:
        inspector = inspect(connection)
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable:
                    raise RuntimeError(f"cannot add the required column {table.name}.{column.name} by itself")
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
                added.append(f"{table.name}.{column.name}")
    return added
