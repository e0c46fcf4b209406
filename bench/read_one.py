"""Reading one commitment under many connections: the service (2 workers) under wrk at 4 and at 32
keep-alive connections, measured in turn on the same server. Reads should not wait for each other:
the throughput at 32 connections is to be at least 0.9 of the throughput at 4, its p99 shown beside
the p99 at 4.

python -m bench.read_one [--engine sqlite|postgresql|both] [--seconds N] [--runs N] [--seeded N]
"""

import argparse
import statistics
import sys

import httpx

from bench.http_load import server, wrk
from bench.measure import Figure
from bench.seeding import database, followed, services
from domain.access import Role

FEW, MANY = 4, 32  # connections: the baseline, and the load measured against it
TARGET = f"≥ 0.9 × the throughput at {FEW} connections"


def _seeded(url: str, count: int) -> str:
    """A reader's key, after ``count`` commitments recorded and followed (the read model holds them)."""
    seeded = services(url)
    try:
        _, key = seeded.keys.create(Role.COORDINATOR, "bench")
        followed(seeded, count)
    finally:
        seeded.close()
    return key


def _recorded(base: str, headers: dict[str, str]) -> str:
    """The id of a commitment recorded through the API (its read-model document written with it)."""
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        party = client.get("/parties", params={"limit": 1}).raise_for_status().json()["items"][0]["id"]
        meeting = client.get("/meetings", params={"limit": 1}).raise_for_status().json()["items"][0]["id"]
        created = client.post(
            "/commitments",
            json={
                "text": {"texts": {"en": "Read me"}},
                "lead_party_id": party,
                "meeting_id": meeting,
                "due": {"precision": "year", "value": "2030"},
            },
        )
        return str(created.raise_for_status().json()["id"])


def measure(engine: str, seconds: int = 3, runs: int = 3, seeded: int = 1_000) -> Figure:
    """Reads of one commitment per second at ``MANY`` connections, beside the same at ``FEW``: each
    ``runs`` times in turn on one server (2 workers), the medians reported with their range."""
    with database(engine) as url:
        key = _seeded(url, seeded)
        headers = {"Authorization": f"Bearer {key}"}
        with server(url, workers=2) as (base, _):
            target = f"{base}/commitments/{_recorded(base, headers)}"
            wrk(target, headers, 1, connections=MANY)  # both workers warmed up
            reports: dict[int, list[dict[str, float]]] = {FEW: [], MANY: []}
            for _ in range(runs):
                for connections in (FEW, MANY):
                    reports[connections].append(wrk(target, headers, seconds, connections=connections))
    many_rates = [r["rate"] for r in reports[MANY]]
    return Figure(
        f"read one commitment ({MANY} connections beside {FEW}, wrk, 2 workers)",
        engine,
        "requests/s",
        statistics.median(many_rates),
        min(many_rates),
        max(many_rates),
        f"the same at {FEW} connections",
        statistics.median(r["rate"] for r in reports[FEW]),
        TARGET,
        {
            "p99_ms": statistics.median(r["p99_ms"] for r in reports[MANY]),
            "baseline_p99_ms": statistics.median(r["p99_ms"] for r in reports[FEW]),
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.read_one", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=3, help="seconds of wrk per measurement")
    parser.add_argument("--runs", type=int, default=3, help="measurements at each number of connections")
    parser.add_argument("--seeded", type=int, default=1_000, help="commitments in the database")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine in engines:
        figure = measure(engine, args.seconds, args.runs, args.seeded)
        assert figure.baseline is not None and figure.ratio is not None
        print(
            f"{engine}: {FEW} connections {figure.baseline:,.0f}/s, p99 {figure.notes['baseline_p99_ms']:,.1f} ms; "
            f"{MANY} connections {figure.value:,.0f}/s ({figure.low:,.0f}–{figure.high:,.0f}), "
            f"p99 {figure.notes['p99_ms']:,.1f} ms; ratio {figure.ratio:.2f} ({TARGET}: "
            f"{'met' if figure.ratio >= 0.9 else 'not met'})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
