"""The search index, in each engine's own full-text machinery.

Texts are put in search form (``domain.search``) before indexing and before
querying, so both engines only ever see normalised words separated by spaces.
SQLite: an FTS5 table. PostgreSQL: a ``tsvector`` column with a GIN index,
using the ``simple`` configuration (no stemming: the index serves every language).
"""

from sqlalchemy import Connection, text

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "entity_kind UNINDEXED, entity_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 0')",
]
POSTGRES_DDL = [
    "CREATE TABLE IF NOT EXISTS search_index (entity_kind varchar(20) NOT NULL, entity_id varchar(36) NOT NULL, "
    "body text NOT NULL, tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED, "
    "PRIMARY KEY (entity_kind, entity_id))",
    "CREATE INDEX IF NOT EXISTS ix_search_index_tsv ON search_index USING gin (tsv)",
]


def create(connection: Connection) -> None:
    for statement in SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS search_index"))


def put(connection: Connection, kind: str, entity_id: str, words: list[str]) -> None:
    connection.execute(
        text("DELETE FROM search_index WHERE entity_kind = :kind AND entity_id = :id"), {"kind": kind, "id": entity_id}
    )
    if words:
        connection.execute(
            text("INSERT INTO search_index (entity_kind, entity_id, body) VALUES (:kind, :id, :body)"),
            {"kind": kind, "id": entity_id, "body": " ".join(words)},
        )


def matching(dialect: str, kind: str | None, words: list[str]) -> tuple[str, dict[str, str]]:
    """SQL selecting ``entity_id`` of the entries having every word, each as a word or a word's beginning."""
    kind_clause = "" if kind is None else " AND entity_kind = :search_kind"
    if dialect == "sqlite":
        expression = " AND ".join(f'"{word}"*' for word in words)
        sql = f"SELECT entity_id FROM search_index WHERE search_index MATCH :search{kind_clause}"
    else:
        expression = " & ".join(f"{word}:*" for word in words)
        sql = f"SELECT entity_id FROM search_index WHERE tsv @@ to_tsquery('simple', :search){kind_clause}"
    parameters = {"search": expression}
    if kind is not None:
        parameters["search_kind"] = kind
    return sql, parameters
