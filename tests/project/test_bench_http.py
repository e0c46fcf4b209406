"""The HTTP figures are made of answers: a server whose first answers come after wrk's window (a loaded
machine, a worker answering its first requests) is measured again, longer, rather than reported as
0 requests per second."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.http_load import wrk


class _SlowAtFirst(BaseHTTPRequestHandler):
    """Holds every answer until ``answering_from`` (a moment on the monotonic clock), then answers at once."""

    answering_from = 0.0
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        threading.Event().wait(max(0.0, self.answering_from - time.monotonic()))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


@pytest.fixture
def slow_at_first() -> Iterator[str]:
    handler = type("Handler", (_SlowAtFirst,), {"answering_from": time.monotonic() + 1.5})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_window_without_any_answer_is_measured_again_longer_rather_than_reported_as_zero(slow_at_first: str) -> None:
    report = wrk(slow_at_first, {}, 1, connections=2)
    assert report["requests"] > 0
    assert report["rate"] > 0 and report["p99_ms"] > 0
