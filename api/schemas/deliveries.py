"""Webhook deliveries: a delivery, a page of them, one with its attempts, deliveries sent again."""

from typing import Any

from pydantic import Field

from api.schemas.common import Answer, DeliveryStatusName


class DeliveryRecord(Answer):
    id: str = Field(description="the webhook-id, the same on every attempt")
    subscription_id: str
    event_type: str
    commitment_id: str | None
    status: DeliveryStatusName
    attempts: int
    next_attempt_at: str | None
    created_at: str
    updated_at: str


class DeliveryPage(Answer):
    items: list[DeliveryRecord]
    next_cursor: str | None


class Attempt(Answer):
    number: int
    started_at: str
    duration_ms: int
    status_code: int | None
    error: str | None
    response_body: str | None = Field(description="the first 20 kB of the answer")


class DeliveryDetail(DeliveryRecord):
    payload: dict[str, Any]
    attempt_log: list[Attempt]


class Resent(Answer):
    resent: int
