"""Commands in turn: those saved while others wait are followed
together, and every command returns only once its events have been followed."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from types import SimpleNamespace

import pytest

from application.inputs import DueInput, PeriodInput, TextInput, VenueInput
from application.ports import Saved
from application.queries import CommitmentFilter
from application.turns import Turns
from domain.search import query_words
from infrastructure.bootstrap import Services
from tests.server import wait_for

DEADLINE = 30.0


def saved(*positions: int) -> Saved:
    return Saved([SimpleNamespace(notification=SimpleNamespace(id=p)) for p in positions])


class Log:
    """What happened, in order, across the commands' threads."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)

    def follow(self, group: Saved) -> None:
        self(f"followed {sorted(r.notification.id for r in group.recordings)}")


def first_holds_its_turn_until_another_waits(turns: Turns, log: Log, second_save: Callable[[], Saved]) -> list[str]:
    """The first command saves events 1 and 2 and keeps its turn until a second command is queued."""
    saving, queued = threading.Event(), threading.Event()

    def first_save() -> Saved:
        saving.set()
        queued.wait(DEADLINE)
        log("first saved")
        return saved(1, 2)

    def first() -> None:
        turns.save(first_save, log.follow)
        log("first returned")

    def second() -> None:
        try:
            turns.save(second_save, log.follow)
        except RuntimeError:
            log("second failed")
        log("second returned")

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(first)]
        saving.wait(DEADLINE)
        done.append(pool.submit(second))
        wait_for(lambda: turns.waiting == 1, DEADLINE, "the second command to wait for its turn")
        queued.set()
        for future in done:
            future.result(timeout=DEADLINE)
    return log.lines


def test_a_command_saved_while_another_waits_is_followed_with_it_and_returns_only_after() -> None:
    log = Log()

    def second_save() -> Saved:
        log("second saved")
        return saved(3)

    lines = first_holds_its_turn_until_another_waits(Turns(), log, second_save)
    assert lines[:3] == ["first saved", "second saved", "followed [1, 2, 3]"]
    assert sorted(lines[3:]) == ["first returned", "second returned"]


def test_when_the_next_command_fails_to_save_it_still_follows_the_one_before_it() -> None:
    log = Log()

    def second_save() -> Saved:
        raise RuntimeError("a concurrent update")

    lines = first_holds_its_turn_until_another_waits(Turns(), log, second_save)
    assert lines[:2] == ["first saved", "followed [1, 2]"]
    assert sorted(lines[2:]) == ["first returned", "second failed", "second returned"]


def test_a_group_that_reached_its_size_is_followed_even_if_others_wait() -> None:
    log = Log()

    def second_save() -> Saved:
        log("second saved")
        return saved(3)

    lines = first_holds_its_turn_until_another_waits(Turns(most=1), log, second_save)
    assert lines[:2] == ["first saved", "followed [1, 2]"]  # the second was waiting, but one is a full group
    assert sorted(lines[2:]) == ["first returned", "followed [3]", "second returned", "second saved"]


def test_a_command_alone_follows_its_own_events_and_one_that_saved_nothing_follows_nothing() -> None:
    log = Log()
    turns = Turns()
    assert [r.notification.id for r in turns.save(lambda: saved(7), log.follow)] == [7]
    assert turns.save(lambda: saved(), log.follow) == []
    assert log.lines == ["followed [7]"]


def test_a_failing_follower_does_not_leave_the_commands_it_was_following_for_waiting() -> None:
    log = Log()

    def failing_follow(group: Saved) -> None:
        log.follow(group)
        raise RuntimeError("the read model's database is gone")

    turns = Turns()
    with pytest.raises(RuntimeError):
        turns.save(lambda: saved(1), failing_follow)
    assert [r.notification.id for r in turns.save(lambda: saved(2), log.follow)] == [2]  # the turn was given back
    assert log.lines == ["followed [1]", "followed [2]"]


def letters(number: int) -> str:
    """A word of its own for each commitment (the search form keeps letters together)."""
    return "".join("abcdefghij"[int(digit)] for digit in f"{number:04d}")


def test_commands_from_many_threads_each_read_their_own_write(services: Services) -> None:
    threads = 16
    party = services.tracker.parties.register("load", TextInput({"en": "Organisation of Islamic Cooperation"}), "OIC",
                                            "international_organisation")
    meeting = services.tracker.meetings.record("load", TextInput({"en": "Joint committee"}), "general_meeting",
                                              PeriodInput(date(2024, 5, 1), date(2024, 5, 2)),
                                              VenueInput("Jeddah", "Asia/Riyadh"))
    start = threading.Barrier(threads)

    def record(index: int) -> list[int]:
        start.wait(DEADLINE)
        found = []
        for n in range(5):
            word = f"item{letters(index * 10 + n)}"
            services.tracker.commitments.record("load", TextInput({"en": f"Follow up {word}"}), party.id, meeting.id,
                                               due=DueInput("year", "2030"))
            found.append(services.catalogue.find_commitments(CommitmentFilter(words=query_words(word))).total)
        return found

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(record, range(threads)))
    assert results == [[1] * 5] * threads
    assert services.catalogue.find_commitments(CommitmentFilter(limit=1)).total == threads * 5
