"""Recording a meeting report, in one flow: who took part (parties found as one types, or recorded
on the way), the meeting, then its agreements and matrix rows, then its commitments.

Each form is one use case, the one its JSON route calls, with the same request schema: a form
that is refused stores nothing, and says why in the rule's own words."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dependencies import ServicesDep
from api.schemas import (
    AgreementCreate,
    CommitmentCreate,
    MeetingCreate,
    PartyCreate,
    RowIn,
)
from api.web.forms import Kept, checked, identifiers, number, texts, value, values
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, Visitor, coordinator_id
from application.queries import AgreementFilter, CommitmentFilter, PartyFilter
from domain.agreement import AgreementKind
from domain.commitment import CommitmentKind
from domain.errors import InvalidValue
from domain.meeting import MeetingKind, ParticipantRole
from domain.party import PartyKind

router = APIRouter(prefix="/record")
ROWS = 5  # blank matrix rows offered by the agreement form



def _choices() -> dict[str, Any]:
    return {"meeting_kinds": [k.value for k in MeetingKind], "roles": [r.value for r in ParticipantRole],
            "party_kinds": [k.value for k in PartyKind], "agreement_kinds": [k.value for k in AgreementKind],
            "commitment_kinds": [k.value for k in CommitmentKind],
            "rows": ROWS}


# -- step 1: who took part, and the meeting -----------------------------------------------------------

def _chosen_parties(services: Any, request: Request) -> list[Any]:
    chosen = []
    for party_id in dict.fromkeys(identifiers(request.query_params, "with")):
        chosen.append(services.tracker.parties.get(party_id))
    return chosen


def meeting_form(request: Request, visitor: Visitor, services: Any, status: int = 200,
                 refusal: dict[str, Any] | None = None, form: Any = None) -> HTMLResponse:
    chosen = _chosen_parties(services, request)
    return page(request, visitor, "record_meeting.html", status, chosen=chosen, refusal=refusal,
                form=Kept(form), **_choices())


@router.get("", response_class=HTMLResponse, name="record")
def start(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The first step; ``with`` names the parties chosen so far, ``add`` an acronym to add to them."""
    coordinator_id(visitor)
    added = value(request.query_params, "add")
    if added is not None:
        def add() -> Response:
            found = services.tracker.parties.id_of(added.split(" ", 1)[0])
            kept = [f"with={p}" for p in identifiers(request.query_params, "with")] + [f"with={found}"]
            return RedirectResponse(f"{request.scope.get('root_path', '')}/record?{'&'.join(kept)}", status_code=303)

        return attempt(add, lambda status, refusal: meeting_form(
            request, visitor, services, status, refusal | {"acronym": added[:64]}))
    return meeting_form(request, visitor, services)


@router.post("/party")
def record_party(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """A party met on the way, recorded and added to those who took part."""
    actor = coordinator_id(visitor)
    kept = [str(p) for p in identifiers(form, "with")]

    def record() -> Response:
        body = checked(PartyCreate, {"names": texts(form, "name"), "acronym": value(form, "acronym"),
                                     "kind": value(form, "kind")})
        made = services.tracker.parties.register(actor, body.names.input(), body.acronym, body.kind, body.parent_id)
        query = "&".join(f"with={p}" for p in [*kept, made.id])
        return RedirectResponse(f"{request.scope.get('root_path', '')}/record?{query}", status_code=303)

    return attempt(record, lambda status, refusal: meeting_form(
        request, visitor, services, status, refusal | {"form_name": "party"}, form))


@router.post("/meeting")
def record_meeting(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    actor = coordinator_id(visitor)
    participants = [{"party_id": party_id, "role": value(form, f"role_{party_id}") or "participant",
                     "person": value(form, f"person_{party_id}")} for party_id in values(form, "participant")]
    venue = {"name": value(form, "venue_name"), "time_zone": value(form, "time_zone"),
             "city": value(form, "venue_city"), "country": value(form, "venue_country")}

    def record() -> Response:
        body = checked(MeetingCreate, {
            "title": texts(form, "title"), "kind": value(form, "kind"), "series": value(form, "series"),
            "session_number": number(form, "session_number"),
            "scheduled": {"starts_on": value(form, "starts_on"), "ends_on": value(form, "ends_on")},
            "venue": {k: v for k, v in venue.items() if v is not None}, "participants": participants})
        made = services.tracker.meetings.record(actor, **body.inputs())
        return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{made.id}", status_code=303)

    return attempt(record, lambda status, refusal: meeting_form(
        request, visitor, services, status, refusal | {"form_name": "meeting"}, form))


# -- steps 2 and 3: the agreements of the meeting, then its commitments ----------------------------------

def meeting_step(request: Request, visitor: Visitor, services: Any, meeting_id: UUID, status: int = 200,
                 refusal: dict[str, Any] | None = None, form: Any = None) -> HTMLResponse:
    tracker, catalogue = services.tracker, services.catalogue
    meeting = tracker.meetings.get(meeting_id)
    agreements = catalogue.find_agreements(AgreementFilter.of(meeting=meeting_id, limit=200)).items
    made = catalogue.find_commitments(CommitmentFilter(meeting=meeting_id, limit=200)).items
    made_rows = {(c["provenance"].get("agreement_id"), c["provenance"].get("row_number")) for c in made}
    return page(request, visitor, "record_meeting_step.html", status, m=meeting, agreements=agreements,
                commitments=made, made_rows=made_rows, refusal=refusal, form=Kept(form),
                all_parties=catalogue.find_parties(PartyFilter.of(limit=200)).items, **_choices())


@router.get("/{meeting_id}", response_class=HTMLResponse, name="record_meeting_step")
def meeting_page(meeting_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    coordinator_id(visitor)
    return meeting_step(request, visitor, services, meeting_id)


def _due(form: Any, prefix: str) -> dict[str, Any] | None:
    precision = value(form, f"{prefix}precision")
    return None if precision is None else {"precision": precision, "value": value(form, f"{prefix}value")}


def _rows(form: Any) -> list[dict[str, Any]]:
    rows = []
    for n in range(1, ROWS + 1):
        activity = texts(form, f"row{n}_activity")
        if activity is None:
            continue
        rows.append({"activity": activity, "lead_party_id": value(form, f"row{n}_lead"),
                     "partner_party_ids": values(form, f"row{n}_partners"), "timeframe": _due(form, f"row{n}_")})
    return rows


def _on_meeting(request: Request, visitor: Visitor, services: Any, meeting_id: UUID, form: Any, form_name: str,
                work: Callable[[], object], then: str) -> Response:
    """A form of the meeting's step page: on success, back to the page at ``then``; refused, the page
    again with the rule's words beside the form."""
    def carried_out() -> Response:
        work()
        return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{meeting_id}{then}", status_code=303)

    return attempt(carried_out, lambda status, refusal: meeting_step(
        request, visitor, services, meeting_id, status, refusal | {"form_name": form_name}, form))


@router.post("/{meeting_id}/agreement")
def adopt_agreement(meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep,
                    services: ServicesDep) -> Response:
    actor = coordinator_id(visitor)

    def adopt() -> None:
        body = checked(AgreementCreate, {
            "meeting_id": str(meeting_id), "title": texts(form, "title"), "kind": value(form, "kind"),
            "adopted_by": values(form, "adopted_by"), "text": texts(form, "text"),
            "adopted_on": value(form, "adopted_on"), "rows": _rows(form)})
        services.tracker.agreements.adopt(actor, **body.inputs())

    return _on_meeting(request, visitor, services, meeting_id, form, "agreement", adopt, "#agreements")


@router.post("/{meeting_id}/agreements/{agreement_id}/rows")
def add_row(meeting_id: UUID, agreement_id: UUID, request: Request, visitor: SignedInDep, form: FormDep,
            services: ServicesDep) -> Response:
    actor = coordinator_id(visitor)

    def add() -> None:
        row = checked(RowIn, {"activity": texts(form, "row_activity"), "lead_party_id": value(form, "row_lead"),
                              "partner_party_ids": values(form, "row_partners"), "timeframe": _due(form, "row_")})
        services.tracker.agreements.add_row(agreement_id, actor, row.input())

    return _on_meeting(request, visitor, services, meeting_id, form, "row", add, "#agreements")


@router.post("/{meeting_id}/agreements/{agreement_id}/commitments")
def commit_rows(meeting_id: UUID, agreement_id: UUID, request: Request, visitor: SignedInDep, form: FormDep,
                services: ServicesDep) -> Response:
    """One agreed commitment for each matrix row that has none yet: its activity, lead, partners and timeframe."""
    actor = coordinator_id(visitor)
    tracker = services.tracker
    agreement = tracker.agreements.get(agreement_id)
    made = services.catalogue.find_commitments(CommitmentFilter(agreement=agreement_id, limit=200)).items
    done = {c["provenance"].get("row_number") for c in made}
    for row in agreement.rows:
        if row["number"] in done:
            continue
        body = checked(CommitmentCreate, {"text": row["activity"], "lead_party_id": row["lead_party_id"],
                                          "supporting_party_ids": row["partner_party_ids"],
                                          "meeting_id": str(meeting_id), "agreement_id": str(agreement_id),
                                          "row_number": row["number"], "status": "agreed"})
        tracker.commitments.record(actor, **body.inputs())
    return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{meeting_id}#commitments", status_code=303)


@router.post("/{meeting_id}/commitment")
def record_commitment(meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep,
                      services: ServicesDep) -> Response:
    actor = coordinator_id(visitor)
    agreement, row = None, None
    source = value(form, "source")  # "<agreement id>" or "<agreement id>:<row number>"
    if source:
        agreement, _, row = source.partition(":")
        if row and not row.isdigit():
            raise InvalidValue("choose an agreement or one of its rows", "source")
    follow_up = None
    if value(form, "kind") == CommitmentKind.FOLLOW_UP_SESSION.value:
        follow_up = {"series": value(form, "follow_up_series"), "session_number": number(form, "follow_up_session")}
    made: list[str] = []

    def record() -> None:
        body = checked(CommitmentCreate, {
            "text": texts(form, "text"), "lead_party_id": value(form, "lead_party_id"),
            "supporting_party_ids": values(form, "supporting_party_ids"), "meeting_id": str(meeting_id),
            "kind": value(form, "kind"), "agreement_id": agreement, "row_number": int(row[:9]) if row else None,
            "quote": texts(form, "quote"), "due": _due(form, "due_"), "follow_up": follow_up,
            "status": value(form, "status"), "made_on": value(form, "made_on"), "review_on": value(form, "review_on"),
            "clause": value(form, "clause")})
        made.append(services.tracker.commitments.record(actor, **body.inputs()).id)

    answer = _on_meeting(request, visitor, services, meeting_id, form, "commitment", record, "#commitments")
    if made:  # say which one was recorded
        answer.headers["location"] = answer.headers["location"].replace("#commitments", f"?made={made[0]}#commitments")
    return answer
