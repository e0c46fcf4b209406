"""What keeping who changed a commitment last costs its replays, in instructions.

Every event of a commitment tells it who made its latest change (``Commitment.Event.mutate``: decision 0075).
``python -m bench.who_changed`` counts with ``bench.instructions`` (valgrind's callgrind, the start-up cancelled
out) the instructions of replaying one commitment of 51 events (recorded, then progress reported 50 times)
from its events in memory, as every read "as of" an instant and every rebuild does; and, as the baseline, the
same replay with the library's own ``mutate`` (the commitment then keeps no one). 100 replays after the
first 20. Not part of ``python -m bench``: valgrind makes it last minutes."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import reduce
from typing import Any
from uuid import UUID

from application.inputs import TextInput
from bench.instructions import instructions
from bench.seeding import seed_meeting, services
from domain.access import Principal, Role
from domain.commitments.commitment import Commitment

FEW, MANY, PROGRESS = 20, 120, 50


@contextmanager
def replays(side: str) -> Iterator[Callable[[], object]]:
    """One replay of a commitment's events, keeping who changed it (``side`` "kept") or not ("not kept")."""
    with tempfile.TemporaryDirectory() as directory:
        s = services(f"sqlite:///{directory}/who.db")
        party_id, meeting_id = seed_meeting(s)
        coordinator = Principal("bench", "bench", Role.COORDINATOR)
        made = s.tracker.commitments.record(
            coordinator, TextInput({"ar": "تنفيذ مصفوفة الأنشطة"}), UUID(party_id), UUID(meeting_id), status="agreed"
        )
        for percent in range(1, PROGRESS + 1):
            s.tracker.commitments.report_progress(UUID(made.id), coordinator, percent)
        events = list(s.tracker.records.events(UUID(made.id)))
        s.close()
        if side == "not kept":
            del Commitment.Event.mutate  # the baseline: each event's mutate is then the library's own

        def replay() -> Any:
            return reduce(lambda aggregate, event: event.mutate(aggregate), events, None)

        yield replay


def main() -> None:
    kept, not_kept = (instructions(["bench.who_changed:replays", side], FEW, MANY) for side in ("kept", "not kept"))
    print(f"keeping who changed it {kept / 1e3:.0f} k instructions per replay, not keeping it {not_kept / 1e3:.0f} k")
    print(f"ratio {kept / not_kept:.3f}")


if __name__ == "__main__":
    main()
