"""Audit (auditor and admin keys): the signed head to download, the chain verified on request, the
export bundle, and the log of refused requests."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.dependencies import ServicesDep, auditor
from api.web.page import page
from api.web.visitors import SignedInDep
from infrastructure.audit import export as audit_export

router = APIRouter(prefix="/audit")


@router.get("", response_class=HTMLResponse, name="audit")
def audit(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    auditor(visitor.principal)
    services.audit.catch_up()
    verification = services.audit_watch.verify() if request.query_params.get("verify") == "1" else None
    denials, _ = services.denials.recent(None, 100)
    return page(
        request,
        visitor,
        "audit.html",
        head=services.audit.head(),
        chain=services.audit_watch.state().shown(),
        verification=verification,
        denials=denials,
    )


@router.get("/head.json", name="audit_head")
def head(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The signed head, as ``GET /audit/head`` answers it, to keep beside the bundle."""
    auditor(visitor.principal)
    services.audit.catch_up()
    body = json.dumps(
        {**services.audit.head(), "chain": services.audit_watch.state().shown()}, ensure_ascii=False, indent=2
    )
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": 'attachment; filename="audit-head.json"'}
    )


@router.get("/bundle.zip", name="audit_bundle")
def bundle(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    auditor(visitor.principal)
    return Response(
        audit_export.zipped(services.audit),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="audit-bundle.zip"'},
    )
