"""Calendar feeds: a secret iCalendar address per key, or per party, for calendar programs."""

import dataclasses
from datetime import UTC
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.dependencies import ReaderDep, ServicesDep
from api.icalendar_feed import calendar
from api.problems import PROBLEM_JSON
from api.schemas import Schema
from application.listing.exports import Names

router = APIRouter(tags=["calendars"])
ICS = "text/calendar"


class FeedCreate(Schema):
    party_id: UUID | None = Field(
        default=None,
        description="only this party's commitments and meetings (none: those of the key's parties, or all)",
    )


class FeedAnswer(BaseModel):
    id: str
    key_id: str
    party_id: str | None
    created_at: str
    revoked_at: str | None


class CreatedFeed(FeedAnswer):
    url: str = Field(description="the secret address to subscribe to: shown only in this answer")


class Feeds(BaseModel):
    items: list[FeedAnswer]


@router.post("/calendars", status_code=201, response_model=CreatedFeed)
def create_feed(
    request: Request, services: ServicesDep, principal: ReaderDep, body: FeedCreate | None = None
) -> JSONResponse:
    """A new feed for this key. Its address is secret (anyone who has it reads the feed): it is shown
    only now; revoke the feed (or the key) to close it."""
    feed, token = services.calendar_feeds.make(principal, None if body is None else body.party_id)
    base = services.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return JSONResponse(
        {**dataclasses.asdict(feed), "url": f"{base}/feeds/{token}.ics"},
        status_code=201,
        headers={"Location": f"/calendars/{feed.id}"},
    )


@router.get("/calendars", response_model=Feeds)
def list_feeds(services: ServicesDep, principal: ReaderDep) -> JSONResponse:
    """This key's feeds (an admin key: every key's), without their addresses."""
    feeds = services.calendar_feeds.of(principal)
    return JSONResponse({"items": [dataclasses.asdict(f) for f in feeds]})


@router.delete("/calendars/{feed_id}", response_model=FeedAnswer)
def revoke_feed(feed_id: str, services: ServicesDep, principal: ReaderDep) -> JSONResponse:
    """Close the feed: its address answers 404 from now on."""
    return JSONResponse(dataclasses.asdict(services.calendar_feeds.close(principal, feed_id)))


@router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    responses={
        200: {"description": "the feed (RFC 5545)", "content": {ICS: {"schema": {"type": "string"}}}},
        404: {
            "description": "no live feed has this address (revoked, its key revoked, or never made)",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    },
)
def read_feed(token: str, services: ServicesDep) -> Response:
    """The feed itself, for calendar programs: no key, the address is the secret. Each open commitment's
    due is an all-day event on its last day in its own time zone; each meeting still to be held, an
    all-day event over its days. Read again, it shows the record as it stands."""
    feed, shown = services.calendar_feeds.read(token)
    tracker = services.tracker
    names = Names(tracker.parties.get, tracker.meetings.get)
    title = "Commitments" if feed.party_id is None else f"Commitments of {names.label(feed.party_id)}"
    links = f"{services.settings.public_url.rstrip('/')}/app" if services.settings.public_url else ""
    body = calendar(
        shown,
        names,
        title,
        tracker.records.now().astimezone(UTC),
        links,
    )
    return Response(
        body,
        media_type=f"{ICS}; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="commitments.ics"', "Cache-Control": "no-store"},
    )
