"""Costs that should not grow with what is stored: a list page (with its total) and recording a
commitment, on a database holding many commitments beside one holding few (or none); and what a
roll-up over many commitments costs beside counting them."""

from uuid import UUID

from application.listing.queries import CommitmentFilter, RollupScope, terms
from bench.measure import Figure, rate, summary
from bench.scenarios import recording, recording_fresh
from bench.seeding import database, followed, services

LISTS = {  # name: the filter a list page asks for (its first page, 50 rows, with its total)
    "every commitment": CommitmentFilter(),
    "those agreed (every one), by due": CommitmentFilter(statuses=["agreed"], sort="due"),
    "an Arabic search": CommitmentFilter(words=terms("مصفوفة الأنشطة")),
}
PAGES = 200  # pages read for each measurement


def list_pages(engine: str, few: int, many: int, runs: int) -> list[Figure]:
    """Each list's first page at ``many`` commitments beside the same page at ``few``."""
    rates: dict[tuple[str, int], list[float]] = {}
    for count in (few, many):
        with database(engine) as url:
            s = services(url)
            followed(s, count)
            for name, query in LISTS.items():
                page = s.catalogue.find_commitments(query)
                assert len(page.items) == 50 and page.total >= 50, (name, page.total)
                rates[name, count] = [
                    rate(PAGES, lambda: [s.catalogue.find_commitments(query) for _ in range(PAGES)])
                    for _ in range(runs)
                ]
            s.close()
    figures = []
    for name in LISTS:
        value, low, high = summary(rates[name, many])
        baseline = summary(rates[name, few])[0]
        # The target is on time (at most twice as long): as rates, the page at many is at least half as fast.
        figures.append(
            Figure(
                f"list page with its total: {name}, {many:,} commitments",
                engine,
                "pages/s",
                value,
                low,
                high,
                f"the same page at {few:,} commitments",
                baseline,
                "≥ 0.5 × baseline",
            )
        )
    return figures


def recording_when_full(engine: str, many: int, count: int, runs: int) -> list[Figure]:
    """Recording ``count`` commitments one at a time into a database holding ``many`` (with the
    read model, outbox and audit chain caught up), beside recording them into a fresh one."""
    full, fresh = [], []
    with database(engine) as url:
        s = services(url)
        followed(s, many)
        record, _ = recording(s, "OIC")
        for _ in range(runs):
            full.append(rate(count, lambda: [record() for _ in range(count)]))
        s.close()
    for _ in range(runs):
        fresh.append(recording_fresh(engine, count)[0])
    value, low, high = summary(full)
    return [
        Figure(
            f"record one command at a time with {many:,} commitments stored",
            engine,
            "commitments/s",
            value,
            low,
            high,
            "recording into a fresh database",
            summary(fresh)[0],
            "≥ 0.8 × baseline",
        )
    ]


ROLLUPS = 5  # roll-ups read for each measurement


def rollups(engine: str, many: int, runs: int) -> list[Figure]:
    """A party's roll-up over ``many`` commitments (every row read, then added up by the domain's
    rule; the same work as the overview's statistics when the read model has moved), beside the
    first page of the same list with its exact total (every row counted by the database)."""
    with database(engine) as url:
        s = services(url)
        followed(s, many)
        party = UUID(s.catalogue.find_commitments(CommitmentFilter(limit=1)).items[0]["lead_party_id"])
        scope, counted = RollupScope(party=party), CommitmentFilter(lead_party=party, exact_total=True)
        assert s.figures.rollup(scope)["commitments"] == many
        assert s.catalogue.find_commitments(counted).total == many
        rolled = [rate(ROLLUPS, lambda: [s.figures.rollup(scope) for _ in range(ROLLUPS)]) for _ in range(runs)]
        paged = [
            rate(ROLLUPS, lambda: [s.catalogue.find_commitments(counted) for _ in range(ROLLUPS)]) for _ in range(runs)
        ]
        s.close()
    value, low, high = summary(rolled)
    return [
        Figure(
            f"roll-up of a party's {many:,} commitments",
            engine,
            "roll-ups/s",
            value,
            low,
            high,
            "the first page of its list with the exact total",
            summary(paged)[0],
            "reported",
        )
    ]
