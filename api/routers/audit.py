"""Audit: verify the tamper-evident chain, read its signed head, export a bundle."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.dependencies import AuditorDep, ServicesDep
from api.routers.common import CursorQuery
from api.schemas import DenialPage, Head, Verification
from application.listing import cursors

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/head", response_model=Head)
def head(services: ServicesDep, principal: AuditorDep) -> JSONResponse:
    """The last link of the chain, signed with the service's key. Save it: it proves the history up to it.
    ``chain`` says what the checks made without anyone asking found: whether it is intact, up to where,
    and since when a break is known."""
    return JSONResponse(services.audit_record.head(principal))


@router.get("/verify", response_model=Verification)
def verify(
    services: ServicesDep,
    principal: AuditorDep,
    position: Annotated[int | None, Query(ge=0, description="the position of a head you saved")] = None,
    link: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$", description="the link of that head")] = None,
) -> JSONResponse:
    """Recompute the chain from the stored events; with a saved head, check the history up to it."""
    return JSONResponse(services.audit_record.verify(principal, position, link))


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "the bundle"}},
)
def export(
    services: ServicesDep,
    principal: AuditorDep,
    files: Annotated[bool, Query(description="include every evidence file the events cite (`files/`)")] = False,
) -> Response:
    """A zip of every event with its chain link, the signed head, and a standard-library verifier; with
    ``files``, the evidence files the events cite, which the verifier hashes."""
    return Response(
        services.audit_record.bundle(principal, files),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="audit-bundle.zip"'},
    )


@router.get("/denials", response_model=DenialPage)
def denials(
    services: ServicesDep,
    principal: AuditorDep,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONResponse:
    """Every refused request (no key, unknown key, or not allowed), newest first."""
    after = cursors.decode(cursor, "denials", cursors.VERSION)
    items, last = services.audit_record.refused(principal, after[0] if after else None, limit)
    return JSONResponse({"items": items, "next_cursor": None if last is None else cursors.encode("denials", last)})
