"""What every request must be before any route sees it: no NUL in its path or query, a body of at
most so many bytes as actually received (not as announced), and a body of a type the API reads
(JSON; under the web pages' prefix, the HTML forms' ``application/x-www-form-urlencoded``; and a
spreadsheet or an evidence file as ``multipart/form-data`` to an import, ``…/imports`` or ``…/update-sheet``,
to ``/files``, or a page, with a larger limit).

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
UPLOAD_TYPE = "multipart/form-data"
MAX_UPLOAD_BYTES = 16 * 1024 * 1024  # a spreadsheet of 20,000 rows


async def _answer(scope: Scope, receive: Receive, send: Send, status: int, slug: str, title: str, detail: str) -> None:
    await problem(status, slug, title, detail, scope.get("path", ""))(scope, receive, send)


def _media_type(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return None


def _declared_length(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"content-length":
            return value.decode("latin-1").strip()
    return None


def reads_json(media_type: str | None) -> bool:
    return media_type is not None and (media_type in JSON_TYPES or media_type.endswith("+json"))


UPLOADS_AT = ("/imports", "/update-sheet", "/files")  # the API's routes that take a spreadsheet or a file
UPLOADS_AT_ONCE = 4  # per process: 4 × (the largest file, in the body and then in the form) held in memory


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        forms_under: str,
        max_upload_bytes: int,
        uploads_at_once: int = UPLOADS_AT_ONCE,
    ) -> None:
        """``uploads_at_once``: the uploads (bodies larger than ``max_body_bytes`` may be) a process reads at
        once; one more is answered 503 at once, so that many large files sent together cannot fill memory."""
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.forms_under = forms_under.rstrip("/") + "/"
        self.uploads_at_once = uploads_at_once
        self.uploading = 0

    def _takes_upload(self, path: str, media_type: str | None) -> bool:
        uploads = path.endswith(UPLOADS_AT)
        return media_type == UPLOAD_TYPE and (uploads or path.startswith(self.forms_under))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if "\x00" in path or b"%00" in scope.get("raw_path", b"").lower() or b"%00" in scope.get("query_string", b""):
            await _answer(
                scope,
                receive,
                send,
                400,
                "invalid-character",
                "The request holds a NUL character",
                "a path or query parameter cannot hold a NUL character (%00)",
            )
            return
        media_type = _media_type(scope)
        upload = self._takes_upload(path, media_type)
        if upload and self.uploading >= self.uploads_at_once:
            await _answer(
                scope,
                receive,
                send,
                503,
                "busy",
                "The service is busy",
                f"it reads {self.uploads_at_once} uploads at once: send the file again in a few seconds",
            )
            return
        if upload:
            self.uploading += 1  # one event loop per process: no other request runs between the test and this
        try:
            await self._guarded(scope, receive, send, path, media_type, upload)
        finally:
            if upload:
                self.uploading -= 1

    async def _guarded(
        self, scope: Scope, receive: Receive, send: Send, path: str, media_type: str | None, upload: bool
    ) -> None:
        limit = self.max_upload_bytes if upload else self.max_body_bytes
        declared = _declared_length(scope)
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _answer(
                scope,
                receive,
                send,
                413,
                "payload-too-large",
                "The request body is too large",
                f"send at most {limit} bytes",
            )
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
            if received > limit:  # stop reading: what was sent beyond is never read
                await _answer(
                    scope,
                    receive,
                    send,
                    413,
                    "payload-too-large",
                    "The request body is too large",
                    f"send at most {limit} bytes",
                )
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if (
            body
            and not reads_json(media_type)
            and not upload
            and not (media_type == FORM_TYPE and path.startswith(self.forms_under))
        ):
            await _answer(
                scope,
                receive,
                send,
                415,
                "unsupported-media-type",
                "The body is not JSON",
                "send the body as JSON, with 'Content-Type: application/json'",
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class RetryAfter:
    """Every 429 and 503 says when to try again: one that names no wait of its own gets a second."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (429, 503):
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"retry-after" for name, _ in headers):
                    message["headers"] = [*headers, (b"retry-after", b"1")]
            await send(message)

        await self.app(scope, receive, sending)
