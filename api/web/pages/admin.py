"""Administration (administrators): people's accounts (invite, send again, role and parties, second factor,
disable, enable), API keys (create, limit to parties, revoke), webhook subscriptions (create, pause, resume,
rotate the secret, deliveries, resend) and witnesses (add, remove, send the head now, check their receipts)."""

import secrets
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.routers.subscriptions import SubscriptionCreate
from api.schemas.audit import WitnessIn
from api.schemas.people import PersonIn, RoleChange
from api.web.forms import checked, identifiers, value, values
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application import policy
from application.errors import NotFound
from application.listing.queries import PartyFilter
from application.notices.webhooks import Subscribing
from domain.access import Role
from domain.people.person import Person
from domain.webhooks import KINDS

router = APIRouter(prefix="/admin")


def _admin(visitor: SignedInVisitor) -> str:
    return policy.administers(visitor.principal).id


def _back(request: Request, where: str) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/admin/{where}", status_code=303)


def _keys(request: Request, visitor: SignedInVisitor, services: Services, made: object = None) -> HTMLResponse:
    return page(
        request,
        visitor,
        "keys.html",
        keys=services.keyring.listed(visitor.principal),
        holders=[p for p in services.people.listed(visitor.principal) if p.standing == "active"],
        roles=[r.value for r in Role],
        made=made,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
        once=secrets.token_urlsafe(16),
        shown_once=made is not None,
    )


@router.get("/keys", response_class=HTMLResponse, name="keys")
def keys(request: Request, visitor: SignedInDep, services: ServicesDep, made: str | None = None) -> HTMLResponse:
    return _keys(request, visitor, services, made)


@router.post("/keys", response_class=HTMLResponse)
def create_key(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> HTMLResponse:
    """The new key is shown on this page, once: it is stored hashed."""
    principal, key = services.keyring.make(
        visitor.principal,
        value(form, "role"),
        value(form, "name"),
        identifiers(form, "party_scope"),
        form=value(form, "once"),
        owner=value(form, "owner") or None,
    )
    return _keys(request, visitor, services, {"id": principal.id, "key": key})


@router.post("/keys/{key_id}/revoke")
def revoke_key(key_id: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep) -> Response:
    services.keyring.revoke(visitor.principal, key_id)
    return _back(request, "keys")


def _subscriptions(
    request: Request, visitor: SignedInVisitor, services: Services, secret: dict[str, str] | None = None
) -> HTMLResponse:
    return page(
        request,
        visitor,
        "subscriptions.html",
        subscriptions=services.webhooks.listed(visitor.principal),
        kinds=KINDS,
        secret=secret,
        shown_once=secret is not None,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
    )


@router.get("/subscriptions", response_class=HTMLResponse, name="subscriptions")
def subscriptions(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    _admin(visitor)
    return _subscriptions(request, visitor, services)


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
    wanted = Subscribing(body.url, list(body.kinds), body.party_ids, body.description)
    made = services.webhooks.subscribe(visitor.principal, wanted)
    return _subscriptions(request, visitor, services, {"id": made.id, "secret": made.secret})


@router.post("/subscriptions/{subscription_id}/{change}", response_class=HTMLResponse)
def change_subscription(
    subscription_id: str, change: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep
) -> Response:
    webhooks, caller = services.webhooks, visitor.principal
    if change == "pause":
        webhooks.pause(caller, subscription_id)
    elif change == "resume":
        webhooks.resume(caller, subscription_id)
    elif change == "rotate-secret":
        rotated = webhooks.rotate_secret(caller, subscription_id)
        return _subscriptions(request, visitor, services, {"id": subscription_id, "secret": rotated.secret})
    else:
        _admin(visitor)
        raise NotFound("change", change[:40])
    return _back(request, "subscriptions")


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse, name="subscription")
def subscription(subscription_id: str, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    _admin(visitor)
    found = services.webhooks.get(visitor.principal, subscription_id)
    items, _ = services.webhooks.deliveries_of(visitor.principal, subscription_id, limit=100)
    return page(request, visitor, "subscription.html", s=found, deliveries=items)


@router.post("/deliveries/{delivery_id}/resend")
def resend(delivery_id: str, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    sent = services.webhooks.resend(visitor.principal, delivery_id)
    return _back(request, f"subscriptions/{sent['subscription_id']}")


def _witnesses(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
    sent: list[dict[str, Any]] | None = None,
    checked_receipts: dict[str, Any] | None = None,
) -> HTMLResponse:
    return page(
        request,
        visitor,
        "witnesses.html",
        status,
        witnesses=services.audit_record.witnesses(visitor.principal),
        public_key=services.audit_record.head(visitor.principal)["public_key"],
        refusal=refusal,
        sent=sent,
        checked_receipts=checked_receipts,
    )


@router.get("/witnesses", response_class=HTMLResponse, name="witnesses")
def witnesses(request: Request, visitor: SignedInDep, services: ServicesDep, check: bool = False) -> HTMLResponse:
    """The organisations that hold this deployment's signed heads; with ``check``, whether the chain still holds
    every head they were shown."""
    _admin(visitor)
    found = services.audit_record.check_receipts(visitor.principal) if check else None
    return _witnesses(request, visitor, services, checked_receipts=found)


@router.post("/witnesses", response_class=HTMLResponse)
def add_witness(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    def added() -> Response:
        body = checked(
            WitnessIn, {"name": value(form, "name"), "url": value(form, "url"), "public_key": value(form, "public_key")}
        )
        services.audit_record.add_witness(visitor.principal, body.name, str(body.url), body.public_key)
        return _back(request, "witnesses")

    return attempt(
        added, lambda status, refusal: _witnesses(request, visitor, services, status, refusal | {"form": form})
    )


@router.post("/witnesses/send", response_class=HTMLResponse)
def send_to_witnesses(request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep) -> HTMLResponse:
    sent = services.audit_record.send_to_witnesses(visitor.principal)
    return _witnesses(request, visitor, services, sent=sent)


@router.post("/witnesses/{witness_id}/remove")
def remove_witness(
    witness_id: str, request: Request, visitor: SignedInDep, _: FormDep, services: ServicesDep
) -> Response:
    services.audit_record.remove_witness(visitor.principal, witness_id)
    return _back(request, "witnesses")


def _people(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
    invited: dict[str, Any] | None = None,
) -> HTMLResponse:
    return page(
        request,
        visitor,
        "people.html",
        status,
        people=services.people.listed(visitor.principal),
        roles=[r.value for r in Role],
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
        refusal=refusal,
        invited=invited,
    )


@router.get("/people", response_class=HTMLResponse, name="people")
def people(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    """People's accounts: invite, send again, role and parties, second factor, disable, last sign-in."""
    return _people(request, visitor, services)


@router.get("/people/{person_id}", response_class=HTMLResponse, name="person")
def person(person_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    """An account's history: who invited, changed, disabled or erased it, when, and through which door."""
    shown = services.people.get(visitor.principal, person_id)
    events = services.tracker.histories.events(Person, person_id, 0, 500)
    return page(request, visitor, "person.html", p=shown, events=events)


@router.post("/people", response_class=HTMLResponse)
def invite_person(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    def invited() -> Response:
        body = checked(
            PersonIn,
            {
                "name": value(form, "name"),
                "email": value(form, "email"),
                "role": value(form, "role"),
                "party_scope": identifiers(form, "party_scope"),
                "language": value(form, "language") or "en",
            },
        )
        made = services.people.invite(
            visitor.principal, body.name, body.email, body.role, body.party_scope, body.language
        )
        return _people(request, visitor, services, invited={"address": body.email, "mailed": made.mailed})

    return attempt(
        invited, lambda status, refusal: _people(request, visitor, services, status, refusal | {"form": form})
    )


@router.post("/people/{person_id}/{change}", response_class=HTMLResponse)
def change_person(
    person_id: UUID, change: str, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """Send the invitation again, change the role, require the second factor, disable or enable."""
    people, caller = services.people, visitor.principal

    def changed() -> Response:
        if change == "resend":
            made = people.resend(caller, person_id)
            shown = people.get(caller, person_id)
            return _people(request, visitor, services, invited={"address": shown.address, "mailed": made.mailed})
        if change == "role":
            body = checked(
                RoleChange,
                {
                    "role": value(form, "role"),
                    "party_scope": identifiers(form, "party_scope"),
                    "reason": value(form, "reason") or None,
                },
            )
            people.change_role(caller, person_id, body.role, body.party_scope, body.reason)
        elif change == "second-factor":
            people.require_second_factor(caller, person_id, value(form, "required") == "true")
        elif change == "disable":
            people.disable(caller, person_id)
        elif change == "enable":
            people.enable(caller, person_id)
        elif change == "erasure":
            people.erase(caller, person_id)
        else:
            _admin(visitor)
            raise NotFound("change", change[:40])
        return _back(request, "people")

    return attempt(changed, lambda status, refusal: _people(request, visitor, services, status, refusal))
