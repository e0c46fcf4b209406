"""Audit (auditor and admin keys): the signed head to download, the chain verified on request, the
export bundle, and the log of refused requests."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.dependencies import ServicesDep
from api.web.page import page
from api.web.visitors import SignedInDep

router = APIRouter(prefix="/audit")


@router.get("", response_class=HTMLResponse, name="audit")
def audit(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    record, caller = services.audit_record, visitor.principal
    head = record.head(caller)
    verification = record.verify(caller) if request.query_params.get("verify") == "1" else None
    denials, _ = record.refused(caller, None, 100)
    return page(
        request,
        visitor,
        "audit.html",
        head=head,
        chain=head["chain"],
        verification=verification,
        denials=denials,
    )


@router.get("/head.json", name="audit_head")
def head(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The signed head, as ``GET /audit/head`` answers it, to keep beside the bundle."""
    body = json.dumps(services.audit_record.head(visitor.principal), ensure_ascii=False, indent=2)
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": 'attachment; filename="audit-head.json"'}
    )


@router.get("/bundle.zip", name="audit_bundle")
def bundle(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    return Response(
        services.audit_record.bundle(visitor.principal),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="audit-bundle.zip"'},
    )
