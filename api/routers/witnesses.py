"""Witnesses: the organisations that hold this deployment's signed heads (``commitments witness serve``), their
receipts, and whether the chain still holds every head they were shown."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from api.dependencies import AdminDep, AuditorDep, ServicesDep
from api.schemas.audit import WitnessIn

router = APIRouter(prefix="/witnesses", tags=["audit"])


@router.get("", summary="The witnesses, each with its latest receipt")
def witnesses(services: ServicesDep, principal: AuditorDep) -> JSONResponse:
    return JSONResponse(services.audit_record.witnesses(principal))


@router.post("", summary="Add a witness (admin)")
def add_witness(body: WitnessIn, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """An organisation that runs ``commitments witness serve`` and has registered this deployment's public key
    (``commitments audit public-key``): the address it answers at and the key that signs its receipts
    (``GET {url}/public-key``). The head is sent to it every ``COMMITMENTS_WITNESS_INTERVAL`` seconds."""
    return JSONResponse(services.audit_record.add_witness(principal, body.name, str(body.url), body.public_key))


@router.delete("/{witness_id:uuid}", status_code=204, summary="Remove a witness (admin)")
def remove_witness(witness_id: UUID, services: ServicesDep, principal: AdminDep) -> Response:
    services.audit_record.remove_witness(principal, str(witness_id))
    return Response(status_code=204)


@router.post("/send", summary="Send the head to every witness now (admin)")
def send(services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """What each witness answered: `witnessed` (its receipt is kept), `refused` (with its reason: a head that
    contradicts one it holds is refused) or `unreachable`."""
    outcomes: list[dict[str, Any]] = services.audit_record.send_to_witnesses(principal)
    return JSONResponse(outcomes)


@router.get("/check", summary="Whether the chain still holds every witnessed head")
def check(services: ServicesDep, principal: AuditorDep) -> JSONResponse:
    """The chain recomputed from the stored events, compared with every receipt: a history rewritten and
    signed again with this deployment's own key no longer holds the links the witnesses were shown."""
    return JSONResponse(services.audit_record.check_receipts(principal))
