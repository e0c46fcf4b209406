"""Administration (admin keys): API keys (create, limit to parties, revoke) and webhook subscriptions
(create, pause, resume, rotate the secret, deliveries, resend)."""

import secrets
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dependencies import ServicesDep, administrator
from api.problems import Forbidden
from api.routers.subscriptions import SubscriptionCreate
from api.web.forms import checked, identifiers, value, values
from api.web.page import page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application.errors import NotFound
from application.queries import PartyFilter
from domain.access import Role
from domain.errors import InvalidValue
from domain.webhooks import KINDS

router = APIRouter(prefix="/admin")


def _admin(visitor: SignedInVisitor) -> str:
    return administrator(visitor.principal).id


def _back(request: Request, where: str) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/admin/{where}", status_code=303)


@router.get("/keys", response_class=HTMLResponse, name="keys")
def keys(request: Request, visitor: SignedInDep, services: ServicesDep, made: str | None = None) -> HTMLResponse:
    _admin(visitor)
    return page(
        request,
        visitor,
        "keys.html",
        keys=services.keys.list(),
        roles=[r.value for r in Role],
        made=made,
        all_parties=services.catalogue.find_parties(PartyFilter.of(limit=200)).items,
        once=secrets.token_urlsafe(16),
    )


@router.post("/keys", response_class=HTMLResponse)
def create_key(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> HTMLResponse:
    """The new key is shown on this page, once: it is stored hashed."""
    _admin(visitor)
    name, role = value(form, "name"), value(form, "role")
    if name is None or len(name) > 200:
        raise InvalidValue("give the key a name of at most 200 characters", "name")
    if role not in {r.value for r in Role}:
        raise InvalidValue("choose a role", "role")
    chosen = identifiers(form, "party_scope")
    scope = None
    if chosen:
        if role != Role.COORDINATOR.value:
            raise InvalidValue("only coordinator keys are limited to parties", "party_scope")
        scope = [str(p) for p in services.tracker.parties.check(chosen, "party_scope")]
    principal, key = services.keys.create(Role(role), name, scope, form=value(form, "once"))
    return page(
        request,
        visitor,
        "keys.html",
        keys=services.keys.list(),
        roles=[r.value for r in Role],
        made={"id": principal.id, "key": key},
        all_parties=services.catalogue.find_parties(PartyFilter.of(limit=200)).items,
        once=secrets.token_urlsafe(16),
    )


@router.post("/keys/{key_id}/revoke")
def revoke_key(key_id: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep) -> Response:
    if key_id == _admin(visitor):
        raise Forbidden("a key cannot revoke itself here: sign in with another admin key")
    if not services.keys.revoke(key_id[:40]):
        raise NotFound("key", key_id[:40])
    return _back(request, "keys")


@router.get("/subscriptions", response_class=HTMLResponse, name="subscriptions")
def subscriptions(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    _admin(visitor)
    return page(
        request,
        visitor,
        "subscriptions.html",
        subscriptions=services.subscriptions.all(),
        kinds=KINDS,
        secret=None,
        all_parties=services.catalogue.find_parties(PartyFilter.of(limit=200)).items,
    )


@router.post("/subscriptions", response_class=HTMLResponse)
def create_subscription(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> HTMLResponse:
    _admin(visitor)
    body = checked(
        SubscriptionCreate,
        {
            "url": value(form, "url"),
            "kinds": values(form, "kinds"),
            "party_ids": identifiers(form, "party_ids"),
            "description": value(form, "description"),
        },
    )
    parties = [str(p) for p in services.tracker.parties.check(body.party_ids, "party_ids")]
    made = services.subscriptions.create(body.url, body.kinds, parties, body.description)
    return page(
        request,
        visitor,
        "subscriptions.html",
        subscriptions=services.subscriptions.all(),
        kinds=KINDS,
        secret={"id": made.id, "secret": made.secret},
        all_parties=services.catalogue.find_parties(PartyFilter.of(limit=200)).items,
    )


@router.post("/subscriptions/{subscription_id}/{change}", response_class=HTMLResponse)
def change_subscription(
    subscription_id: str, change: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep
) -> Response:
    _admin(visitor)
    store = services.subscriptions
    if change == "pause":
        store.pause(subscription_id)
    elif change == "resume":
        store.resume(subscription_id)
    elif change == "rotate-secret":
        secret = store.rotate(subscription_id, timedelta(seconds=services.settings.webhook_secret_overlap))[1]
        return page(
            request,
            visitor,
            "subscriptions.html",
            subscriptions=store.all(),
            kinds=KINDS,
            secret={"id": subscription_id, "secret": secret},
            all_parties=services.catalogue.find_parties(PartyFilter.of(limit=200)).items,
        )
    else:
        raise NotFound("change", change[:40])
    return _back(request, "subscriptions")


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse, name="subscription")
def subscription(subscription_id: str, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    _admin(visitor)
    found = services.subscriptions.get(subscription_id)
    items, _ = services.delivery_log.find(subscription_id=subscription_id, limit=100)
    return page(request, visitor, "subscription.html", s=found, deliveries=items)


@router.post("/deliveries/{delivery_id}/resend")
def resend(delivery_id: str, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    _admin(visitor)
    sent = services.delivery_log.resend(delivery_id)
    return _back(request, f"subscriptions/{sent['subscription_id']}")
