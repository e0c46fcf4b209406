"""What saying the door costs each saved event, in instructions.

``python -m bench.doors`` counts with ``bench.instructions`` (valgrind's callgrind, the start-up cancelled out)
the instructions of one command that saves one event (a party registered, SQLite): through the
pages' door (``application.doors.through("page")``: the event is stamped and carries it in its stored
state), and, as the baseline, with no door said (as the rule tests call the use cases). 100 commands after
the first 20. Not part of ``python -m bench``: valgrind makes it last minutes."""

import itertools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from api.bootstrap import build
from application import doors
from application.inputs import TextInput
from bench.instructions import instructions
from domain.access import Principal, Role
from infrastructure.settings import Settings

FEW, MANY = 20, 120


@contextmanager
def commands(side: str) -> Iterator[Callable[[], object]]:
    """One command saving one event, through the pages' door (``side`` "page") or with none said ("none")."""
    with tempfile.TemporaryDirectory() as directory:
        services = build(Settings(database_url=f"sqlite:///{directory}/doors.db", scan_interval=0))
        admin = Principal("bench", "bench", Role.ADMIN)
        numbers = itertools.count()

        def command() -> object:
            number = next(numbers)
            with doors.through("page") if side == "page" else nullcontext():
                return services.tracker.parties.register(admin, TextInput({"ar": f"طرف {number}"}), f"P{number}", "ngo")

        try:
            yield command
        finally:
            services.close()


def main() -> None:
    page, none = (instructions(["bench.doors:commands", side], FEW, MANY) for side in ("page", "none"))
    print(f"through the pages {page / 1e3:.0f} k instructions per command, no door said {none / 1e3:.0f} k")
    print(f"ratio {page / none:.3f}")


if __name__ == "__main__":
    main()
