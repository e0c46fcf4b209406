"""A contact's unsubscribe link: no sign-in (the signed link names the contact). Opening it shows a
button; posting it (the button, or a mail program's one-click request, RFC 8058) stops the digests."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.dependencies import ServicesDep
from api.web.page import error_page, page
from api.web.visitors import Visitor, VisitorDep, in_their_language
from application.errors import NotFound
from domain.parties.contact import Contact, UnknownContact
from domain.parties.party import Party

router = APIRouter(prefix="/unsubscribe")


def _contact(services: ServicesDep, token: str) -> tuple[UUID, Contact] | None:
    named = services.unsubscribe.read(token)
    if named is None:
        return None
    party_id, contact_id = named
    try:
        return party_id, services.tracker.records.get(Party, party_id).contact(contact_id)
    except (NotFound, UnknownContact):
        return None


def _unknown(request: Request, visitor: Visitor) -> HTMLResponse:
    return error_page(request, visitor, 404, "Not found", "this unsubscribe link names no contact")


@router.get("/{token}", response_class=HTMLResponse, name="unsubscribe")
def unsubscribe_page(token: str, request: Request, visitor: VisitorDep, services: ServicesDep) -> HTMLResponse:
    found = _contact(services, token)
    if found is None:
        return _unknown(request, visitor)
    party_id, contact = found
    return page(
        request,
        in_their_language(visitor, contact),
        "unsubscribe.html",
        contact=contact,
        party=services.tracker.parties.get(party_id),
        token=token,
        done=False,
    )


@router.post("/{token}", response_class=HTMLResponse)
def unsubscribe(token: str, request: Request, visitor: VisitorDep, services: ServicesDep) -> HTMLResponse:
    found = _contact(services, token)
    if found is None:
        return _unknown(request, visitor)
    party_id, contact = found
    services.tracker.parties.unsubscribe(party_id, contact.id)
    return page(
        request,
        in_their_language(visitor, contact),
        "unsubscribe.html",
        contact=contact,
        party=services.tracker.parties.get(party_id),
        token=token,
        done=True,
    )
