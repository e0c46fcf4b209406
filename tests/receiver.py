"""A real webhook receiver on loopback: records every request and answers as told."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0  # seconds before answering


class Receiver:
    """Answers with ``answers`` in turn (the last one repeats); ``before_answer`` runs on each request."""

    def __init__(self, *answers: Answer, before_answer: Callable[[Received], Any] | None = None) -> None:
        self.answers = list(answers) or [Answer()]
        self.received: list[Received] = []
        self.before_answer = before_answer
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                request = Received({k.lower(): v for k, v in self.headers.items()}, body)
                with receiver._lock:
                    receiver.received.append(request)
                    answer = receiver.answers[min(len(receiver.received), len(receiver.answers)) - 1]
                if receiver.before_answer:
                    receiver.before_answer(request)
                if answer.delay:
                    threading.Event().wait(answer.delay)  # a slow endpoint, on purpose
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        # the server looks for a shutdown between polls: a short poll closes it at once, not half a second later
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "Receiver":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
