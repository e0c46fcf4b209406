"""Several services doing the same work at the same instant, each in a thread of its own."""

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def race(racers: Sequence[T], work: Callable[[T], Any]) -> list[Any]:
    """What ``work`` answered for each racer, all started together (in the order they finished)."""
    start = threading.Barrier(len(racers))
    answers: list[Any] = []

    def run(racer: T) -> None:
        start.wait()
        answers.append(work(racer))

    threads = [threading.Thread(target=run, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers
