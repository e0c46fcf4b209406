"""What a hostile spreadsheet costs the service: each file of ``hostile_files`` uploaded to a real
server (one worker) as a dry run, beside an honest 20-row matrix uploaded the same way in the same
run. For each: the processor time the server and the processes it started spent on it, how far its
resident memory rose during the upload and where it stood after, and how long ``/health`` took
meanwhile (asked every 20 ms by another client). Then every file at once."""

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench import hostile_files
from bench import hostile_reports as hostile_reports_module
from bench.http_load import server
from bench.measure import Figure
from bench.seeding import database, seed_meeting
from bench.seeding import services as bench_services
from domain.access import Role

TICKS = 100  # per second, as /proc counts processor time
PAGE = 4096


def _tree(pid: int) -> list[int]:
    """The process and every process it started, still running."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(children.get(current, []))
    return found


def _cpu_seconds(pid: int) -> float:
    """Processor time of the tree, the finished children it waited for included."""
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


def _rss_mb(pid: int) -> float:
    total = 0
    for member in _tree(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1])
        except OSError:
            continue
    return total * PAGE / 2**20


@contextmanager
def _watching(base: str, pid: int) -> Iterator[dict[str, Any]]:
    """While the block runs: the tree's highest memory and each ``/health`` latency."""
    seen: dict[str, Any] = {"peak_mb": _rss_mb(pid), "health_ms": []}
    done = threading.Event()

    def watch_memory() -> None:
        while not done.is_set():
            seen["peak_mb"] = max(seen["peak_mb"], _rss_mb(pid))
            done.wait(0.01)

    def ask_health() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get("/health").raise_for_status()
                seen["health_ms"].append((time.perf_counter() - started) * 1000)
                done.wait(0.02)

    threads = [threading.Thread(target=watch_memory), threading.Thread(target=ask_health)]
    for thread in threads:
        thread.start()
    try:
        yield seen
    finally:
        done.set()
        for thread in threads:
            thread.join()


def _upload(client: httpx.Client, matrix: str, name: str, data: bytes) -> int:
    file_name = "matrix.csv" if name.endswith("(CSV)") else "matrix.xlsx"
    return client.post(f"/agreements/{matrix}/imports", files={"file": (file_name, data)}).status_code


def _measure(base: str, pid: int, key: str, matrix: str, files: dict[str, bytes]) -> dict[str, Any]:
    """Every file of ``files`` uploaded at once (one client each)."""
    before_mb, before_cpu = _rss_mb(pid), _cpu_seconds(pid)
    statuses: dict[str, int] = {}

    def send(name: str) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=300) as client:
            statuses[name] = _upload(client, matrix, name, files[name])

    with _watching(base, pid) as seen:
        senders = [threading.Thread(target=send, args=(name,)) for name in files]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
    health = seen["health_ms"] or [0.0]
    return {
        "cpu_s": _cpu_seconds(pid) - before_cpu,
        "rss_growth_mb": seen["peak_mb"] - before_mb,
        "rss_after_mb": _rss_mb(pid) - before_mb,
        "health_max_ms": max(health),
        "health_median_ms": statistics.median(health),
        "statuses": statuses,
    }


def hostile_uploads(engine: str, runs: int) -> list[Figure]:
    made: dict[str, Callable[[], bytes]] = {
        "honest 20-row matrix": lambda: hostile_files.matrix(20),
        **hostile_files.HOSTILE,
    }
    files = {name: make() for name, make in made.items()}
    measured: dict[str, list[dict[str, Any]]] = {}
    with database(engine) as url:
        services = bench_services(url)
        _, key = services.keys.create(Role.COORDINATOR, "bench")
        party_id, meeting_id = seed_meeting(services)
        services.close()
        with server(url, workers=1) as (base, pid):
            matrix = (
                httpx.post(
                    f"{base}/agreements",
                    headers={"Authorization": f"Bearer {key}"},
                    json={
                        "meeting_id": meeting_id,
                        "kind": "action_matrix",
                        "adopted_by": [party_id],
                        "title": {"texts": {"en": "Joint activities"}},
                    },
                )
                .raise_for_status()
                .json()["id"]
            )
            for _ in range(runs):
                for name in files:
                    measured.setdefault(name, []).append(_measure(base, pid, key, matrix, {name: files[name]}))
                everything = {name: data for name, data in files.items() if name != "honest 20-row matrix"}
                measured.setdefault("every hostile file at once", []).append(
                    _measure(base, pid, key, matrix, everything)
                )
    honest = statistics.median(m["cpu_s"] for m in measured["honest 20-row matrix"])
    figures = []
    for name, values in measured.items():
        cpu = sorted(m["cpu_s"] for m in values)
        middle = next(m for m in values if m["cpu_s"] == cpu[len(cpu) // 2])
        notes = {
            key: round(middle[key], 1) for key in ("rss_growth_mb", "rss_after_mb", "health_max_ms", "health_median_ms")
        }
        notes.update({f"status {file}": status for file, status in middle["statuses"].items()})
        figures.append(
            Figure(
                f"upload {name} ({len(files[name]) // 1024 if name in files else '-'} kB), dry run",
                engine,
                "CPU s",
                cpu[len(cpu) // 2],
                cpu[0],
                cpu[-1],
                "the honest 20-row matrix",
                honest,
                "4xx, ≤ 5 CPU s, RSS +≤ 150 MB and back within 50 MB, /health ≤ 100 ms",
                notes,
            )
        )
    return figures


def _cpu_of(base: str, pid: int, key: str, text: str) -> float:
    before = _cpu_seconds(pid)
    answer = httpx.post(
        f"{base}/drafts",
        headers={"Authorization": f"Bearer {key}"},
        timeout=300,
        json={"text": text, "published_on": "2024-06-01"},
    )
    answer.raise_for_status()
    return _cpu_seconds(pid) - before


def _median_latency_ms(base: str, key: str, requests: int) -> float:
    """The median time of a short list of commitments, asked ``requests`` times one after another."""
    times = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        for _ in range(requests):
            started = time.perf_counter()
            client.get("/commitments", params={"limit": 20}).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def hostile_reports(engine: str, runs: int) -> list[Figure]:
    """Reading each text of ``hostile_reports`` through ``POST /drafts`` on a real server (one worker):
    the processor time it cost the server against the 6 kB sample's in the same run; then other
    requests' median latency alone and while four of the costliest texts are read at once."""
    texts = {name: make() for name, make in hostile_reports_module.HOSTILE.items()}
    figures = []
    with database(engine) as url:
        services = bench_services(url)
        _, key = services.keys.create(Role.COORDINATOR, "bench")
        seed_meeting(services)
        services.close()
        with server(url, workers=1) as (base, pid):
            _cpu_of(base, pid, key, hostile_reports_module.SAMPLE)  # the worker process starts
            before = _cpu_seconds(pid)  # /proc counts in hundredths of a second: the sample's cost over 20 reads
            for _ in range(20):
                _cpu_of(base, pid, key, hostile_reports_module.SAMPLE)
            baseline = (_cpu_seconds(pid) - before) / 20 * 1000
            costs = {
                name: sorted(_cpu_of(base, pid, key, text) * 1000 for _ in range(runs)) for name, text in texts.items()
            }
            for name, cost in costs.items():
                figures.append(
                    Figure(
                        f"read a report: {name} ({len(texts[name]):,} characters)",
                        engine,
                        "CPU ms",
                        cost[len(cost) // 2],
                        cost[0],
                        cost[-1],
                        "the 6 kB sample report",
                        baseline,
                        "≤ 40 × baseline",
                    )
                )
            costliest = max(costs, key=lambda name: costs[name][len(costs[name]) // 2])
            alone = _median_latency_ms(base, key, 200)
            done = threading.Event()

            def read_again() -> None:
                while not done.is_set():
                    _cpu_of(base, pid, key, texts[costliest])

            readers = [threading.Thread(target=read_again) for _ in range(4)]
            for reader in readers:
                reader.start()
            try:
                loaded = _median_latency_ms(base, key, 200)
            finally:
                done.set()
                for reader in readers:
                    reader.join()
            figures.append(
                Figure(
                    f"list 20 commitments while four reports ({costliest}) are read",
                    engine,
                    "ms median",
                    loaded,
                    loaded,
                    loaded,
                    "the same list alone",
                    alone,
                    "≤ 2 × baseline",
                )
            )
    return figures
