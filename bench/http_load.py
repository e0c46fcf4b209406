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

from bench.measure import Figure
from bench.seeding import seed_meeting
from bench.seeding import services as bench_services
from domain.access import Role

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def receiver() -> Iterator[str]:
    """A webhook receiver in its own process (``bench.receiver``); yields its URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.receiver", str(port)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}/hooks"
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def server(url: str, workers: int = 2) -> Iterator[tuple[str, int]]:
    port = free_port()
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
        yield base, process.pid
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


def _prepared(url: str) -> tuple[str, str, str]:
    """A coordinator's key, a party and a meeting."""
    services = bench_services(url)
    _, key = services.keys.create(Role.COORDINATOR, "bench")
    party_id, meeting_id = seed_meeting(services)
    services.close()
    return key, party_id, meeting_id


def _against_trivial_get(base: str, key: str, request: Callable[[httpx.Client, int], httpx.Response], total: int,
                         clients: int) -> tuple[float, float, float, float]:
    """The scenario's requests/s and p99, and the same for a trivial GET on the same server."""
    load(base, key, lambda c, n: c.get("/health"), clients * 2, clients)  # warm up
    trivial, trivial_p99 = load(base, key, lambda c, n: c.get("/health"), total, clients)
    value, p99 = load(base, key, request, total, clients)
    return value, p99, trivial, trivial_p99


def read_one(engine: str, url: str, total: int, clients: int = 32) -> list[Figure]:
    key, party_id, meeting_id = _prepared(url)
    with server(url) as (base, _):
        created = httpx.post(f"{base}/commitments", headers={"Authorization": f"Bearer {key}"}, json={
            "text": {"texts": {"en": "Read me"}}, "lead_party_id": party_id, "meeting_id": meeting_id,
            "due": {"precision": "year", "value": "2030"}})
        created.raise_for_status()
        path = f"/commitments/{created.json()['id']}"
        reads, p99, trivial, trivial_p99 = _against_trivial_get(base, key, lambda c, n: c.get(path), total, clients)
    return [Figure(f"read one commitment via the API ({clients} clients, 2 workers)", engine, "requests/s", reads,
                   reads, reads, "a trivial GET on the same server", trivial, "≥ 0.5 × baseline",
                   {"p99_ms": p99, "baseline_p99_ms": trivial_p99})]


def record_many(engine: str, url: str, total: int, clients: int = 32) -> list[Figure]:
    key, party_id, meeting_id = _prepared(url)
    body = {"text": {"texts": {"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the joint matrix"},
                     "authentic": "ar"},
            "lead_party_id": party_id, "meeting_id": meeting_id, "due": {"precision": "year", "value": "2030"},
            "status": "agreed"}
    with server(url) as (base, _):
        recorded, p99, trivial, trivial_p99 = _against_trivial_get(
            base, key, lambda c, n: c.post("/commitments", json=body), total, clients)
    return [Figure(f"record commitments via the API ({clients} clients, 2 workers, one per request)", engine,
                   "requests/s",
                   recorded, recorded, recorded, "a trivial GET on the same server", trivial,
                   "≥ 1,000/s on SQLite; p99 reported", {"p99_ms": p99, "baseline_p99_ms": trivial_p99})]


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory the process has had (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc: peak memory is measured on Linux only")


def memory_under_load(url: str, key: str, requests: int = 3_200, clients: int = 32) -> float:
    """Peak RSS (MB) of a one-worker API process after lists, reads, searches and counts."""
    with server(url, workers=1) as (base, pid):
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
            page = client.get("/commitments", params={"limit": 100})
            page.raise_for_status()
            ids = [item["id"] for item in page.json()["items"]]
        # The commitments are copies of one (same words): a search for theirs would match every one
        # of them, which the search scenario measures; here searches find the party and the meeting.
        paths = ["/commitments?limit=100", "/commitments?status=agreed&sort=due&limit=50",
                 "/search?q=SESRIC", "/search?q=general%20meeting", *(f"/commitments/{i}" for i in ids[:20])]
        load(base, key, lambda c, n: c.get(paths[n % len(paths)]), requests, clients)
        return peak_rss_mb(pid)
