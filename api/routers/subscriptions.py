"""Webhook subscriptions (admin keys only to change; any key to read)."""

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from api.dependencies import AdminDep, ReaderDep, ServicesDep
from api.routers.common import CursorQuery, LimitQuery
from api.schemas import Schema
from application.queries import instant

router = APIRouter(tags=["webhooks"])


class SubscriptionCreate(Schema):
    url: str = Field(description="https:// address that receives the webhooks")
    kinds: list[str] = Field(max_length=5, description="overdue, due_soon, lifecycle, operations or all")
    party_ids: list[UUID] = Field(default_factory=list, max_length=500,
                                  description="only commitments these parties lead or support (none: all)")
    description: str | None = Field(default=None, max_length=500)


class SubscriptionUpdate(Schema):
    url: str | None = None
    kinds: list[str] | None = Field(default=None, max_length=5)
    party_ids: list[UUID] | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=500)


class SecretRotation(Schema):
    overlap_seconds: int | None = Field(default=None, ge=0, le=30 * 24 * 3600,
                                        description="how long the old secret keeps signing too")


def _parties(services: ServicesDep, ids: list[UUID] | None) -> list[str] | None:
    return None if ids is None else [str(p) for p in services.tracker.check_parties(ids, "party_ids")]


@router.post("/subscriptions", status_code=201)
def create_subscription(body: SubscriptionCreate, services: ServicesDep, _: AdminDep) -> JSONResponse:
    """The answer holds the signing secret (``whsec_…``): it is shown only this once."""
    subscription, secret = services.subscriptions.create(body.url, body.kinds, _parties(services, body.party_ids) or [],
                                                         body.description)
    return JSONResponse({**dataclasses.asdict(subscription), "secret": secret}, status_code=201,
                        headers={"Location": f"/subscriptions/{subscription.id}"})


@router.get("/subscriptions")
def list_subscriptions(services: ServicesDep, _: ReaderDep) -> JSONResponse:
    return JSONResponse({"items": [dataclasses.asdict(s) for s in services.subscriptions.all()]})


@router.get("/subscriptions/{subscription_id}")
def get_subscription(subscription_id: str, services: ServicesDep, _: ReaderDep) -> JSONResponse:
    return JSONResponse(dataclasses.asdict(services.subscriptions.get(subscription_id)))


@router.patch("/subscriptions/{subscription_id}")
def update_subscription(subscription_id: str, body: SubscriptionUpdate, services: ServicesDep,
                        _: AdminDep) -> JSONResponse:
    changed = services.subscriptions.update(subscription_id, body.url, body.kinds, _parties(services, body.party_ids),
                                            body.description)
    return JSONResponse(dataclasses.asdict(changed))


@router.post("/subscriptions/{subscription_id}/pause")
def pause_subscription(subscription_id: str, services: ServicesDep, _: AdminDep) -> JSONResponse:
    """Hold deliveries until resumed (they are still created)."""
    return JSONResponse(dataclasses.asdict(services.subscriptions.pause(subscription_id)))


@router.post("/subscriptions/{subscription_id}/resume")
def resume_subscription(subscription_id: str, services: ServicesDep, _: AdminDep) -> JSONResponse:
    """Active again, also after being disabled; held deliveries are sent."""
    return JSONResponse(dataclasses.asdict(services.subscriptions.resume(subscription_id)))


@router.delete("/subscriptions/{subscription_id}", status_code=204)
def delete_subscription(subscription_id: str, services: ServicesDep, _: AdminDep) -> Response:
    services.subscriptions.delete(subscription_id)
    return Response(status_code=204)


@router.post("/subscriptions/{subscription_id}/rotate-secret")
def rotate_secret(subscription_id: str, services: ServicesDep, _: AdminDep,
                  body: SecretRotation | None = None) -> JSONResponse:
    """A new secret, shown once; the old one keeps signing beside it for the overlap."""
    seconds = body.overlap_seconds if body and body.overlap_seconds is not None else None
    overlap = timedelta(seconds=services.settings.webhook_secret_overlap if seconds is None else seconds)
    subscription, secret = services.subscriptions.rotate(subscription_id, overlap)
    return JSONResponse({**dataclasses.asdict(subscription), "secret": secret})


# -- the delivery log ---------------------------------------------------------------------------

def _page(items: list[dict[str, object]], next_cursor: str | None) -> JSONResponse:
    return JSONResponse({"items": items, "next_cursor": next_cursor})


@router.get("/subscriptions/{subscription_id}/deliveries")
def subscription_deliveries(subscription_id: str, services: ServicesDep, _: ReaderDep,
                            status: Annotated[str | None, Query(pattern="^(pending|succeeded|failed)$")] = None,
                            cursor: CursorQuery = None, limit: LimitQuery = 50) -> JSONResponse:
    services.subscriptions.get(subscription_id)
    return _page(*services.delivery_log.find(subscription_id=subscription_id, status=status, cursor=cursor,
                                             limit=limit))


@router.get("/commitments/{commitment_id}/deliveries")
def commitment_deliveries(commitment_id: UUID, services: ServicesDep, _: ReaderDep,
                          cursor: CursorQuery = None, limit: LimitQuery = 50) -> JSONResponse:
    services.tracker.get_commitment(commitment_id)
    return _page(*services.delivery_log.find(commitment_id=str(commitment_id), cursor=cursor, limit=limit))


@router.get("/deliveries/{delivery_id}")
def get_delivery(delivery_id: str, services: ServicesDep, _: ReaderDep) -> JSONResponse:
    """One delivery, its payload, and every attempt (time, status, latency, error, first 20 kB of the answer)."""
    return JSONResponse(services.delivery_log.get(delivery_id))


@router.post("/deliveries/{delivery_id}/resend")
def resend_delivery(delivery_id: str, services: ServicesDep, _: AdminDep) -> JSONResponse:
    """Send again, with the same webhook-id."""
    return JSONResponse(services.delivery_log.resend(delivery_id))


@router.post("/deliveries/recover")
def recover_deliveries(services: ServicesDep, _: AdminDep,
                       since: Annotated[str, Query(max_length=40, description="instant or date (UTC)")],
                       subscription_id: str | None = None) -> JSONResponse:
    """Send again every delivery that failed since then."""
    at = instant(since, "since") or datetime.min.replace(tzinfo=timezone.utc)  # since is required: never None
    return JSONResponse({"resent": services.delivery_log.recover(at, subscription_id)})
