"""HTTP scenarios: a real server (uvicorn, 2 workers) under wrk, a native load generator (32
keep-alive connections on 2 threads), beside a bare FastAPI app on the same stack (``bare_app``)
measured the same way in the same run. The memory scenario drives its server with Python clients."""

import json
import os
import shutil
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
LUA = Path(__file__).with_name("load.lua")
GENERATOR = "wrk, 32 connections, 2 threads"


def wrk(
    url: str,
    headers: dict[str, str],
    seconds: int,
    connections: int = 32,
    body: str | None = None,
    threads: int = 2,
    timeout: int = 2,
) -> dict[str, float]:
    """wrk's report (requests, seconds, errors, p50/p95/p99 in ms) for ``url`` (a POST of ``body`` if given);
    an answer slower than ``timeout`` seconds is an error. A window in which no request completed (a loaded
    machine, a worker's first answers) is measured again, three times longer: a figure is never made of no
    answer. wrk counts neither the requests still waiting when its window ends nor, in a window shorter than
    its timeout check, those that waited too long."""
    report = _wrk_once(url, headers, seconds, connections, body, threads, timeout)
    if not report["requests"]:
        report = _wrk_once(url, headers, seconds * 3, connections, body, threads, max(timeout, 30))
    if not report["requests"]:
        raise RuntimeError(f"no request to {url} completed in {seconds * 3} s: nothing to measure")
    return report


def _wrk_once(
    url: str, headers: dict[str, str], seconds: int, connections: int, body: str | None, threads: int, timeout: int
) -> dict[str, float]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: the README's test command installs it (apt-get install wrk)")
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s"]
    command += ["-s", str(LUA), url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    environment = {**os.environ, **({"WRK_BODY": body} if body is not None else {})}
    answer = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    report: dict[str, float] = json.loads(answer.stdout.strip().splitlines()[-1])
    if report["errors"]:
        raise RuntimeError(f"{report['errors']} errors on {url}: {answer.stdout}")
    report["rate"] = report["requests"] / report["seconds"]
    return report


@contextmanager
def bare_server(workers: int = 2) -> Iterator[str]:
    """The baseline: ``bench.bare_app`` on uvicorn with httptools and uvloop."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--http",
            "httptools",
            "--loop",
            "uvloop",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(f"{base}/")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in 60 s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def receiver() -> Iterator[str]:
    """A webhook receiver in its own process (``bench.receiver``); yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.receiver", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
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
        [
            sys.executable,
            "-m",
            "api.cli",
            "serve",
            "--port",
            str(port),
            "--database-url",
            url,
            "--workers",
            str(workers),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "COMMITMENTS_SCAN_INTERVAL": "0",
            "COMMITMENTS_DISPATCH_INTERVAL": "0",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(f"{base}/health")
    try:
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(
    base: str, key: str, request: Callable[[httpx.Client, int], httpx.Response], total: int, clients: int
) -> tuple[float, float]:
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


def _bare_rate(seconds: int) -> dict[str, float]:
    with bare_server() as base:
        wrk(base + "/", {}, 1)  # warm up both workers
        return wrk(base + "/", {}, seconds)


def _figure(name: str, engine: str, report: dict[str, float], bare: dict[str, float], target: str) -> Figure:
    return Figure(
        f"{name} ({GENERATOR}, 2 workers)",
        engine,
        "requests/s",
        report["rate"],
        report["rate"],
        report["rate"],
        "a bare FastAPI app on the same stack",
        bare["rate"],
        target,
        {"p99_ms": report["p99_ms"], "baseline_p99_ms": bare["p99_ms"]},
    )


def read_one(engine: str, url: str, total: int, seconds: int = 2) -> list[Figure]:
    """The trivial authenticated GET (``/me``) and reading one commitment, each beside the bare app."""
    key, party_id, meeting_id = _prepared(url)
    bare = _bare_rate(seconds)
    headers = {"Authorization": f"Bearer {key}"}
    with server(url) as (base, _):
        created = httpx.post(
            f"{base}/commitments",
            headers=headers,
            json={
                "text": {"texts": {"en": "Read me"}},
                "lead_party_id": party_id,
                "meeting_id": meeting_id,
                "due": {"precision": "year", "value": "2030"},
            },
        )
        created.raise_for_status()
        wrk(base + "/me", headers, 1)  # warm up both workers
        trivial = wrk(base + "/me", headers, seconds)
        one = wrk(f"{base}/commitments/{created.json()['id']}", headers, seconds)
    return [
        _figure("trivial authenticated GET", engine, trivial, bare, "≥ 0.35 × baseline"),
        _figure("read one commitment via the API", engine, one, bare, "≥ 0.15 × baseline"),
    ]


def record_many(engine: str, url: str, total: int, seconds: int = 2) -> list[Figure]:
    key, party_id, meeting_id = _prepared(url)
    body = json.dumps(
        {
            "text": {
                "texts": {"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the joint matrix"},
                "authentic": "ar",
            },
            "lead_party_id": party_id,
            "meeting_id": meeting_id,
            "due": {"precision": "year", "value": "2030"},
            "status": "agreed",
        },
        ensure_ascii=False,
    )
    bare = _bare_rate(seconds)
    headers = {"Authorization": f"Bearer {key}"}
    with server(url) as (base, _):
        wrk(base + "/commitments", headers, 1, body=body)  # warm up both workers: their first answers are slow
        recorded = wrk(base + "/commitments", headers, seconds, body=body)
    return [
        _figure(
            "record commitments via the API (one per request)",
            engine,
            recorded,
            bare,
            "≥ 0.06 × baseline (SQLite), p99 ≤ 100 ms",
        )
    ]


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
        paths = [
            "/commitments?limit=100",
            "/commitments?status=agreed&sort=due&limit=50",
            "/search?q=SESRIC",
            "/search?q=general%20meeting",
            *(f"/commitments/{i}" for i in ids[:20]),
        ]
        load(base, key, lambda c, n: c.get(paths[n % len(paths)]), requests, clients)
        return peak_rss_mb(pid)
