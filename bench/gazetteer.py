"""What the gazetteer of the world's names costs (decision 0061): the memory and time of loading it, in a fresh
process, and the cost of ``find`` on the 6 kB Arabic sample report beside a baseline run in the same
process on the same text, one pass of ``re.finditer(r"\\w+")`` (reading its words once): the ratio is how many
such passes one ``find`` costs. With ``--instructions``, the same two are also counted by callgrind
(``bench.instructions``: two children, the start-up and the exit cancel out).

python -m bench.gazetteer [--runs N] [--repeat N] [--instructions]
"""

import argparse
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.instructions import instructions
from bench.measure import Figure, summary

SAMPLE = Path(__file__).parent.parent / "tests" / "reports" / "unodc-egypt-2024.ar.txt"
_WORDS = re.compile(r"\w+")


def _rss_kib() -> int:
    """This process's resident memory now, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _loading() -> None:
    """In a fresh process: the resident memory the gazetteer's loading adds, and its processor and wall time
    (the imports it needs counted in), and the second call's."""
    import gc

    gc.collect()
    before = _rss_kib()
    cpu, wall = time.process_time(), time.perf_counter()
    from infrastructure.gazetteer import load_gazetteer

    names = load_gazetteer()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    gc.collect()
    after = _rss_kib()
    again = time.perf_counter()
    load_gazetteer()
    again = time.perf_counter() - again
    print(after - before, cpu, wall, again, getattr(names, "entries", 0), getattr(names, "keys", 0))


def loading(runs: int) -> list[Figure]:
    """The loading, measured in ``runs`` fresh processes."""
    measured = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", "from bench.gazetteer import _loading; _loading()"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        measured.append([float(x) for x in out])
    rss, cpu, wall, again = ([m[i] for m in measured] for i in range(4))
    entries, keys = int(measured[0][4]), int(measured[0][5])
    return [
        Figure(
            f"load the gazetteer ({entries:,} entries, {keys:,} keys), resident memory added",
            "-",
            "MB",
            *summary([r / 1024 for r in rss]),
            target="≤ 50 MB",
        ),
        Figure(
            "load the gazetteer, processor time", "-", "CPU ms", *summary([c * 1e3 for c in cpu]), target="reported"
        ),
        Figure("load the gazetteer, wall time", "-", "ms", *summary([w * 1e3 for w in wall]), target="reported"),
        Figure(
            "load_gazetteer() again in the same process",
            "-",
            "µs",
            *summary([a * 1e6 for a in again]),
            target="reported",
        ),
    ]


def _per_call(work: Callable[[], object], repeat: int) -> float:
    started = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - started) / repeat


def finding(runs: int, repeat: int) -> list[Figure]:
    """``find`` on the sample beside one pass over its words, each ``repeat`` times a run, ``runs`` runs."""
    from infrastructure.gazetteer import load_gazetteer

    text = SAMPLE.read_text(encoding="utf-8")
    names = load_gazetteer()
    names.find(text)
    ours = [_per_call(lambda: names.find(text), repeat) * 1e3 for _ in range(runs)]
    baseline = [_per_call(lambda: list(_WORDS.finditer(text)), repeat) * 1e3 for _ in range(runs)]
    found = len(names.find(text))
    return [
        Figure(
            f"find the names of the 6 kB Arabic sample ({len(text):,} characters, {found} names found)",
            "-",
            "CPU ms",
            *summary(ours),
            baseline_name='one re.finditer(r"\\w+") pass over the same text',
            baseline=summary(baseline)[0],
            target="well under 100 ms (the reader's budget)",
        )
    ]


@contextmanager
def finds() -> Iterator[Callable[[], object]]:
    """One ``find`` on the sample (``bench.instructions`` counts it)."""
    from infrastructure.gazetteer import load_gazetteer

    text = SAMPLE.read_text(encoding="utf-8")
    names = load_gazetteer()
    yield lambda: names.find(text)


@contextmanager
def words() -> Iterator[Callable[[], object]]:
    """The baseline: one pass over the sample's words."""
    text = SAMPLE.read_text(encoding="utf-8")
    yield lambda: list(_WORDS.finditer(text))


def counted(few: int, many: int) -> list[Figure]:
    ours = instructions(["bench.gazetteer:finds"], few, many)
    baseline = instructions(["bench.gazetteer:words"], few, many)
    return [
        Figure(
            "find the names of the 6 kB Arabic sample, instructions",
            "-",
            "k instructions",
            ours / 1e3,
            ours / 1e3,
            ours / 1e3,
            'one re.finditer(r"\\w+") pass over the same text',
            baseline / 1e3,
            "reported",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--instructions", action="store_true")
    arguments = parser.parse_args()
    figures = [*loading(arguments.runs), *finding(arguments.runs, arguments.repeat)]
    if arguments.instructions:
        figures += counted(5, 105)
    for f in figures:
        ratio = f" | baseline {f.baseline:,.3f} ({f.baseline_name}) | ratio {f.ratio:.1f}" if f.ratio else ""
        print(f"{f.scenario}: {f.value:,.3f} {f.unit} ({f.low:,.3f}–{f.high:,.3f}){ratio} | target {f.target}")


if __name__ == "__main__":
    main()
