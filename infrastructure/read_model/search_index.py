"""The search index, in each engine's own full-text machinery.

Texts are put in search form (``domain.search``) before indexing and before
querying, so both engines only ever see normalised words separated by spaces.

Every entity of the read model has one entry, kept under its ``seq`` (the position of the event
that created it: unique across kinds, and the order lists are shown in). Matches are therefore
given in recorded order, and a page stops after its rows instead of reading and sorting every
match.

SQLite: an FTS5 table whose rowid is the seq, with the kind as an indexed column (a kind
filter inside the full-text query reads no stored row); ``search_rows`` finds an entity's rowid
by key. PostgreSQL: a ``tsvector`` column with a GIN index, using the ``simple`` configuration
(no stemming: the index serves every language). An entity whose words did not change is not
written again.
"""

from sqlalchemy import Connection, text

from infrastructure.persistence.driver import Statements

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "entity_kind, entity_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS search_rows (entity_kind varchar(20) NOT NULL, entity_id varchar(36) NOT NULL, "
    "fts_rowid integer NOT NULL, PRIMARY KEY (entity_kind, entity_id))",
]
POSTGRES_DDL = [
    "CREATE TABLE IF NOT EXISTS search_index (entity_kind varchar(20) NOT NULL, entity_id varchar(36) NOT NULL, "
    "seq bigint NOT NULL, body text NOT NULL, tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED, "
    "PRIMARY KEY (entity_kind, entity_id))",
    "CREATE INDEX IF NOT EXISTS ix_search_index_tsv ON search_index USING gin (tsv)",
]


def create(connection: Connection) -> None:
    for statement in SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS search_index"))
    connection.execute(text("DROP TABLE IF EXISTS search_rows"))


SQLITE_FIND = text(
    "SELECT r.fts_rowid, s.body FROM search_rows r JOIN search_index s ON s.rowid = r.fts_rowid "
    "WHERE r.entity_kind = :kind AND r.entity_id = :id"
)
SQLITE_ADD = text("INSERT INTO search_index (rowid, entity_kind, entity_id, body) VALUES (:seq, :kind, :id, :body)")
SQLITE_KEY = text("INSERT INTO search_rows (entity_kind, entity_id, fts_rowid) VALUES (:kind, :id, :seq)")
SQLITE_PUT = text("UPDATE search_index SET body = :body WHERE rowid = :row")
POSTGRES_ADD = text("INSERT INTO search_index (entity_kind, entity_id, seq, body) VALUES (:kind, :id, :seq, :body)")
POSTGRES_PUT = text(
    "UPDATE search_index SET body = :body WHERE entity_kind = :kind AND entity_id = :id AND body IS DISTINCT FROM :body"
)


def add(connection: Connection, said: Statements, entries: list[tuple[str, str, int, list[str]]]) -> None:
    """Index entities never indexed before, all at once: (kind, id, seq, words) each."""
    rows = [
        {"kind": kind, "id": entity_id, "seq": seq, "body": " ".join(words)} for kind, entity_id, seq, words in entries
    ]
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        said.run(connection, POSTGRES_ADD, rows)
        return
    said.run(connection, SQLITE_ADD, rows)
    said.run(connection, SQLITE_KEY, rows)


def put(connection: Connection, said: Statements, kind: str, entity_id: str, words: list[str]) -> None:
    """Index an entity's words in place of those it had (if the body is the same, nothing is written)."""
    body = " ".join(words)
    if connection.dialect.name != "sqlite":
        said.run(connection, POSTGRES_PUT, {"kind": kind, "id": entity_id, "body": body})
        return
    found = said.rows(connection, SQLITE_FIND, {"kind": kind, "id": entity_id})
    if found and found[0].body != body:
        said.run(connection, SQLITE_PUT, {"row": found[0].fts_rowid, "body": body})


Words = list[tuple[str, ...]]  # a query's words, each as its keys: one of them must match


def _having(dialect: str, kind: str, words: Words) -> tuple[str, dict[str, str]]:
    """The condition on ``search_index`` of having every word: one of its keys, as a word or a
    word's beginning (``domain.search.finds`` states the same rule)."""
    if dialect == "sqlite":
        expression = " AND ".join("(" + " OR ".join(f'"{key}"*' for key in keys) + ")" for keys in words)
        return "search_index MATCH :search", {"search": f'entity_kind : "{kind}" AND body : ({expression})'}
    expression = " & ".join("(" + " | ".join(f"{key}:*" for key in keys) + ")" for keys in words)
    return "tsv @@ to_tsquery('simple', :search) AND entity_kind = :search_kind", {
        "search": expression,
        "search_kind": kind,
    }


def matches(dialect: str, kind: str, words: Words, newest_first: bool = False) -> tuple[str, dict[str, str]]:
    """SQL selecting the ``seq`` of the entities of ``kind`` having every word, in recorded order
    (or newest first)."""
    condition, parameters = _having(dialect, kind, words)
    if dialect == "sqlite":
        # FTS5 gives rowids in order by itself, and stops early when the query that uses it does.
        return f"SELECT rowid AS seq FROM search_index WHERE {condition}", parameters
    # Sorted here, and kept apart by OFFSET 0: the planner would otherwise join every match
    # before sorting, where sorting the matches first lets a page stop after its rows.
    order = "DESC" if newest_first else "ASC"
    return f"SELECT seq FROM search_index WHERE {condition} ORDER BY seq {order} OFFSET 0", parameters


def first_matches(
    connection: Connection, kind: str, words: Words, after: int, count: int, bound: int | None = None
) -> tuple[list[int], int]:
    """The ``seq`` of the first ``count`` entities of ``kind`` having every word recorded after
    ``after``, and how many have them in all (with a ``bound``: counting stops one past it).

    Both from the index alone. SQLite's FTS5 gives its matches in rowid order and stops after the
    page; PostgreSQL's GIN index cannot give them in order, so those after the cursor are sorted."""
    condition, parameters = _having(connection.dialect.name, kind, words)
    seq = "rowid" if connection.dialect.name == "sqlite" else "seq"
    limit = "" if bound is None else f" LIMIT {int(bound) + 1}"
    total = connection.execute(
        text(f"SELECT count(*) FROM (SELECT 1 FROM search_index WHERE {condition}{limit}) m"), parameters
    ).scalar_one()
    seqs = (
        connection.execute(
            text(f"SELECT {seq} FROM search_index WHERE {condition} AND {seq} > :after ORDER BY {seq} LIMIT :count"),
            {**parameters, "after": after, "count": count},
        )
        .scalars()
        .all()
    )
    return list(seqs), total
