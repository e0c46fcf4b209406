"""Instructions and processor time of one repetition of a piece of work, each measured in a child process.

A piece of work is named ``module:function``: the function takes text arguments and is a context manager
that prepares the work (a database, the services on it) and yields one repetition of it. A child process,
``python -m bench.instructions module:function WARM COUNT ARGUMENT...``, prepares it, runs WARM
repetitions, says ``ready`` and waits for a line on its standard input, then runs COUNT repetitions and
prints their processor time (``time.process_time``).

Instructions are counted by valgrind's callgrind, which instruments the child only once it is ready (it
starts with ``--instr-atstart=no``; ``callgrind_control -i on`` turns it on: the start-up runs several
times faster uninstrumented). What is counted is then the COUNT repetitions, the work's clean-up and the
child's exit; two children, both warmed by ``few`` repetitions and one of them running ``many - few``
more, differ by the instructions of those ``many - few``: the rest cancels out. The processor time is
that of the same repetitions in a child without valgrind. Both are the child's own: on PostgreSQL the
server's work, done in its processes, is in neither.

A count repeats within a fraction of a per cent when the children hash strings with the same seed, when
the objects of the start-up are frozen out of the cyclic collector's rounds, and when the work does
nothing that depends on how long it lasts: under callgrind a repetition lasts a hundred times longer, so
what a service does every so many seconds (a look in the database, a connection tried) must be made rare
by the work's preparation, or it comes at every repetition.
"""

import gc
import importlib
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager

from eventsourcing.application import Application

from bench.measure import Figure, summary
from bench.scenarios import _plain_recording, recording, recording_fresh
from bench.seeding import database, services
from infrastructure.persistence.database import event_store_env

Work = Callable[..., AbstractContextManager[Callable[[], object]]]


def _child(work: list[str], warm: int, count: int, counted: bool) -> str:
    """The last thing the child doing ``work`` prints, once it has run ``warm`` repetitions and, told to go,
    ``count`` more; ``counted``: under callgrind, instrumented from the go on, what callgrind counted."""
    command = [sys.executable, "-m", "bench.instructions", work[0], str(warm), str(count), *work[1:]]
    if counted:
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null", *command]
    # One seed of the string hashes for every child: the children of a pair then hash alike, and differ only
    # by the repetitions they run.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile("w+") as errors:  # a file: what the child says there never makes it wait
        child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True, env=env
        )
        assert child.stdout is not None
        if child.stdout.readline() == "ready\n" and counted:
            subprocess.run(["callgrind_control", "--instr=on", str(child.pid)], capture_output=True, check=True)
        out, _ = child.communicate("go\n")
        errors.seek(0)
        err = errors.read()
    assert child.returncode == 0, err[-2000:]
    if not counted:
        return out.split()[-1]
    found = re.search(r"Collected : (\d+)", err)
    assert found is not None, err[-2000:]
    return found.group(1)


def instructions(work: list[str], few: int, many: int) -> float:
    """The instructions of one repetition of ``work`` (``module:function`` and its arguments): after ``few``
    repetitions, a child running ``many - few`` more less one running none, divided by ``many - few``. The
    two children run at the same time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        low, high = pool.map(lambda count: int(_child(work, few, count, counted=True)), [0, many - few])
    return (high - low) / (many - few)


def processor_seconds(work: list[str], few: int, many: int) -> float:
    """The processor time of one repetition of ``work``: ``many - few`` repetitions after the first ``few``."""
    return float(_child(work, few, many - few, counted=False)) / (many - few)


def _run(work: str, warm: int, count: int, arguments: list[str]) -> float:
    """In the child: prepares ``work``, runs it ``warm`` times, waits for the go, runs it ``count`` times;
    the processor time of those."""
    module, name = work.split(":")
    prepare: Work = getattr(importlib.import_module(module), name)
    with prepare(*arguments) as repetition:
        for _ in range(warm):
            repetition()
        # What is alive now is left out of the cyclic collector's rounds (it goes over every object the
        # start-up made, at moments that depend on what came before): what is measured is the repetitions'.
        gc.collect()
        gc.freeze()
        print("ready", flush=True)
        sys.stdin.readline()
        started = time.process_time()
        for _ in range(count):
            repetition()
        return time.process_time() - started


# The recording scenario: what ``python -m bench --instructions`` measures.


@contextmanager
def commitments(engine: str) -> Iterator[Callable[[], object]]:
    """One commitment recorded through the application on a fresh database, as the ``record`` scenario
    records them (``bench.scenarios.recording``: the read model, the outbox and the audit chain follow)."""
    with database(engine) as url:
        # Connections tried only after an hour's rest: under callgrind a command lasts a hundred times
        # longer, and would otherwise rest past the threshold (a second) that it never reaches at full speed.
        s = services(url, pool_ping_after=3600.0)
        try:
            yield recording(s)[0]
        finally:
            s.close()


@contextmanager
def plain_saves(engine: str, size: str) -> Iterator[Callable[[], object]]:
    """The baseline: a plain eventsourcing Application loading two aggregates of one event and saving a new
    one with one event of ``size`` bytes (``bench.scenarios._plain_recording``), on a fresh database."""
    with database(engine) as url:
        app: Application[uuid.UUID] = Application(env=event_store_env(url))
        try:
            yield _plain_recording(app, int(size))
        finally:
            app.close()


def record(engine: str, few: int, many: int, runs: int) -> list[Figure]:
    """Recording one command at a time through the application layer, beside the library's same-shape save:
    the instructions of one (counted once: they hardly vary between runs) and its processor time (``runs``
    times). Each ratio is ours / the baseline's: how many times the baseline's work one command costs."""
    ours_work = ["bench.instructions:commitments", engine]
    baseline_work = ["bench.instructions:plain_saves", engine, str(recording_fresh(engine, 1)[1])]
    ours, baseline = instructions(ours_work, few, many), instructions(baseline_work, few, many)
    ours_cpu = [processor_seconds(ours_work, few, many) * 1e6 for _ in range(runs)]
    baseline_cpu = [processor_seconds(baseline_work, few, many) * 1e6 for _ in range(runs)]
    name = "eventsourcing: load the same two aggregates, save one event of the same size"
    return [
        Figure(
            "record one command at a time (application layer), instructions per command",
            engine,
            "k instructions",
            ours / 1e3,
            ours / 1e3,
            ours / 1e3,
            name,
            baseline / 1e3,
            "≤ 3.33 × baseline (the rate: ≥ 0.30)",
        ),
        Figure(
            "record one command at a time (application layer), processor time per command",
            engine,
            "CPU µs",
            *summary(ours_cpu),
            name,
            summary(baseline_cpu)[0],
            "reported",
        ),
    ]


if __name__ == "__main__":
    print(_run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]), flush=True)
    os._exit(0)  # without the interpreter's teardown, which the repetitions do not need (and callgrind is slow)
