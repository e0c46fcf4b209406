"""Responses carrying a resource: JSON body, ``ETag`` (its version), ``Location``."""

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from api.bootstrap import Services
from api.problems import IdempotencyKeyReused
from application.errors import AlreadyExists, NotFound
from application.listing.queries import Results
from application.ports import Catalogue, Integrity
from domain.access import Principal
from domain.evidence_files import EvidenceFile
from domain.identifiers import derived_id


def _headers(body: dict[str, Any], location: str | None) -> dict[str, str]:
    headers = {"ETag": f'"{body["version"]}"'}
    if location is not None:
        headers["Location"] = location
    return headers


def resource(view: Any, status_code: int = 200, location: str | None = None) -> JSONResponse:
    body = dataclasses.asdict(view)
    return JSONResponse(body, status_code=status_code, headers=_headers(body, location))


def latest(catalogue: Catalogue, integrity: Integrity, kind: str, record_id: UUID, read: Callable[[], Any]) -> Response:
    """A record as it is now: the read model's document when it holds the record's latest version (one
    indexed read, decision 0038), else ``read()`` from the event log (as after a follower failed, or
    when a break of the audit chain touches the record: then it is shown as its history shows it, and
    says so)."""
    found = None if integrity.of(str(record_id)) is not None else catalogue.latest_document(kind, record_id)
    if found is None:
        return resource(read())
    document, version = found
    return Response(document, media_type="application/json", headers={"ETag": f'"{version}"'})


def plain_json(views: Any, status_code: int = 200, location: str | None = None) -> JSONResponse:
    """A view (or a list of views) that has no version of its own: no ``ETag``."""
    body = [dataclasses.asdict(v) for v in views] if isinstance(views, list) else dataclasses.asdict(views)
    return JSONResponse(body, status_code=status_code, headers={"Location": location} if location else None)


def page(result: Results) -> JSONResponse:
    return JSONResponse(
        {
            "items": result.items,
            "next_cursor": result.next_cursor,
            "total": result.total,
            "total_exact": result.total_exact,
        }
    )


def created(
    request: Request,
    services: Services,
    principal: Principal,
    body: BaseModel,
    key: str | None,
    make: Callable[[UUID | None], Any],
    first_version: Callable[[UUID], Any],
) -> JSONResponse:
    """Create a resource; with an ``Idempotency-Key``, one request per key is carried out and its
    retries (also those racing it) get the first response.

    The key is reserved before anything is done (``IdempotencyStore.reserve``): a twin with the same
    body waits for the first response and replays it, one with another body is refused. The new
    resource's id is also derived from the caller and the key, so a retry after a crash that lost
    the response finds what the first attempt created instead of creating it again.
    """
    base = str(request.url.path).rstrip("/")
    if key is None:
        view = make(None)
        return resource(view, 201, f"{base}/{view.id}")
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    fingerprint = hashlib.sha256(f"{request.method} {base}\n{canonical}".encode()).hexdigest()
    held = services.idempotency.reserve(principal.id, key, fingerprint)
    if held is not None:
        if held.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request; use a new key", "Idempotency-Key"
            )
        first = json.loads(held.body)
        headers = _headers(first, f"{base}/{first['id']}")
        headers["Idempotent-Replayed"] = "true"
        return JSONResponse(first, status_code=held.status_code, headers=headers)
    chosen = derived_id("request", f"{principal.id}:{base}:{key}")
    try:
        try:
            view = make(chosen)
        except AlreadyExists as conflict:
            # The first attempt saved its events but died before its response was kept.
            try:
                view = first_version(chosen)
            except NotFound:
                raise conflict from None  # the conflict is about something else (an acronym)
    except BaseException:
        services.idempotency.release(principal.id, key)
        raise
    response = resource(view, 201, f"{base}/{view.id}")
    services.idempotency.remember(principal.id, key, 201, bytes(response.body).decode())
    return response


def download(described: EvidenceFile, data: bytes) -> Response:
    """The bytes as kept, under the type read from them: an image shown, any other file downloaded; never
    sniffed as anything else, never run (a sandbox with no script)."""
    disposition = "inline" if described.shown_in_the_page else "attachment"
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in described.name)
    media_type = described.media_type + ("; charset=utf-8" if described.media_type.startswith("text/") else "")
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(described.name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
            "ETag": f'"{described.sha256}"',
        },
    )
