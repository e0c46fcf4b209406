"""``commitments witness serve``: a small service another organisation runs to hold a deployment's audit heads
(``infrastructure.witness.store``). ``POST /heads`` takes a signed head (at most 256 kB) and answers with a
receipt signed by the witness's own key, or a problem document: 403 for a deployment not registered with it,
409 for a head that contradicts one it holds, 422 for what is not a signed head."""

import json
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.problems import PROBLEM_JSON
from domain.witnessing import HeadRefused

MOST_BYTES = 256 * 1024
TITLES = {
    403: "Not a deployment of this witness",
    409: "The head contradicts one this witness holds",
    413: "Too large",
    422: "Not a signed head",
}


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": TITLES.get(status, "Refused"), "status": status, "detail": detail},
        status_code=status,
        media_type=PROBLEM_JSON,
    )


class Witness(Protocol):
    """What the witness keeps (``infrastructure.witness.store``, built by ``api.bootstrap.build_witness``)."""

    def public_key(self) -> str: ...

    def register(self, written_key: bytes, name: str) -> dict[str, str]: ...

    def receive(self, head: dict[str, Any]) -> dict[str, Any]: ...


def create_witness_app(store: Witness) -> FastAPI:
    app = FastAPI(title="Commitment tracker: witness of audit heads", docs_url=None, redoc_url=None)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/public-key")
    def public_key() -> dict[str, str]:
        """The key that signs this witness's receipts: give it to the deployments that send it their heads."""
        return {"algorithm": "Ed25519", "public_key": store.public_key()}

    @app.post("/heads")
    async def receive(request: Request) -> JSONResponse:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MOST_BYTES:
                return _problem(413, f"a head is at most {MOST_BYTES} bytes")
        try:
            head: Any = json.loads(body)
        except ValueError:
            return _problem(422, "the body is not JSON")
        if not isinstance(head, dict):
            return _problem(422, "a head is a JSON object")
        try:
            return JSONResponse(await run_in_threadpool(store.receive, head))
        except HeadRefused as refused:
            return _problem(refused.status, refused.problem)

    return app
