"""Keeping the tables that are not derived from events (keys, subscriptions, …) up to date.

New tables are created; new columns, always nullable, are added to existing tables. Read-model
tables are never migrated: they are rebuilt (see ``infrastructure.read_model.projector``).
"""

from sqlalchemy import Engine, MetaData, inspect, text


def upgrade(engine: Engine, metadata: MetaData) -> list[str]:
    """Create missing tables and add missing nullable columns; returns what was added. The database is
    asked once for its tables and once for their columns (every service start and every test runs this)."""
    added = []
    with engine.begin() as connection:
        inspector = inspect(connection)
        existing = set(inspector.get_table_names())
        metadata.create_all(
            connection, tables=[t for t in metadata.sorted_tables if t.name not in existing], checkfirst=False
        )
        kept = [t for t in metadata.sorted_tables if t.name in existing]
        columns = inspector.get_multi_columns(filter_names=[t.name for t in kept]) if kept else {}
        for table in kept:
            present = {column["name"] for column in columns[(None, table.name)]}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable:
                    raise RuntimeError(f"cannot add the required column {table.name}.{column.name} by itself")
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
                added.append(f"{table.name}.{column.name}")
    return added
