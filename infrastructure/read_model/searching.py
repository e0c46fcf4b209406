"""The catalogue's full-text questions: which entities of a kind hold a query's words (the index's
matches, as a subquery lists join), and the search across every kind."""

import json

from sqlalchemy import BigInteger, Engine, Subquery, select, text

from application.listing.queries import SearchHit
from infrastructure.read_model import search_index
from infrastructure.read_model.tables import agreements_view, commitments_view, meetings_view, parties_view

Words = list[tuple[str, ...]]  # a query's words, each as its search keys (domain.search.query_words)

# Searched in this order: the few parties and meetings come before the many commitments.
LABELS = {
    "party": ("names", parties_view),
    "meeting": ("title", meetings_view),
    "agreement": ("title", agreements_view),
    "commitment": ("text", commitments_view),
}


def found(engine: Engine, kind: str, words: Words, newest_first: bool = False) -> Subquery:
    """The entities of ``kind`` having the words, by ``seq`` in recorded order (or newest first)."""
    sql, parameters = search_index.matches(engine.dialect.name, kind, words, newest_first)
    return text(sql).bindparams(**parameters).columns(seq=BigInteger).subquery("matches")


def search(engine: Engine, words: Words, limit: int) -> list[SearchHit]:
    """Everything whose texts hold all the words: parties, meetings, agreements, then commitments."""
    hits: list[SearchHit] = []
    for kind, (label, table) in LABELS.items():
        matches = found(engine, kind, words, newest_first=True)
        with engine.connect() as connection:
            rows = connection.execute(
                select(table.c.id, table.c.document)
                .join_from(matches, table, table.c.seq == matches.c.seq)
                .order_by(matches.c.seq.desc())
                .limit(limit)
            ).all()
        hits += [SearchHit(kind=kind, id=row.id, label=json.loads(row.document)[label]) for row in rows]
    return hits[:limit]
