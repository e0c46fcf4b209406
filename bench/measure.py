"""Figures and timing helpers: medians of several runs, and ratios to a baseline measured in the same run."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """A measured value (``unit``: a rate, a time, or instructions counted by callgrind) beside a baseline
    measured in the same run. ``ratio`` is always value / baseline: for a rate, the share of the baseline's
    speed (higher is better); for a time or a count of instructions, how many times the baseline's cost
    (lower is better)."""

    scenario: str
    engine: str
    unit: str
    value: float  # median of the runs
    low: float
    high: float
    baseline_name: str | None = None
    baseline: float | None = None
    target: str = ""
    notes: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.value / self.baseline


def rate(count: int, work: Callable[[], object]) -> float:
    """Items per second for ``work`` doing ``count`` items."""
    started = time.perf_counter()
    work()
    return count / max(time.perf_counter() - started, 1e-9)


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def summary(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)
