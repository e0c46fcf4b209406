"""python -m bench [--scale tiny|small|full] [--engine sqlite|postgresql|both] [--runs N] [--json]"""

import argparse
import sys

from bench import scenarios
from bench.measure import Figure

SCALES = {
    "tiny": {"record": 30, "scan": [1_000, 5_000], "chain": 1_000, "history": 300, "search": 2_000, "mark": 50,
             "http": 640},
    "small": {"record": 500, "scan": [10_000, 100_000], "chain": 20_000, "history": 10_000, "search": 20_000,
              "mark": 1_000, "http": 6_400},
    "full": {"record": 2_000, "scan": [10_000, 100_000, 1_000_000], "chain": 1_000_000, "history": 10_000,
             "search": 100_000, "mark": 10_000, "http": 32_000},
}


def run(scale: str, engines: list[str], runs: int) -> list[Figure]:
    sizes = SCALES[scale]
    figures: list[Figure] = []
    for engine in engines:
        figures += scenarios.record_commitments(engine, sizes["record"], runs)
        figures += scenarios.find_overdue(engine, sizes["scan"], runs)
        figures += scenarios.verify_chain(engine, sizes["chain"], runs)
        figures += scenarios.load_long_history(engine, sizes["history"], runs)
        figures += scenarios.search(engine, sizes["search"], runs)
        figures += scenarios.mark_overdue(engine, sizes["mark"], runs)
        figures += scenarios.read_via_api(engine, sizes["http"], runs)
    return figures


def table(figures: list[Figure]) -> str:
    lines = ["| scenario | engine | median (min–max) | baseline | ratio | target |", "|---|---|---|---|---|---|"]
    for f in figures:
        baseline = "" if f.baseline is None else f"{f.baseline:,.1f} {f.unit} ({f.baseline_name})"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        lines.append(f"| {f.scenario} | {f.engine} | {f.value:,.1f} {f.unit} ({f.low:,.1f}–{f.high:,.1f}) | "
                     f"{baseline} | {ratio} | {f.target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure the scenarios of BENCHMARKS.md.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    figures = run(args.scale, engines, args.runs)
    print(scenarios.to_json(figures) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
