"""Costs that should not grow with what is stored: a list page (with its total) and recording a
commitment, on a database holding many commitments beside one holding few (or none); and what a
roll-up over many commitments costs beside counting them."""

from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from uuid import UUID

from application.listing.queries import CommitmentFilter, RollupScope, terms
from bench.measure import Figure, rate, summary
from bench.scenarios import recording, recording_fresh
from bench.seeding import database, followed, services
from domain.commitments.rollup import roll_up

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
    """A party's roll-up over ``many`` commitments and the statistics of every commitment (from the
    counts the projector keeps), beside the first page of the same list with its exact total (every row
    counted by the database); and the roll-up as recorded at an instant (versions grouped alike by the
    database), beside the same roll-up with every commitment read and counted one by one."""
    with database(engine) as url:
        s = services(url)
        followed(s, many)
        party = UUID(s.catalogue.find_commitments(CommitmentFilter(limit=1)).items[0]["lead_party_id"])
        scope, counted = RollupScope(party=party), CommitmentFilter(lead_party=party, exact_total=True)
        then = s.tracker.records.now() + timedelta(seconds=1)
        assert s.figures.rollup(scope)["commitments"] == many
        assert s.figures.statistics()["overall"]["commitments"] == many
        assert s.catalogue.find_commitments(counted).total == many

        def one_by_one() -> dict[str, object]:
            return asdict(roll_up(row.counted for row in s.catalogue.rollup_rows(scope, then)))

        assert {k: v for k, v in s.figures.rollup(scope, then).items() if k not in ("scope", "as_of", "axis")} == (
            one_by_one()
        )

        def measured(work: Callable[[], object]) -> list[float]:
            return [rate(ROLLUPS, lambda: [work() for _ in range(ROLLUPS)]) for _ in range(runs)]

        rolled = measured(lambda: s.figures.rollup(scope))
        statistics = measured(s.figures.statistics)
        paged = measured(lambda: s.catalogue.find_commitments(counted))
        as_of = measured(lambda: s.figures.rollup(scope, then))
        counted_one_by_one = measured(one_by_one)
        s.close()
    page = summary(paged)[0]
    return [
        Figure(
            f"roll-up of a party's {many:,} commitments, now",
            engine,
            "roll-ups/s",
            *summary(rolled),
            "the first page of its list with the exact total",
            page,
            "≥ 10",
        ),
        Figure(
            f"statistics of {many:,} commitments, now",
            engine,
            "statistics/s",
            *summary(statistics),
            "the first page of a party's list with the exact total",
            page,
            "≥ 10",
        ),
        Figure(
            f"roll-up of a party's {many:,} commitments, as recorded at an instant",
            engine,
            "roll-ups/s",
            *summary(as_of),
            "the same, every commitment read and counted one by one",
            summary(counted_one_by_one)[0],
            "≥ 8",
        ),
    ]
