"""Commands in turn: those that queue while a group is written are written together next, and
every command returns only once its own changes were written (and followed), or with why not."""

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from types import SimpleNamespace
from uuid import UUID

import pytest

from api.bootstrap import Services
from application.inputs import DueInput, PeriodInput, TextInput
from application.listing.queries import CommitmentFilter
from application.ports import Changes
from application.storage.turns import Turns
from domain.meetings.meeting import Venue
from domain.search import query_words
from tests.actors import acting
from tests.server import wait_for

DEADLINE = 30.0


def named(name: str) -> Changes:
    """A command's changes, told apart by a name."""
    return Changes([SimpleNamespace(id=name)])  # type: ignore[list-item]  # a stand-in: only its id is read


class Writer:
    """A writer that notes each group it is given, and keeps the first waiting until told."""

    def __init__(self, fails: bool = False) -> None:
        self.groups: list[list[str]] = []
        self.fails = fails
        self.first_started, self.go_on = threading.Event(), threading.Event()

    def write(self, group: Sequence[Changes]) -> None:
        self.groups.append([changes.aggregates[0].id for changes in group])  # type: ignore[misc]  # the stand-ins' ids are names
        if len(self.groups) == 1:
            self.first_started.set()
            self.go_on.wait(DEADLINE)
        if self.fails:
            raise RuntimeError("the database is gone")
        for changes in group:
            changes.stored([])


def while_the_first_is_written(turns: Turns, writer: Writer, others: list[str]) -> list[str | BaseException]:
    """The first command's changes are written while the others queue, one after another."""
    outcomes: dict[str, str | BaseException] = {}

    def save(name: str) -> None:
        try:
            turns.save(named(name))
            outcomes[name] = "saved"
        except RuntimeError as error:
            outcomes[name] = error

    threads = [threading.Thread(target=save, args=("first",))]
    threads[0].start()
    assert writer.first_started.wait(DEADLINE)
    for number, name in enumerate(others, start=1):
        threads.append(threading.Thread(target=save, args=(name,)))
        threads[-1].start()

        def queued(number: int = number) -> bool:
            return turns.waiting == number

        wait_for(queued, DEADLINE, f"{name} to queue")
    writer.go_on.set()
    for thread in threads:
        thread.join(DEADLINE)
    return [outcomes[name] for name in ["first", *others]]


def test_commands_that_queue_while_a_group_is_written_are_written_together_next() -> None:
    writer = Writer()
    outcomes = while_the_first_is_written(Turns(writer.write), writer, ["second", "third", "fourth"])
    assert writer.groups == [["first"], ["second", "third", "fourth"]]
    assert outcomes == ["saved"] * 4


def test_a_group_holds_at_most_the_most_commands_and_the_rest_follow_in_order() -> None:
    writer = Writer()
    while_the_first_is_written(Turns(writer.write, most=2), writer, ["second", "third", "fourth"])
    assert writer.groups == [["first"], ["second", "third"], ["fourth"]]


def test_a_writer_that_fails_fails_every_command_of_its_group_and_the_next_group_is_written() -> None:
    writer = Writer(fails=True)
    outcomes = while_the_first_is_written(Turns(writer.write), writer, ["second"])
    assert [str(outcome) for outcome in outcomes] == ["the database is gone"] * 2
    writer.fails = False
    assert Turns(writer.write).save(named("alone")).recordings == []
    assert writer.groups[-1] == ["alone"]


def test_a_command_the_writer_forgot_is_told_so_rather_than_left_waiting() -> None:
    with pytest.raises(RuntimeError, match="left these changes unsaved"):
        Turns(lambda group: None).save(Changes([]))


def letters(number: int) -> str:
    """A word of its own for each commitment (the search form keeps letters together)."""
    return "".join("abcdefghij"[int(digit)] for digit in f"{number:04d}")


def test_commands_from_many_threads_each_read_their_own_write(services: Services) -> None:
    threads = 16
    party = services.tracker.parties.register(
        acting("load"), TextInput({"en": "Organisation of Islamic Cooperation"}), "OIC", "international_organisation"
    )
    meeting = services.tracker.meetings.record(
        acting("load"),
        TextInput({"en": "Joint committee"}),
        "general_meeting",
        PeriodInput(date(2024, 5, 1), date(2024, 5, 2)),
        Venue("Jeddah", "Asia/Riyadh"),
    )
    start = threading.Barrier(threads)

    def record(index: int) -> list[int]:
        start.wait(DEADLINE)
        found = []
        for n in range(5):
            word = f"item{letters(index * 10 + n)}"
            services.tracker.commitments.record(
                acting("load"),
                TextInput({"en": f"Follow up {word}"}),
                UUID(party.id),
                UUID(meeting.id),
                due=DueInput("year", "2030"),
            )
            found.append(services.catalogue.find_commitments(CommitmentFilter(words=query_words(word))).total)
        return found

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(record, range(threads)))
    assert results == [[1] * 5] * threads
    assert services.catalogue.find_commitments(CommitmentFilter(limit=1)).total == threads * 5
