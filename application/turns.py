"""Commands in turn, their events followed in groups (decision 0016).

A process lets one command save at a time: threads wait their turn here, in order, instead of
polling SQLite's single write lock, or queueing in PostgreSQL for the followers' position locks
(which let one command's followers run at a time anyway). A command that saved while others
were already waiting does not follow its events itself: it hands them on and waits. The last
command of the queue follows the events of all of them in one go, so the followers' fixed cost
(a transaction, a position lock, a statement per table) is paid once per group instead of once
per command, and every command still returns only after the read model holds its events.
"""

import threading
from collections.abc import Callable

from eventsourcing.application import Recording

from application.ports import Saved


class Turns:
    def __init__(self, most: int = 64) -> None:
        """``most``: the most commands followed in one group, so that a queue that never empties
        still has its commands followed."""
        self.most = most
        self._turn = threading.Lock()
        self._state = threading.Condition()
        self._waiting = 0  # commands waiting for their turn to save
        self._handed_on: list[Saved] = []  # saved, waiting for the last of the queue to follow them
        self._followed = 0  # the events of every command up to this position have been followed (or tried)

    @property
    def waiting(self) -> int:
        """How many commands are waiting for their turn to save."""
        with self._state:
            return self._waiting

    def save(self, save: Callable[[], Saved], follow: Callable[[Saved], None]) -> list[Recording]:
        """Run ``save`` in this command's turn, then ``follow`` what it and the commands that handed
        theirs on saved, or hand it on to the next in the queue and wait until that is done."""
        with self._state:
            self._waiting += 1
        self._turn.acquire()
        with self._state:
            self._waiting -= 1
        mine = Saved()
        try:
            mine = save()
        finally:
            try:
                followed_here = self._follow_if_last(mine, follow)
            finally:
                self._turn.release()
        if mine.recordings and not followed_here:
            with self._state:
                self._state.wait_for(lambda: self._followed >= mine.until)
        return mine.recordings

    def _follow_if_last(self, mine: Saved, follow: Callable[[Saved], None]) -> bool:
        """If no command waits for its turn (or enough were handed on), follow what this one and
        those before it handed on."""
        group = Saved()
        with self._state:
            if mine.recordings:
                self._handed_on.append(mine)
            if self._waiting > 0 and len(self._handed_on) < self.most:
                return False
            for saved in self._handed_on:
                group.add(saved)
            self._handed_on = []
        if not group.recordings:
            return False
        try:
            follow(group)
        finally:
            with self._state:
                self._followed = max(self._followed, group.until)
                self._state.notify_all()
        return True
