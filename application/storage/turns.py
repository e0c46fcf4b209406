"""Commands in turn, saved together (decisions 0016 and 0030).

A process writes one group of commands at a time. A command queues its changes; if no group is
being written, it takes every change queued so far (at most ``most``) and has the writer save
them, in one transaction with their followers; otherwise it waits, and the commands that queued
while a group was written go together in the next. Every command returns only after its own
changes were saved and followed (a client reads its own writes), or raises why they were not.
"""

import threading
from collections.abc import Callable, Sequence

from application.ports import Changes, Saved


class Turns:
    def __init__(self, write: Callable[[Sequence[Changes]], None], most: int = 64) -> None:
        """``write``: saves a group (``ports.Writer.write``); ``most``: the most commands in one group."""
        self.write = write
        self.most = most
        self._state = threading.Condition()
        self._queue: list[Changes] = []
        self._writing = False

    @property
    def waiting(self) -> int:
        """How many commands are waiting for their changes to be written."""
        with self._state:
            return len(self._queue)

    def save(self, changes: Changes) -> Saved:
        """Have the changes written, in a group of those queued with them: what was saved, or the
        error that kept them from being saved."""
        with self._state:
            self._queue.append(changes)
        while True:
            with self._state:
                self._state.wait_for(lambda: changes.written or not self._writing)
                if changes.written:
                    break
                self._writing = True
                group, self._queue = self._queue[: self.most], self._queue[self.most :]
            try:
                self._write(group)
            finally:
                with self._state:
                    for written in group:
                        written.written = True
                    self._writing = False
                    self._state.notify_all()
        if changes.error is not None:
            raise changes.error
        assert changes.saved is not None
        return changes.saved

    def _write(self, group: list[Changes]) -> None:
        """Every command of the group ends with what was saved or an error: what the writer did not
        finish gets its error."""
        try:
            self.write(group)
        except BaseException as error:  # noqa: BLE001 - handed to each waiting command, which raises it
            for changes in group:
                if not changes.done:
                    changes.error = error
        for changes in group:
            if not changes.done:
                changes.error = RuntimeError("the writer left these changes unsaved")
