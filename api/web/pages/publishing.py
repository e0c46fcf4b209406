"""Publishing from the pages: an administrator publishes an agreement, a meeting series or a party's
commitments, or withdraws them, with a reason, from the record's own page (the same use cases as
``PUT /publications/…``); and marks a piece of a commitment's evidence public or internal."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.web.forms import value
from api.web.pages.signing import local
from api.web.visitors import FormDep, SignedInDep
from domain.publishing.publications import Subject, subject_key

router = APIRouter()


def publication_of(services: Services, subject: str, key: str) -> dict[str, Any]:
    """What a record's page says of its publication: whether it is public, since when and why."""
    kind = Subject(subject)
    found = services.publishing.find(kind, subject_key(kind, key))
    return {
        "subject": subject,
        "key": key,
        "since": None if found is None else found.since,
        "reason": None if found is None else found.reason,
    }


@router.post("/publications/{subject}/{key}")
def publish_or_withdraw(
    subject: str, key: str, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    reason = value(form, "reason")
    if value(form, "action") == "withdraw":
        services.publishing.unpublish(visitor.principal, subject, key, reason)
    else:
        services.publishing.publish(visitor.principal, subject, key, reason)
    return _back(request, value(form, "next"))


@router.post("/commitments/{commitment_id}/evidence/{number}/visibility")
def show_evidence(
    commitment_id: UUID, number: int, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    public = value(form, "public") == "true"
    services.tracker.commitments.show_evidence(commitment_id, visitor.principal, number, public, value(form, "reason"))
    return _back(request, value(form, "next"))


def _back(request: Request, target: str | None) -> RedirectResponse:
    return RedirectResponse(local(target, request.scope.get("root_path", "")), status_code=303)
