"""Parties: the list, one party (what it leads and supports, its aliases, its escalation ladder and the
forms that change them, its timeline), and the type-ahead that finds parties by their names in every language,
Arabic normalised as search normalises it."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.bootstrap import Services
from api.dependencies import ServicesDep, TrackerDep
from api.schemas import AliasesChange, ContactIn, LadderChange
from api.web.forms import Kept, checked, number, value
from api.web.page import attempt, page
from api.web.pages.publishing import publication_of
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application import policy
from application.listing.queries import CommitmentFilter, PartyFilter
from domain.access import Principal
from domain.commitments.escalation import Audience
from domain.parties.contact import Frequency

router = APIRouter(prefix="/parties")


@router.get("", response_class=HTMLResponse, name="parties")
def party_list(request: Request, visitor: SignedInDep, services: ServicesDep, tracker: TrackerDep) -> HTMLResponse:
    params = request.query_params
    found = services.lists.parties(
        visitor.principal, PartyFilter.of(q=value(params, "q"), limit=200, cursor=value(params, "cursor"))
    )
    return page(request, visitor, "parties.html", found=found, params=params)


@router.get("/suggest", response_class=HTMLResponse, name="suggest_parties")
def suggest(request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    """The ``<option>``s of the parties whose names hold the words typed (the type-ahead's answer)."""
    typed = value(request.query_params, "q")
    found = services.lists.parties(visitor.principal, PartyFilter.of(q=typed, limit=10)).items if typed else []
    return page(request, visitor, "party_options.html", found=found)


LADDER_ROWS = 5  # the form's rows of steps (the API takes up to ``domain.commitments.escalation.MOST_STEPS``)


def party_page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    party_id: UUID,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
) -> HTMLResponse:
    tracker = services.tracker
    view = tracker.parties.get(party_id)
    leads = services.lists.commitments(visitor.principal, CommitmentFilter(lead_party=party_id, sort="due", limit=200))
    supports = services.lists.commitments(
        visitor.principal, CommitmentFilter(supporting_party=party_id, sort="due", limit=200)
    )
    events, total = services.lists.party_timeline(visitor.principal, party_id, 0, 100)
    return page(
        request,
        visitor,
        "party.html",
        status,
        p=view,
        leads=leads,
        supports=supports,
        timeline=events,
        timeline_total=total,
        ladder=tracker.parties.ladder_of(party_id),
        audiences=[a.value for a in Audience],
        ladder_rows=LADDER_ROWS,
        can_keep_ladder=visitor.can_write_everything,
        can_keep_aliases=visitor.can_write_everything,
        can_keep_contacts=policy.allows(policy.keeps_contacts, visitor.principal, party_id),
        can_erase_contacts=policy.allows(policy.administers, visitor.principal),
        frequencies=[f.value for f in Frequency],
        publication=publication_of(services, "party", str(party_id)),
        refusal=refusal,
        form=Kept(refusal.get("form") if refusal else None),
    )


def _changed(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    party_id: UUID,
    form: Any,
    carry_out: Callable[[Principal], object],
    done: str,
) -> Response:
    """Carry out a change of the party, then show its page again; a refusal shows the form as filled in."""

    def carried_out() -> Response:
        carry_out(visitor.principal)  # the use case asks whether the key may
        base = request.scope.get("root_path", "")
        return RedirectResponse(f"{base}/parties/{party_id}?done={done}#{done}", status_code=303)

    return attempt(
        carried_out,
        lambda status, refusal: party_page(
            request, visitor, services, party_id, status, refusal | {"form": form, "done": done}
        ),
    )


@router.get("/{party_id}", response_class=HTMLResponse, name="party")
def party(party_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return party_page(request, visitor, services, party_id)


@router.post("/{party_id}/escalation-ladder", name="keep_party_ladder")
def keep_ladder(
    party_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """The party's own ladder from the rows filled in (days overdue, who is told), or the deployment's
    again; only a key not limited to some parties may change it, as through the API."""
    policy.records_everything(visitor.principal)  # asked before the form is read (the use case asks again)

    def keep(actor: Principal) -> None:
        steps = (
            None
            if value(form, "common")
            else [
                {"days": value(form, f"days_{row}"), "to": value(form, f"to_{row}")}
                for row in range(1, LADDER_ROWS + 1)
                if value(form, f"days_{row}")
            ]
        )
        change = checked(LadderChange, {"steps": steps, "reason": value(form, "reason")})
        services.tracker.parties.keep_ladder(
            party_id,
            actor,
            None if change.steps is None else [(s.days, s.to) for s in change.steps],
            change.reason,
            number(form, "version"),
        )

    return _changed(request, visitor, services, party_id, form, keep, "ladder")


@router.post("/{party_id}/aliases", name="keep_party_aliases")
def keep_aliases(
    party_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """The party's aliases from the textarea, one per line (blank lines left out), as through the API."""
    policy.records_everything(visitor.principal)  # asked before the form is read (the use case asks again)

    def keep(actor: Principal) -> None:
        lines = [line.strip() for line in (value(form, "aliases") or "").splitlines()]
        change = checked(AliasesChange, {"aliases": [line for line in lines if line], "reason": value(form, "reason")})
        services.tracker.parties.keep_aliases(party_id, actor, change.aliases, change.reason, number(form, "version"))

    return _changed(request, visitor, services, party_id, form, keep, "aliases")


@router.post("/{party_id}/contacts", name="keep_contact")
def keep_contact(
    party_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A contact added, or changed (the same address), as through the API."""
    policy.keeps_contacts(visitor.principal, party_id)  # asked before the form is read (the use case asks again)

    def keep(actor: Principal) -> None:
        contact = checked(ContactIn, {name: value(form, name) for name in ("name", "address", "language", "frequency")})
        services.tracker.parties.keep_contact(
            party_id, actor, contact.name, contact.address, contact.language, contact.frequency
        )

    return _changed(request, visitor, services, party_id, form, keep, "contacts")


@router.post("/{party_id}/contacts/{contact_id}/remove", name="remove_contact")
def remove_contact(
    party_id: UUID, contact_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    policy.keeps_contacts(visitor.principal, party_id)  # asked before the form is read (the use case asks again)
    return _changed(
        request,
        visitor,
        services,
        party_id,
        form,
        lambda actor: services.tracker.parties.remove_contact(party_id, contact_id, actor, value(form, "reason")),
        "contacts",
    )


@router.post("/{party_id}/contacts/{contact_id}/erasure", name="erase_contact")
def erase_contact(
    party_id: UUID, contact_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A contact's personal data erased, as ``POST /parties/{id}/contacts/{contact_id}/erasure`` does it."""
    policy.administers(visitor.principal)  # asked before the form is read (the use case asks again)
    return _changed(
        request,
        visitor,
        services,
        party_id,
        form,
        lambda actor: services.tracker.parties.erase_contact(party_id, contact_id, actor),
        "contacts",
    )
