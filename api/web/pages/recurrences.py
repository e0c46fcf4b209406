"""Recurring commitments: one rule with its schedule, its occurrences and its history, the forms that
change its schedule or end it; and the form on a meeting's page that states one."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.schemas import Reasoned, RecurrenceCreate, ScheduleChange
from api.web.forms import Kept, checked, identifiers, number, texts, value
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application.views import RecurrenceView
from domain.access import Principal
from domain.commitments.recurrence import Recurrence

router = APIRouter(prefix="/recurrences")


def _parties(rule: RecurrenceView) -> list[str]:
    return [rule.lead_party_id, *rule.supporting_party_ids]


def recurrence_page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    recurrence_id: UUID,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
) -> HTMLResponse:
    tracker = services.tracker
    rule = tracker.recurrences.get(recurrence_id)
    return page(
        request,
        visitor,
        "recurrence.html",
        status,
        r=rule,
        meeting=tracker.meetings.get(rule.meeting_id),
        history=tracker.histories.events(Recurrence, recurrence_id),
        can_change=not rule.ended and visitor.may_change_commitment_of(_parties(rule)),
        refusal=refusal,
        form=Kept(refusal.get("form") if refusal else None),
    )


@router.get("/{recurrence_id}", response_class=HTMLResponse, name="recurrence")
def recurrence(recurrence_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return recurrence_page(request, visitor, services, recurrence_id)


def _change(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    recurrence_id: UUID,
    form: Any,
    done: str,
    carry_out: Callable[[Principal], object],
) -> Response:
    def carried_out() -> Response:
        carry_out(visitor.principal)  # the use case asks whether the key may change the rule
        base = request.scope.get("root_path", "")
        return RedirectResponse(f"{base}/recurrences/{recurrence_id}?done={done}", status_code=303)

    return attempt(
        carried_out,
        lambda status, refusal: recurrence_page(
            request, visitor, services, recurrence_id, status, refusal | {"form": form, "done": done}
        ),
    )


@router.post("/{recurrence_id}/schedule", name="reschedule")
def reschedule(
    recurrence_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A new schedule, with a reason: only the occurrences due in the future with nothing reported change."""

    def carry_out(actor: Principal) -> None:
        change = checked(
            ScheduleChange, {name: value(form, name) for name in ("reason", "every", "first_due", "until")}
        )
        services.tracker.recurrences.reschedule(
            recurrence_id,
            actor,
            change.reason,
            None,
            change.every,
            change.first_due,
            change.until,
            number(form, "version"),
        )

    return _change(request, visitor, services, recurrence_id, form, "schedule", carry_out)


@router.post("/{recurrence_id}/end", name="end_recurrence")
def end(recurrence_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """Nothing more is generated: the future occurrences with nothing reported are cancelled."""

    def carry_out(actor: Principal) -> None:
        body = checked(Reasoned, {"reason": value(form, "reason")})
        services.tracker.recurrences.end(recurrence_id, actor, body.reason, number(form, "version"))

    return _change(request, visitor, services, recurrence_id, form, "end", carry_out)


def state_from_meeting(
    meeting_id: UUID, request: Request, visitor: SignedInVisitor, form: Any, services: Services
) -> str:
    """State a recurring commitment from the form on a meeting's page; the new rule's address."""
    body = checked(
        RecurrenceCreate,
        {
            "text": texts(form, "text"),
            "lead_party_id": value(form, "lead_party_id"),
            "meeting_id": str(meeting_id),
            "every": value(form, "every"),
            "first_due": value(form, "first_due"),
            "until": value(form, "until"),
            "status": value(form, "status"),
            "supporting_party_ids": [str(p) for p in identifiers(form, "supporting")],
        },
    )
    rule = services.tracker.recurrences.state(visitor.principal, **body.inputs())
    return f"{request.scope.get('root_path', '')}/recurrences/{rule.id}"
