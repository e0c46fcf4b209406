"""People's accounts (admin): invite by e-mail, send the invitation again, change role and parties, require the
second factor, disable and enable; each change an event of the person's history."""

from dataclasses import asdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.bootstrap import Services
from api.dependencies import AdminDep, ServicesDep
from api.routers.common import CursorQuery, HistoryLimit, history
from api.schemas import History
from api.schemas.common import Reasoned
from api.schemas.people import Invited, PersonIn, PersonOut, RoleChange, SecondFactorRequirement
from application.access.people import Invitation, PersonView
from domain.access import Principal
from domain.people.person import Person

router = APIRouter(prefix="/people", tags=["people"])


def _shown(person: PersonView) -> dict[str, Any]:
    shown = asdict(person)
    shown["last_sign_in"] = None if person.last_sign_in is None else person.last_sign_in.isoformat()
    return shown


def _invited(invitation: Invitation) -> dict[str, Any]:
    return {"person_id": invitation.person_id, "mailed": invitation.mailed}


def _person(services: Services, principal: Principal, person_id: UUID) -> JSONResponse:
    return JSONResponse(_shown(services.people.get(principal, person_id)))


@router.get("", summary="People's accounts (admin)", response_model=list[PersonOut])
def people(services: ServicesDep, principal: AdminDep) -> JSONResponse:
    return JSONResponse([_shown(p) for p in services.people.listed(principal)])


@router.post("", status_code=201, summary="Invite a person by e-mail (admin)", response_model=Invited)
def invite(body: PersonIn, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """The person gets an e-mail, in their language, with a link to choose a password (it works once, for seven
    days). An address is one person: a second invitation to it is refused (409)."""
    invitation = services.people.invite(principal, body.name, body.email, body.role, body.party_scope, body.language)
    return JSONResponse(_invited(invitation), status_code=201)


@router.post("/{person_id:uuid}/invitation", summary="Send the invitation again (admin)", response_model=Invited)
def resend(person_id: UUID, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """A new link (the earlier one stops working), to someone who has not chosen a password yet."""
    return JSONResponse(_invited(services.people.resend(principal, person_id)))


@router.put("/{person_id:uuid}/role", summary="Change the role and parties (admin)", response_model=PersonOut)
def change_role(person_id: UUID, body: RoleChange, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """The person's sessions end at their next request, on every process."""
    services.people.change_role(principal, person_id, body.role, body.party_scope, body.reason)
    return _person(services, principal, person_id)


@router.put(
    "/{person_id:uuid}/second-factor", summary="Require the second factor or not (admin)", response_model=PersonOut
)
def require_second_factor(
    person_id: UUID, body: SecondFactorRequirement, services: ServicesDep, principal: AdminDep
) -> JSONResponse:
    """An administrator always needs one; others when asked to. It is set up at the next sign-in."""
    services.people.require_second_factor(principal, person_id, body.required)
    return _person(services, principal, person_id)


@router.post("/{person_id:uuid}/disable", summary="Disable an account (admin)", response_model=PersonOut)
def disable(person_id: UUID, body: Reasoned, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """The person signs in no more; their sessions end at their next request, on every process."""
    services.people.disable(principal, person_id, body.reason)
    return _person(services, principal, person_id)


@router.post("/{person_id:uuid}/enable", summary="Enable an account again (admin)", response_model=PersonOut)
def enable(person_id: UUID, body: Reasoned, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    services.people.enable(principal, person_id, body.reason)
    return _person(services, principal, person_id)


@router.post("/{person_id:uuid}/erasure", summary="Erase a person's personal data (admin)", response_model=PersonOut)
def erase(person_id: UUID, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """Their name and address can no longer be read in any event, view, export or bundle; their password and
    second factor are deleted and their sessions end. What they did stays, shown as done by an erased person."""
    services.people.erase(principal, person_id)
    return _person(services, principal, person_id)


@router.get(
    "/{person_id:uuid}/history", summary="What was done to an account, and by whom (admin)", response_model=History
)
def person_history(
    person_id: UUID,
    services: ServicesDep,
    principal: AdminDep,
    cursor: CursorQuery = None,
    limit: HistoryLimit = 100,
) -> JSONResponse:
    """Invited, password chosen, role changed, second factor required or set up or reset, disabled, enabled: each
    with its actor. No credential is ever in it (decision 0075)."""
    services.people.get(principal, person_id)  # an administrator's, and a person's
    histories = services.tracker.histories
    return history(
        person_id,
        lambda after, n: histories.events(Person, person_id, after, n),
        cursor,
        limit,
        histories.integrity.of(str(person_id)),
    )
