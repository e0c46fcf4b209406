"""Audit: verify the tamper-evident chain, read its signed head, export a bundle."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.dependencies import AuditorDep, ServicesDep
from api.routers.common import CursorQuery
from api.schemas import DenialPage, Head, Verification
from application import cursors
from infrastructure.audit import export as audit_export

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/head", response_model=Head)
def head(services: ServicesDep, _: AuditorDep) -> JSONResponse:
    """The last link of the chain, signed with the service's key. Save it: it proves the history up to it.
    ``chain`` says what the checks made without anyone asking found: whether it is intact, up to where,
    and since when a break is known."""
    services.audit.catch_up()
    return JSONResponse({**services.audit.head(), "chain": services.audit_watch.state().shown()})


@router.get("/verify", response_model=Verification)
def verify(
    services: ServicesDep,
    _: AuditorDep,
    position: Annotated[int | None, Query(ge=0, description="the position of a head you saved")] = None,
    link: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$", description="the link of that head")] = None,
) -> JSONResponse:
    """Recompute the chain from the stored events; with a saved head, check the history up to it."""
    result = services.audit_watch.verify(up_to=position)
    body = {
        "intact": result.intact,
        "checked": result.checked,
        "position": result.position,
        "link": result.link,
        "first_broken_position": result.first_broken,
        "problem": result.problem,
    }
    if position is not None and link is not None and result.intact:
        matches = result.position == position and result.link == link
        body["saved_head_matches"] = matches
        if not matches:
            body["intact"] = False
            body["problem"] = "the history up to the saved head has changed"
    return JSONResponse(body)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "the bundle"}},
)
def export(services: ServicesDep, _: AuditorDep) -> Response:
    """A zip of every event with its chain link, the signed head, and a standard-library verifier."""
    return Response(
        audit_export.zipped(services.audit),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="audit-bundle.zip"'},
    )


@router.get("/denials", response_model=DenialPage)
def denials(
    services: ServicesDep, _: AuditorDep, cursor: CursorQuery = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> JSONResponse:
    """Every refused request (no key, unknown key, or not allowed), newest first."""
    after = cursors.decode(cursor, "denials", cursors.VERSION)
    items, last = services.denials.recent(after[0] if after else None, limit)
    return JSONResponse({"items": items, "next_cursor": None if last is None else cursors.encode("denials", last)})
