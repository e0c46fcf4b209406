"""A webhook receiver for the delivery benchmark: answers every POST with 204, in its own process.

Run as ``python -m bench.receiver PORT``; it prints "ready" once it listens.
"""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the dispatcher's client expects

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receive)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
