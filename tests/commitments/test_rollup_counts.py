"""Roll-ups are counted in two steps (``domain.commitments.rollup``): commitments into counts, counts
into figures. Counts add up, which is what lets the read model keep them as commitments change."""

import random
from datetime import date, timedelta
from statistics import median

from domain.commitments.lifecycle import Status
from domain.commitments.rollup import Counted, Counts, Share, count, count_alike, median_of, roll_up_counts


def generated(rng: random.Random, n: int) -> list[Counted]:
    items = []
    for _ in range(n):
        status = rng.choice(list(Status))
        made = date(2023, 1, 1) + timedelta(days=rng.randrange(300))
        fulfilled = made + timedelta(days=rng.randrange(400)) if status is Status.FULFILLED else None
        items.append(
            Counted(
                status,
                rng.choice([None, 0, 25, 60, 100]),
                rng.choice([None, 1, 3, 1000]),
                rng.random() < 0.3,
                rng.random() < 0.2,
                rng.random() < 0.1,
                made if rng.random() < 0.9 else None,
                fulfilled,
            )
        )
    return items


def added(a: Counts, b: Counts) -> Counts:
    statuses = set(a.by_status) | set(b.by_status)
    days = set(a.days) | set(b.days)
    return Counts(
        {s: a.by_status.get(s, Share()) + b.by_status.get(s, Share()) for s in statuses},
        {d: a.days.get(d, 0) + b.days.get(d, 0) for d in days},
    )


def test_the_counts_of_two_sets_added_up_roll_up_as_the_two_counted_together() -> None:
    rng = random.Random(7)
    for _ in range(50):
        first, second = generated(rng, rng.randrange(30)), generated(rng, rng.randrange(30))
        assert roll_up_counts(added(count(first), count(second))) == roll_up_counts(count(first + second))


def test_a_commitment_taken_out_of_the_counts_leaves_them_as_if_it_had_never_been_counted() -> None:
    rng = random.Random(8)
    items = generated(rng, 40)
    gone = items.pop(rng.randrange(len(items)))
    without = added(count([*items, gone]), Counts({gone.status: -count([gone]).by_status[gone.status]}, {}))
    taken_days = {d: -n for d, n in count([gone]).days.items()}
    assert roll_up_counts(added(without, Counts({}, taken_days))) == roll_up_counts(count(items))


def test_commitments_counted_in_groups_of_alike_ones_count_as_one_by_one() -> None:
    rng = random.Random(9)
    items = generated(rng, 60)
    groups: dict[Counted, int] = {}
    for item in items:
        groups[item] = groups.get(item, 0) + 1
    assert count_alike(groups.items()) == count(items)


def test_the_median_of_a_histogram_is_the_median_of_the_values_it_counts() -> None:
    rng = random.Random(10)
    for _ in range(200):
        values = [rng.randrange(-5, 500) for _ in range(rng.randrange(1, 40))]
        histogram: dict[int, int] = {}
        for value in values:
            histogram[value] = histogram.get(value, 0) + 1
        assert median_of(histogram) == float(median(values))
