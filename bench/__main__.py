"""python -m bench [--scale tiny|small|full] [--engine sqlite|postgresql|both] [--runs N] [--only WORD] [--json]
[--instructions]"""

import argparse
import sys
from collections.abc import Callable
from typing import Any

from bench import growth, hostile, instructions, pages, rebuilding, scenarios
from bench.measure import Figure

SCALES = {
    "tiny": {
        "instructions": [5, 25],  # repetitions: the warm-up, then all of them (those after it are counted)
        "record": 30,
        "scan": [1_000, 5_000],
        "chain": 1_000,
        "history": 300,
        "search": 2_000,
        "mark": 50,
        "http": 640,
        "deliver": 100,
        "rebuild": 1_000,
        "memory": 1_000,
        "pages": 1_000,
        "import": 200,
        "ids": 2_000,
        "few": 100,
        "many": 1_000,
    },
    "small": {
        "instructions": [20, 120],  # repetitions: the warm-up, then all of them (those after it are counted)
        "record": 500,
        "scan": [10_000, 100_000],
        "chain": 20_000,
        "history": 10_000,
        "search": 20_000,
        "mark": 1_000,
        "http": 6_400,
        "deliver": 2_000,
        "rebuild": 50_000,
        "memory": 100_000,
        "pages": 100_000,
        "import": 5_000,
        "ids": 100_000,
        "few": 10_000,
        "many": 100_000,
    },
    "full": {
        "instructions": [20, 520],  # repetitions: the warm-up, then all of them (those after it are counted)
        "record": 2_000,
        "scan": [10_000, 100_000, 1_000_000],
        "chain": 1_000_000,
        "history": 10_000,
        "search": 100_000,
        "mark": 10_000,
        "http": 32_000,
        "deliver": 10_000,
        "rebuild": 1_000_000,
        "memory": 1_000_000,
        "pages": 100_000,
        "import": 20_000,
        "ids": 1_000_000,
        "few": 10_000,
        "many": 1_000_000,
    },
}


# name: (what it measures, how to run it at a scale)
SCENARIOS: dict[str, Callable[[str, dict[str, Any], int], list[Figure]]] = {
    "record": lambda engine, sizes, runs: scenarios.record_commitments(engine, sizes["record"], runs),
    "threads": lambda engine, sizes, runs: scenarios.record_in_threads(engine, sizes["record"], runs),
    "scan": lambda engine, sizes, runs: scenarios.find_overdue(engine, sizes["scan"], runs),
    "chain": lambda engine, sizes, runs: scenarios.verify_chain(engine, sizes["chain"], runs),
    "history": lambda engine, sizes, runs: scenarios.load_long_history(engine, sizes["history"], runs),
    "search": lambda engine, sizes, runs: scenarios.search(engine, sizes["search"], runs),
    "mark": lambda engine, sizes, runs: scenarios.mark_overdue(engine, sizes["mark"], runs),
    "read-api": lambda engine, sizes, runs: scenarios.read_via_api(engine, sizes["http"], runs),
    "record-api": lambda engine, sizes, runs: scenarios.record_via_api(engine, sizes["http"], runs),
    "deliver": lambda engine, sizes, runs: scenarios.deliver_webhooks(engine, sizes["deliver"], runs),
    "rebuild": lambda engine, sizes, runs: rebuilding.rebuild_read_model(engine, sizes["rebuild"], runs),
    "memory": lambda engine, sizes, runs: scenarios.api_memory(engine, sizes["memory"], runs),
    "ids": lambda engine, sizes, runs: scenarios.new_ids(engine, sizes["ids"], runs),
    "import": lambda engine, sizes, runs: scenarios.import_matrix(engine, sizes["import"], runs),
    "lists": lambda engine, sizes, runs: growth.list_pages(engine, sizes["few"], sizes["many"], runs),
    "full": lambda engine, sizes, runs: growth.recording_when_full(engine, sizes["many"], sizes["record"], runs),
    "rollups": lambda engine, sizes, runs: growth.rollups(engine, sizes["many"], runs),
    "hostile": lambda engine, sizes, runs: hostile.hostile_uploads(engine, runs),
    "reports": lambda engine, sizes, runs: hostile.hostile_reports(engine, runs),
    "pages": lambda engine, sizes, runs: pages.render_pages(
        engine, sizes["pages"], runs, 1 if sizes["pages"] < 10_000 else 5
    ),
    "public": lambda engine, sizes, runs: pages.public_pages(
        engine, sizes["pages"], runs, 1 if sizes["pages"] < 10_000 else 5
    ),
}

# The scenarios measured in instructions (``--instructions``), each beside its processor time.
INSTRUCTIONS: dict[str, Callable[[str, dict[str, Any], int], list[Figure]]] = {
    "record": lambda engine, sizes, runs: instructions.record(
        engine, sizes["instructions"][0], sizes["instructions"][1], runs
    ),
}


def run(
    scale: str,
    engines: list[str],
    runs: int,
    only: list[str] | None = None,
    measured: Callable[[Figure], object] = lambda figure: None,
    chosen: dict[str, Callable[[str, dict[str, Any], int], list[Figure]]] = SCENARIOS,
) -> list[Figure]:
    """Every ``chosen`` scenario (``only`` those named) on every engine; ``measured`` is told of each figure
    as soon as it is known."""
    figures: list[Figure] = []
    for engine in engines:
        for name, scenario in chosen.items():
            if not only or name in only:
                for figure in scenario(engine, SCALES[scale], runs):
                    measured(figure)
                    figures.append(figure)
    return figures


HEADER = "| scenario | engine | median (min–max) | baseline | ratio | target |\n|---|---|---|---|---|---|"


def row(f: Figure) -> str:
    """One table row; the latencies of the HTTP scenarios (p99) beside their rates."""
    p99 = f", p99 {f.notes['p99_ms']:,.0f} ms" if "p99_ms" in f.notes else ""
    baseline_p99 = f", p99 {f.notes['baseline_p99_ms']:,.0f} ms" if "baseline_p99_ms" in f.notes else ""
    baseline = "" if f.baseline is None else f"{f.baseline:,.1f} {f.unit}{baseline_p99} ({f.baseline_name})"
    ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
    others = "".join(
        f"; {name} {value:g}" for name, value in f.notes.items() if name not in ("p99_ms", "baseline_p99_ms")
    )
    return (
        f"| {f.scenario} | {f.engine} | {f.value:,.1f} {f.unit} ({f.low:,.1f}–{f.high:,.1f}){p99}{others} | "
        f"{baseline} | {ratio} | {f.target} |"
    )


def table(figures: list[Figure]) -> str:
    return "\n".join([HEADER, *(row(f) for f in figures)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure the scenarios of BENCHMARKS.md.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS), help="run only these scenarios")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="run the scenarios measured in instructions (valgrind's callgrind) and processor time instead",
    )
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    chosen = INSTRUCTIONS if args.instructions else SCENARIOS
    if args.json:
        print(scenarios.to_json(run(args.scale, engines, args.runs, args.only, chosen=chosen)))
        return 0
    print(HEADER, flush=True)  # then each row as soon as it is measured: a long run shows its progress
    run(args.scale, engines, args.runs, args.only, lambda figure: print(row(figure), flush=True), chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
