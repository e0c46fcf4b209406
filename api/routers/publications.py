"""Publications: what the public portal (``/public``) shows. An administrator publishes an agreement, a meeting
series or a party's commitments, and withdraws them, each time with a reason; every key reads what is
published now or was at an instant, and the history of every decision."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.dependencies import AdminDep, ReaderDep, ServicesDep
from api.responses import plain_json
from api.routers.common import CursorQuery, HistoryLimit, history
from api.schemas import History, Reasoned
from application.listing.queries import instant
from application.publishing.publications import PublicationView
from domain.publishing.publications import PUBLICATIONS_ID

router = APIRouter(prefix="/publications", tags=["publications"])
SubjectPath = Annotated[Literal["agreement", "series", "party"], Path(description="what kind of record")]
KeyPath = Annotated[str, Path(max_length=100, description="the agreement's or party's id, or the series' slug")]


@router.get("", response_model=list[PublicationView])
def list_publications(
    services: ServicesDep,
    principal: ReaderDep,
    as_of: Annotated[str | None, Query(max_length=40, description="what was published at this instant")] = None,
) -> JSONResponse:
    """What is published now (or was at ``as_of``): each record's kind, key, since when and why."""
    return plain_json(services.publishing.listed(principal, instant(as_of, "as_of")))


@router.get("/history", response_model=History)
def publications_history(
    services: ServicesDep, principal: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    """Every publication and withdrawal, with its reason and the key that decided it, oldest first."""
    return history(PUBLICATIONS_ID, lambda after, n: services.publishing.history(principal, after, n), cursor, limit)


@router.put("/{subject}/{key}", response_model=PublicationView)
def publish(
    subject: SubjectPath, key: KeyPath, body: Reasoned, services: ServicesDep, principal: AdminDep
) -> JSONResponse:
    """Make the record public, with a reason: its pages and documents under ``/public`` answer from now on,
    its history included. Publishing what is published already stores nothing. Admin keys only."""
    return plain_json(services.publishing.publish(principal, subject, key, body.reason))


@router.post("/{subject}/{key}/withdrawal", response_model=list[PublicationView])
def unpublish(
    subject: SubjectPath, key: KeyPath, body: Reasoned, services: ServicesDep, principal: AdminDep
) -> JSONResponse:
    """Withdraw the record from the public, with a reason: every public address of it answers 404 from now
    on, and no kept copy of it is served. Admin keys only. Answers what is published now."""
    services.publishing.unpublish(principal, subject, key, body.reason)
    return plain_json(services.publishing.listed(principal))
