"""What every request must be before any route sees it: no NUL in its path or query, a body of at
most so many bytes as actually received (not as announced), and a body of a type the API reads
(JSON; and, under the web pages' prefix, the HTML forms' ``application/x-www-form-urlencoded``).

An ASGI middleware rather than a route dependency: the body is counted as it arrives and reading
stops at the limit, so a chunked upload of 100 MB costs the limit in memory, not 100 MB.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.problems import problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

JSON_TYPES = ("application/json",)
FORM_TYPE = "application/x-www-form-urlencoded"


async def _answer(scope: Scope, receive: Receive, send: Send, status: int, slug: str, title: str, detail: str) -> None:
    await problem(status, slug, title, detail, scope.get("path", ""))(scope, receive, send)


def _media_type(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return None


def _declared_length(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return value.decode("latin-1").strip()
    return None


def reads_json(media_type: str | None) -> bool:
    return media_type is not None and (media_type in JSON_TYPES or media_type.endswith("+json"))


class RequestGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int, forms_under: str) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.forms_under = forms_under.rstrip("/") + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if "\x00" in path or b"%00" in scope.get("raw_path", b"").lower() or b"%00" in scope.get("query_string", b""):
            await _answer(scope, receive, send, 400, "invalid-character", "The request holds a NUL character",
                          "a path or query parameter cannot hold a NUL character (%00)")
            return
        declared = _declared_length(scope)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _answer(scope, receive, send, 413, "payload-too-large", "The request body is too large",
                          f"send at most {self.max_body_bytes} bytes")
            return
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body_bytes:  # stop reading: what was sent beyond is never read
                await _answer(scope, receive, send, 413, "payload-too-large", "The request body is too large",
                              f"send at most {self.max_body_bytes} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        media_type = _media_type(scope)
        if body and not reads_json(media_type) and not (media_type == FORM_TYPE and path.startswith(self.forms_under)):
            await _answer(scope, receive, send, 415, "unsupported-media-type", "The body is not JSON",
                          "send the body as JSON, with 'Content-Type: application/json'")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
