"""Run ``commitments serve`` as a real process on loopback, for end-to-end tests."""

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.records import OIC, UN, meeting

COMMAND = [sys.executable, "-m", "api.cli"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], object], deadline_seconds: float = 20.0, what: str = "condition") -> object:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise TimeoutError(f"waited {deadline_seconds}s for {what}")


def stop(process: subprocess.Popen[str]) -> None:
    """Ask a process the tests started to stop; kill it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    def __init__(
        self,
        database_url: str,
        cwd: Path,
        workers: int = 1,
        env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        """``port``: one chosen beforehand (a free one if None), when another server must know the address first."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [
                *COMMAND,
                "serve",
                "--port",
                str(self.port),
                "--database-url",
                database_url,
                "--log-level",
                "warning",
                "--workers",
                str(workers),
            ],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(self._answers, what=f"the server on port {self.port}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited: {self.printed()}")
        try:
            return httpx.get(f"{self.url}/parties", timeout=1).status_code == 401
        except httpx.TransportError:
            return False

    def printed(self) -> str:
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return "".join(self.output)

    def stop(self) -> None:
        stop(self.process)


def recorded_through(api: httpx.Client, path: str, body: dict[str, Any]) -> str:
    """The id of a record made through a served API (``POST path``), which must answer 201."""
    answer = api.post(path, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def un_and_oic_met(api: httpx.Client) -> tuple[str, str, str]:
    """The UN and the OIC, and the 15th general meeting they held, made through a served API: their ids."""
    un, oic = recorded_through(api, "/parties", UN), recorded_through(api, "/parties", OIC)
    return un, oic, recorded_through(api, "/meetings", meeting([un, oic]))
