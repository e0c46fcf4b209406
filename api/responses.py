"""Responses carrying a resource: JSON body, ``ETag`` (its version), ``Location``."""

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.problems import IdempotencyKeyReused, MalformedHeader
from application.errors import AlreadyExists, NotFound
from application.queries import Results
from domain.identifiers import derived_id
from infrastructure.bootstrap import Services
from infrastructure.keys import Principal


def _headers(body: dict[str, Any], location: str | None) -> dict[str, str]:
    headers = {"ETag": f'"{body["version"]}"'}
    if location is not None:
        headers["Location"] = location
    return headers


def resource(view: Any, status_code: int = 200, location: str | None = None) -> JSONResponse:
    body = dataclasses.asdict(view)
    return JSONResponse(body, status_code=status_code, headers=_headers(body, location))


def page(result: Results) -> JSONResponse:
    return JSONResponse({"items": result.items, "next_cursor": result.next_cursor, "total": result.total})


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip().strip('"')
    if not 1 <= len(key) <= 255 or not key.isprintable() or not key.isascii():
        raise MalformedHeader("Idempotency-Key is 1 to 255 printable ASCII characters", "Idempotency-Key")
    return key


def created(
    request: Request,
    services: Services,
    principal: Principal,
    body: BaseModel,
    make: Callable[[UUID | None], Any],
    first_version: Callable[[UUID], Any],
) -> JSONResponse:
    """Create a resource; with an ``Idempotency-Key``, a retry returns the first response.

    The new resource's id is derived from the caller and the key, so even two
    retries racing each other, or a retry after a crash that lost the remembered
    response, cannot create it twice.
    """
    key = _idempotency_key(request)
    base = str(request.url.path).rstrip("/")
    if key is None:
        view = make(None)
        return resource(view, 201, f"{base}/{view.id}")
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    fingerprint = hashlib.sha256(f"{request.method} {base}\n{canonical}".encode()).hexdigest()
    remembered = services.idempotency.find(principal.id, key)
    if remembered is not None:
        if remembered.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request; use a new key", "Idempotency-Key"
            )
        first = json.loads(remembered.body)
        headers = _headers(first, f"{base}/{first['id']}")
        headers["Idempotent-Replayed"] = "true"
        return JSONResponse(first, status_code=remembered.status_code, headers=headers)
    chosen = derived_id("request", f"{principal.id}:{base}:{key}")
    try:
        view = make(chosen)
    except AlreadyExists as conflict:
        # Either a twin of this request won the race, or the first attempt saved
        # its events but not its response: both are answered with what it created.
        try:
            view = first_version(chosen)
        except NotFound:
            raise conflict from None  # the conflict is about something else (an acronym)
    response = resource(view, 201, f"{base}/{view.id}")
    services.idempotency.remember(principal.id, key, fingerprint, 201, response.body.decode())
    return response
