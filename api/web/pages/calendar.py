"""The visitor's calendar feeds: make one (for all their commitments, or one party's), see its secret
address once, close one. The same use cases as ``/calendars`` in the JSON API (``application.listing.calendars``)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dependencies import ServicesDep
from api.web.forms import identifier
from api.web.page import page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application.listing.queries import PartyFilter

router = APIRouter(prefix="/calendar")


def _page(request: Request, visitor: SignedInVisitor, services: ServicesDep, made: str | None = None) -> HTMLResponse:
    return page(
        request,
        visitor,
        "calendar.html",
        feeds=services.calendar_feeds.of(visitor.principal, own_only=True),
        made=made,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
    )


@router.get("", response_class=HTMLResponse, name="calendar_feeds")
def feeds(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return _page(request, visitor, services)


@router.post("", response_class=HTMLResponse)
def make_feed(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> HTMLResponse:
    """The new feed's address is shown on this page, once."""
    _, token = services.calendar_feeds.make(visitor.principal, identifier(form, "party_id"))
    base = services.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/").removesuffix(
        request.scope.get("root_path", "")
    )
    return _page(request, visitor, services, f"{base}/feeds/{token}.ics")


@router.post("/{feed_id}/close")
def close_feed(feed_id: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep) -> Response:
    services.calendar_feeds.close(visitor.principal, feed_id)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/calendar", status_code=303)
