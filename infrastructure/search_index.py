"""The search index, in each engine's own full-text machinery.

Texts are put in search form (``domain.search``) before indexing and before
querying, so both engines only ever see normalised words separated by spaces.
SQLite: an FTS5 table, with ``search_rows`` finding an entity's FTS row by key (FTS5 would
otherwise scan the whole index to find it). PostgreSQL: a ``tsvector`` column with a GIN index,
using the ``simple`` configuration (no stemming: the index serves every language).
An entity whose words did not change is not written again.
"""

from sqlalchemy import Connection, text

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "entity_kind UNINDEXED, entity_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS search_rows (entity_kind varchar(20) NOT NULL, entity_id varchar(36) NOT NULL, "
    "fts_rowid integer NOT NULL, PRIMARY KEY (entity_kind, entity_id))",
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
    connection.execute(text("DROP TABLE IF EXISTS search_rows"))


SQLITE_FIND = text("SELECT r.fts_rowid, s.body FROM search_rows r JOIN search_index s ON s.rowid = r.fts_rowid "
                   "WHERE r.entity_kind = :kind AND r.entity_id = :id")
SQLITE_REMOVE = [text("DELETE FROM search_index WHERE rowid = :row"),
                 text("DELETE FROM search_rows WHERE entity_kind = :kind AND entity_id = :id")]
SQLITE_ADD = text("INSERT INTO search_index (entity_kind, entity_id, body) VALUES (:kind, :id, :body)")
SQLITE_ADD_AT = text("INSERT INTO search_index (rowid, entity_kind, entity_id, body) VALUES (:row, :kind, :id, :body)")
SQLITE_LAST_ROW = text("SELECT rowid FROM search_index ORDER BY rowid DESC LIMIT 1")
SQLITE_KEY = text("INSERT INTO search_rows (entity_kind, entity_id, fts_rowid) VALUES (:kind, :id, :row)")
POSTGRES_ADD = text("INSERT INTO search_index (entity_kind, entity_id, body) VALUES (:kind, :id, :body)")
POSTGRES_PUT = text("INSERT INTO search_index (entity_kind, entity_id, body) VALUES (:kind, :id, :body) "
                    "ON CONFLICT (entity_kind, entity_id) DO UPDATE SET body = excluded.body "
                    "WHERE search_index.body IS DISTINCT FROM excluded.body")
POSTGRES_REMOVE = text("DELETE FROM search_index WHERE entity_kind = :kind AND entity_id = :id")


def add(connection: Connection, entries: list[tuple[str, str, list[str]]]) -> None:
    """Index entities never indexed before, all at once: (kind, id, words) each."""
    rows = [{"kind": kind, "id": entity_id, "body": " ".join(words)} for kind, entity_id, words in entries if words]
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(POSTGRES_ADD, rows)
        return
    last = connection.execute(SQLITE_LAST_ROW).scalar() or 0  # the writer holds the lock: nobody else adds
    for n, row in enumerate(rows, start=last + 1):
        row["row"] = n
    connection.execute(SQLITE_ADD_AT, rows)
    connection.execute(SQLITE_KEY, rows)


def put(connection: Connection, kind: str, entity_id: str, words: list[str]) -> None:
    """Index an entity's words in place of those it had (if the body is the same, nothing is written)."""
    body = " ".join(words)
    key = {"kind": kind, "id": entity_id}
    if connection.dialect.name != "sqlite":
        if words:
            connection.execute(POSTGRES_PUT, {**key, "body": body})
        else:
            connection.execute(POSTGRES_REMOVE, key)
        return
    found = connection.execute(SQLITE_FIND, key).first()
    if found is not None and found.body == body:
        return
    if found is not None:
        for statement in SQLITE_REMOVE:
            connection.execute(statement, {**key, "row": found.fts_rowid})
    if words:
        row = connection.execute(SQLITE_ADD, {**key, "body": body}).lastrowid
        connection.execute(SQLITE_KEY, {**key, "row": row})


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
