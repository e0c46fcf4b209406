"""What sealing personal data costs reading a party, in instructions.

``python -m bench.personal_data`` counts with ``bench.instructions`` (valgrind's callgrind, the start-up
cancelled out) the instructions of loading one party with 20 contacts from its 21 stored events (SQLite, no
snapshot): through the service's event store, each contact's name and address opened with its person's key
(AES-256-GCM, the key read once and kept), and, as the baseline, through an event store on the same rows that
reads every value as stored (no key, no cipher). 100 loads after the first 20. Not part of ``python -m bench``:
valgrind makes it last minutes."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

from api.bootstrap import build
from application.inputs import TextInput
from application.storage.store import EventStore
from bench.instructions import instructions
from domain.access import Principal, Role
from infrastructure.persistence.database import event_store_env
from infrastructure.settings import Settings

FEW, MANY = 20, 120
CONTACTS = 20


@contextmanager
def loads(side: str) -> Iterator[Callable[[], object]]:
    """One load of the party, its contacts opened with their keys (``side`` "sealed") or read as stored."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/personal.db"
        services = build(Settings(database_url=url, scan_interval=0, snapshot_interval=0))
        admin = Principal("bench", "bench", Role.ADMIN)
        party = UUID(services.tracker.parties.register(admin, TextInput({"ar": "سيسرك"}), "SESRIC", "ngo").id)
        for number in range(CONTACTS):
            services.tracker.parties.keep_contact(
                party, admin, f"مسؤول الاتصال {number}", f"focal{number}@sesric.org", "ar"
            )
        store = services.store if side == "sealed" else EventStore(event_store_env(url))
        try:
            yield lambda: store.aggregate(party)
        finally:
            if store is not services.store:
                store.close()
            services.close()


def main() -> None:
    sealed, stored = (instructions(["bench.personal_data:loads", side], FEW, MANY) for side in ("sealed", "stored"))
    print(f"sealed {sealed / 1e3:.0f} k instructions per load, read as stored {stored / 1e3:.0f} k")
    print(f"ratio {sealed / stored:.3f}")


if __name__ == "__main__":
    main()
