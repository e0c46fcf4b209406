"""HTTP scenarios: a real server (uvicorn, 2 workers) and concurrent keep-alive clients on loopback."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from application.inputs import DueInput, TextInput
from bench.measure import Figure
from bench.scenarios import seed_meeting
from domain.access import Role
from infrastructure.bootstrap import build
from infrastructure.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def server(url: str, workers: int = 2) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--database-url", url, "--workers",
         str(workers), "--log-level", "error"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "COMMITMENTS_SCAN_INTERVAL": "0",
                       "COMMITMENTS_DISPATCH_INTERVAL": "0"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/health", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(base: str, key: str, request: Callable[[httpx.Client, int], httpx.Response], total: int,
         clients: int) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) for ``total`` requests over ``clients`` keep-alive clients."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // clients

    def work(index: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
            mine = []
            for n in range(per_client):
                started = time.perf_counter()
                response = request(client, index * per_client + n)
                mine.append(time.perf_counter() - started)
                if response.status_code >= 400:
                    raise RuntimeError(f"{response.status_code}: {response.text}")
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000


def read_one(engine: str, url: str, total: int, clients: int = 32) -> list[Figure]:
    services = build(Settings(database_url=url, scan_interval=0, dispatch_interval=0))
    _, key = services.keys.create(Role.COORDINATOR, "bench")
    party_id, meeting_id = seed_meeting(services)
    commitment = services.tracker.record_commitment("bench", TextInput({"en": "Read me"}), party_id, meeting_id,
                                                    due=DueInput("year", "2030"))
    services.close()
    with server(url) as base:
        load(base, key, lambda c, n: c.get("/health"), clients * 2, clients)  # warm up
        trivial, trivial_p99 = load(base, key, lambda c, n: c.get("/health"), total, clients)
        reads, reads_p99 = load(base, key, lambda c, n: c.get(f"/commitments/{commitment.id}"), total, clients)
    return [Figure(f"read one commitment via the API ({clients} clients, 2 workers)", engine, "requests/s", reads,
                   reads, reads, "a trivial GET on the same server", trivial, "≥ 0.5 × baseline",
                   {"p99_ms": reads_p99, "baseline_p99_ms": trivial_p99})]
