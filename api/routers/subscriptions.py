"""Webhook subscriptions (admin keys only to change; any key to read)."""

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.dependencies import (
    AdminDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ReaderDep,
    ServicesDep,
)
from api.responses import created, resource
from api.routers.common import INSTANT_FORM, CursorQuery, LimitQuery
from api.schemas import (
    Count,
    DeliveryDetail,
    DeliveryPage,
    DeliveryStatusName,
    Resent,
    Schema,
)
from application.listing.queries import instant
from application.notices.webhooks import CreatedSubscription, Subscribing, Subscription
from domain.webhooks import KINDS

router = APIRouter(tags=["webhooks"])
if TYPE_CHECKING:  # a type made at run time is no type to the checker: to it, a kind is a str
    Kind: TypeAlias = str
else:
    Kind = Literal[KINDS]


class SubscriptionCreate(Schema):
    url: str = Field(description="https:// address that receives the webhooks")
    kinds: list[Kind] = Field(min_length=1, max_length=6, description="what to hear of")
    party_ids: list[UUID] = Field(
        default_factory=list, max_length=500, description="only commitments these parties lead or support (none: all)"
    )
    description: str | None = Field(default=None, max_length=500)


class SubscriptionUpdate(Schema):
    url: str | None = None
    kinds: list[Kind] | None = Field(default=None, min_length=1, max_length=6)
    party_ids: list[UUID] | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=500)


class Subscriptions(BaseModel):
    items: list[Subscription]


class SecretRotation(Schema):
    overlap_seconds: Count | None = Field(
        default=None, ge=0, le=30 * 24 * 3600, description="how long the old secret keeps signing too"
    )


@router.post("/subscriptions", status_code=201, response_model=CreatedSubscription)
def create_subscription(
    body: SubscriptionCreate, request: Request, services: ServicesDep, principal: AdminDep, key: IdempotencyKeyDep
) -> JSONResponse:
    """The answer holds the signing secret (``whsec_…``): it is shown only this once (and to a retry
    with the same ``Idempotency-Key``)."""
    webhooks = services.webhooks
    wanted = Subscribing(body.url, list(body.kinds), body.party_ids, body.description)
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda chosen: webhooks.subscribe(principal, wanted, chosen),
        lambda chosen: webhooks.subscribed(principal, chosen),
    )


@router.get("/subscriptions", response_model=Subscriptions)
def list_subscriptions(services: ServicesDep, principal: ReaderDep) -> JSONResponse:
    return JSONResponse({"items": [dataclasses.asdict(s) for s in services.webhooks.listed(principal)]})


@router.get("/subscriptions/{subscription_id}", response_model=Subscription)
def get_subscription(subscription_id: str, services: ServicesDep, principal: ReaderDep) -> JSONResponse:
    return resource(services.webhooks.get(principal, subscription_id))


@router.patch("/subscriptions/{subscription_id}", response_model=Subscription)
def update_subscription(
    subscription_id: str, body: SubscriptionUpdate, services: ServicesDep, principal: AdminDep, version: IfMatchDep
) -> JSONResponse:
    """Change what is given; with ``If-Match``, only if nobody changed it since (else 412)."""
    changed = services.webhooks.change(
        principal, subscription_id, body.url, body.kinds, body.party_ids, body.description, version
    )
    return resource(changed)


@router.post("/subscriptions/{subscription_id}/pause", response_model=Subscription)
def pause_subscription(subscription_id: str, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """Hold deliveries until resumed (they are still created)."""
    return resource(services.webhooks.pause(principal, subscription_id))


@router.post("/subscriptions/{subscription_id}/resume", response_model=Subscription)
def resume_subscription(subscription_id: str, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """Active again, also after being disabled; held deliveries are sent."""
    return resource(services.webhooks.resume(principal, subscription_id))


@router.delete("/subscriptions/{subscription_id}", status_code=204, response_class=Response)
def delete_subscription(subscription_id: str, services: ServicesDep, principal: AdminDep) -> Response:
    services.webhooks.delete(principal, subscription_id)
    return Response(status_code=204)


@router.post("/subscriptions/{subscription_id}/rotate-secret", response_model=CreatedSubscription)
def rotate_secret(
    subscription_id: str, services: ServicesDep, principal: AdminDep, body: SecretRotation | None = None
) -> JSONResponse:
    """A new secret, shown once; the old one keeps signing beside it for the overlap."""
    seconds = body.overlap_seconds if body and body.overlap_seconds is not None else None
    overlap = None if seconds is None else timedelta(seconds=seconds)
    return resource(services.webhooks.rotate_secret(principal, subscription_id, overlap))


# -- the delivery log ---------------------------------------------------------------------------


def _page(items: list[dict[str, object]], next_cursor: str | None) -> JSONResponse:
    return JSONResponse({"items": items, "next_cursor": next_cursor})


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveryPage)
def subscription_deliveries(
    subscription_id: str,
    services: ServicesDep,
    principal: ReaderDep,
    status: Annotated[DeliveryStatusName | None, Query()] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> JSONResponse:
    return _page(*services.webhooks.deliveries_of(principal, subscription_id, status, cursor, limit))


@router.get("/commitments/{commitment_id}/deliveries", response_model=DeliveryPage)
def commitment_deliveries(
    commitment_id: UUID, services: ServicesDep, principal: ReaderDep, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> JSONResponse:
    return _page(*services.webhooks.deliveries_for(principal, commitment_id, cursor, limit))


@router.get("/deliveries/{delivery_id}", response_model=DeliveryDetail)
def get_delivery(delivery_id: str, services: ServicesDep, principal: ReaderDep) -> JSONResponse:
    """One delivery, its payload, and every attempt (time, status, latency, error, first 20 kB of the answer)."""
    return JSONResponse(services.webhooks.delivery(principal, delivery_id))


@router.post("/deliveries/{delivery_id}/resend", response_model=DeliveryDetail)
def resend_delivery(delivery_id: str, services: ServicesDep, principal: AdminDep) -> JSONResponse:
    """Send again, with the same webhook-id."""
    return JSONResponse(services.webhooks.resend(principal, delivery_id))


@router.post("/deliveries/recover", response_model=Resent)
def recover_deliveries(
    services: ServicesDep,
    principal: AdminDep,
    since: Annotated[
        str, Query(max_length=40, json_schema_extra={"pattern": INSTANT_FORM}, description="instant or date (UTC)")
    ],
    subscription_id: str | None = None,
) -> JSONResponse:
    """Send again every delivery that failed since then."""
    at = instant(since, "since") or datetime.min.replace(tzinfo=UTC)  # since is required: never None
    return JSONResponse({"resent": services.webhooks.recover(principal, at, subscription_id)})
