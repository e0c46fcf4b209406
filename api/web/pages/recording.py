"""Recording a meeting report, in one flow: who took part (parties found as one types, or recorded
on the way), the meeting, then its agreements and matrix rows, then its commitments.

Each form is one use case, the one its JSON route calls, with the same request schema: a form
that is refused stores nothing, and says why in the rule's own words."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import ImmutableMultiDict

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.schemas import (
    AgreementCreate,
    CommitmentCreate,
    MeetingCreate,
    PartyCreate,
    PeriodIn,
    RowIn,
)
from api.web.forms import Kept, checked, due, identifiers, number, texts, value, values
from api.web.page import attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor, recorder
from application.errors import ApplicationError
from application.listing.exports import TEXT_LANGUAGES
from application.listing.queries import AgreementFilter, CommitmentFilter, PartyFilter
from application.views import KnownName
from domain.commitments.promise import CommitmentKind
from domain.errors import InvalidValue
from domain.meetings.agreement import AgreementKind
from domain.meetings.meeting import MeetingKind, ParticipantRole
from domain.parties.party import PartyKind

router = APIRouter(prefix="/record")
ROWS = 5  # blank matrix rows offered by the agreement form


def _choices() -> dict[str, Any]:
    return {
        "meeting_kinds": [k.value for k in MeetingKind],
        "roles": [r.value for r in ParticipantRole],
        "party_kinds": [k.value for k in PartyKind],
        "agreement_kinds": [k.value for k in AgreementKind],
        "commitment_kinds": [k.value for k in CommitmentKind],
        "rows": ROWS,
    }


# -- step 1: who took part, and the meeting -----------------------------------------------------------
# One form: adding a party that took part, or recording a new one, shows the form again with every
# field kept as typed (the meeting's title and venue, the roles and persons of the participants).

PARTY_FIELDS = (
    "add",
    "acronym",
    "party_kind",
    "parent_id",
    *(f"name_{code}" for code in TEXT_LANGUAGES),
    "name_authentic",
    "aliases",
)


def _chosen_parties(services: Services, chosen_ids: list[UUID]) -> list[Any]:
    return [services.tracker.parties.get(party_id) for party_id in dict.fromkeys(chosen_ids)]


def meeting_form(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    chosen_ids: list[UUID],
    status: int = 200,
    refusal: dict[str, Any] | None = None,
    form: Any = None,
    known: KnownName | None | bool = False,
) -> HTMLResponse:
    """The first step, with the parties chosen so far; ``form``: what was typed, kept. A party just
    added is ticked as a participant; one the coordinator unticked stays unticked. ``known``: what the
    world's names know the new party's name to be (None: nothing; False: not asked)."""
    chosen = _chosen_parties(services, chosen_ids)
    posted = set() if form is None else {str(p) for p in identifiers(form, "with")}
    ticked = set() if form is None else set(values(form, "participant"))
    participating = {p.id for p in chosen if p.id in ticked or p.id not in posted}
    return page(
        request,
        visitor,
        "record_meeting.html",
        status,
        chosen=chosen,
        participating=participating,
        refusal=refusal,
        form=Kept(form),
        known=known,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
        **_choices(),
    )


@router.get("", response_class=HTMLResponse, name="record")
def start(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The first step; ``with`` names the parties chosen so far."""
    recorder(visitor)
    return meeting_form(request, visitor, services, identifiers(request.query_params, "with"))


def _found(services: Services, typed: str) -> UUID:
    """The party typed in the finder: its acronym or a name, or an option of the type-ahead."""
    try:
        return UUID(services.tracker.parties.id_of(typed, "add"))
    except ApplicationError:
        if " — " not in typed:
            raise
        return UUID(services.tracker.parties.id_of(typed.split(" — ", 1)[0], "add"))


@router.post("/add")
def add_party(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """A party that took part, found by acronym or name, added to the others; the form is kept."""
    recorder(visitor)
    chosen = identifiers(form, "with")
    typed = value(form, "add")

    def add() -> Response:
        added = [] if typed is None else [_found(services, typed)]
        return meeting_form(request, visitor, services, [*chosen, *added], form=_without(form, PARTY_FIELDS))

    return attempt(
        add,
        lambda status, refusal: meeting_form(
            request, visitor, services, chosen, status, refusal | {"form_name": "add"}, form
        ),
    )


@router.post("/party")
def record_party(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """A party met on the way, recorded (with its parent organisation, if any) and added to those who
    took part; the form is kept."""
    actor = recorder(visitor)
    chosen = identifiers(form, "with")

    def record() -> Response:
        body = checked(
            PartyCreate,
            {
                "names": texts(form, "name"),
                "acronym": value(form, "acronym"),
                "kind": value(form, "party_kind"),
                "parent_id": value(form, "parent_id"),
                "aliases": lines(form, "aliases"),
            },
        )
        made = services.tracker.parties.register(
            actor, body.names.input(), body.acronym, body.kind, body.parent_id, body.aliases
        )
        return meeting_form(request, visitor, services, [*chosen, UUID(made.id)], form=_without(form, PARTY_FIELDS))

    return attempt(
        record,
        lambda status, refusal: meeting_form(
            request, visitor, services, chosen, status, refusal | {"form_name": "party"}, form
        ),
    )


KNOWN_KINDS = {"state": "state", "organisation": "international_organisation"}  # the party a known name is


@router.post("/known-names")
def known_names(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """The new party's form again, filled with what the world's names know its name or acronym to be: its
    names in Arabic, English and French, its acronym, and the other names reports use as its aliases. What
    the coordinator typed is kept; nothing is recorded."""
    recorder(visitor)
    chosen = identifiers(form, "with")
    typed = [value(form, "acronym"), *(value(form, f"name_{code}") for code in TEXT_LANGUAGES)]
    known = next((found for name in typed if name for found in services.tracker.parties.known_names(name)), None)
    filled: dict[str, str] = {}  # the fields the known names fill; every other field is kept as sent
    if known is not None:
        for code, name in known.names.items():
            if code in TEXT_LANGUAGES and not value(form, f"name_{code}"):
                filled[f"name_{code}"] = name
        if known.acronym and not value(form, "acronym"):
            filled["acronym"] = known.acronym
        filled["aliases"] = "\n".join(dict.fromkeys([*lines(form, "aliases"), *known.aliases]))
        if known.kind in KNOWN_KINDS:
            filled["party_kind"] = KNOWN_KINDS[known.kind]
    kept = ImmutableMultiDict([*_without(form, tuple(filled)).multi_items(), *filled.items()])
    return meeting_form(request, visitor, services, chosen, form=kept, known=known)


def lines(form: Any, name: str) -> list[str]:
    """A textarea's lines, each trimmed, blank ones left out."""
    return [line.strip() for line in (value(form, name) or "").splitlines() if line.strip()]


def _without(form: Any, names: tuple[str, ...]) -> ImmutableMultiDict[str, Any]:
    """The form's fields but ``names``, each with every value it was sent with."""
    return ImmutableMultiDict([(name, sent) for name, sent in form.multi_items() if name not in names])


@router.post("/meeting")
def record_meeting(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    actor = recorder(visitor)
    participants = [
        {
            "party_id": party_id,
            "role": value(form, f"role_{party_id}") or "participant",
            "person": value(form, f"person_{party_id}"),
        }
        for party_id in values(form, "participant")
    ]
    venue = {
        "name": value(form, "venue_name"),
        "time_zone": value(form, "time_zone"),
        "city": value(form, "venue_city"),
        "country": value(form, "venue_country"),
    }

    def record() -> Response:
        body = checked(
            MeetingCreate,
            {
                "title": texts(form, "title"),
                "kind": value(form, "kind"),
                "series": value(form, "series"),
                "session_number": number(form, "session_number"),
                "scheduled": {"starts_on": value(form, "starts_on"), "ends_on": value(form, "ends_on")},
                "venue": {k: v for k, v in venue.items() if v is not None},
                "participants": participants,
            },
        )
        made = services.tracker.meetings.record(actor, **body.inputs())
        return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{made.id}", status_code=303)

    return attempt(
        record,
        lambda status, refusal: meeting_form(
            request, visitor, services, identifiers(form, "with"), status, refusal | {"form_name": "meeting"}, form
        ),
    )


# -- steps 2 and 3: the agreements of the meeting, then its commitments ----------------------------------


def meeting_step(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    meeting_id: UUID,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
    form: Any = None,
) -> HTMLResponse:
    tracker = services.tracker
    meeting = tracker.meetings.get(meeting_id)
    agreements = services.lists.agreements(visitor.principal, AgreementFilter.of(meeting=meeting_id, limit=200)).items
    made = services.lists.commitments(visitor.principal, CommitmentFilter(meeting=meeting_id, limit=200)).items
    made_rows = {(c["provenance"].get("agreement_id"), c["provenance"].get("row_number")) for c in made}
    days_past = (
        meeting.status == "scheduled"
        and (meeting.scheduled["ends_on"] or meeting.scheduled["starts_on"]) < tracker.records.now().date().isoformat()
    )
    return page(
        request,
        visitor,
        "record_meeting_step.html",
        status,
        m=meeting,
        agreements=agreements,
        commitments=made,
        made_rows=made_rows,
        refusal=refusal,
        form=Kept(form),
        propose_held=days_past,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
        **_choices(),
    )


@router.get("/{meeting_id}", response_class=HTMLResponse, name="record_meeting_step")
def meeting_page(meeting_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    recorder(visitor)
    return meeting_step(request, visitor, services, meeting_id)


def _rows(form: Any) -> list[dict[str, Any]]:
    rows = []
    for n in range(1, ROWS + 1):
        activity = texts(form, f"row{n}_activity")
        if activity is None:
            continue
        rows.append(
            {
                "activity": activity,
                "lead_party_id": value(form, f"row{n}_lead"),
                "partner_party_ids": values(form, f"row{n}_partners"),
                "timeframe": due(form, f"row{n}_"),
            }
        )
    return rows


def _on_meeting(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    meeting_id: UUID,
    form: Any,
    form_name: str,
    work: Callable[[], object],
    then: str,
) -> Response:
    """A form of the meeting's step page: on success, back to the page at ``then``; refused, the page
    again with the rule's words beside the form."""

    def carried_out() -> Response:
        work()
        return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{meeting_id}{then}", status_code=303)

    return attempt(
        carried_out,
        lambda status, refusal: meeting_step(
            request, visitor, services, meeting_id, status, refusal | {"form_name": form_name}, form
        ),
    )


@router.post("/{meeting_id}/held")
def hold(meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """The meeting was held as scheduled: its days are past (what the step page proposes)."""
    actor = recorder(visitor)

    def held() -> None:
        scheduled = services.tracker.meetings.get(meeting_id).scheduled
        period = checked(PeriodIn, {"starts_on": scheduled["starts_on"], "ends_on": scheduled["ends_on"]})
        services.tracker.meetings.hold(meeting_id, actor, period.input(), number(form, "version"))

    return _on_meeting(request, visitor, services, meeting_id, form, "held", held, "?done=held")


@router.post("/{meeting_id}/agreement")
def adopt_agreement(
    meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    actor = recorder(visitor)

    def adopt() -> None:
        body = checked(
            AgreementCreate,
            {
                "meeting_id": str(meeting_id),
                "title": texts(form, "title"),
                "kind": value(form, "kind"),
                "adopted_by": values(form, "adopted_by"),
                "text": texts(form, "text"),
                "adopted_on": value(form, "adopted_on"),
                "rows": _rows(form),
            },
        )
        services.tracker.agreements.adopt(actor, **body.inputs())

    return _on_meeting(request, visitor, services, meeting_id, form, "agreement", adopt, "#agreements")


@router.post("/{meeting_id}/agreements/{agreement_id}/rows")
def add_row(
    meeting_id: UUID, agreement_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    actor = recorder(visitor)

    def add() -> None:
        row = checked(
            RowIn,
            {
                "activity": texts(form, "row_activity"),
                "lead_party_id": value(form, "row_lead"),
                "partner_party_ids": values(form, "row_partners"),
                "timeframe": due(form, "row_"),
            },
        )
        services.tracker.agreements.add_row(agreement_id, actor, row.input())

    return _on_meeting(request, visitor, services, meeting_id, form, "row", add, "#agreements")


@router.post("/{meeting_id}/agreements/{agreement_id}/commitments")
def commit_rows(
    meeting_id: UUID, agreement_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """One agreed commitment for each matrix row that has none yet: its activity, lead, partners and timeframe."""
    actor = recorder(visitor)
    tracker = services.tracker
    agreement = tracker.agreements.get(agreement_id)
    made = services.lists.commitments(visitor.principal, CommitmentFilter(agreement=agreement_id, limit=200)).items
    done = {c["provenance"].get("row_number") for c in made}
    for row in agreement.rows:
        if row["number"] in done:
            continue
        body = checked(
            CommitmentCreate,
            {
                "text": row["activity"],
                "lead_party_id": row["lead_party_id"],
                "supporting_party_ids": row["partner_party_ids"],
                "meeting_id": str(meeting_id),
                "agreement_id": str(agreement_id),
                "row_number": row["number"],
                "status": "agreed",
            },
        )
        tracker.commitments.record(actor, **body.inputs())
    return RedirectResponse(f"{request.scope.get('root_path', '')}/record/{meeting_id}#commitments", status_code=303)


@router.post("/{meeting_id}/commitment")
def record_commitment(
    meeting_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    actor = recorder(visitor)
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
        body = checked(
            CommitmentCreate,
            {
                "text": texts(form, "text"),
                "lead_party_id": value(form, "lead_party_id"),
                "supporting_party_ids": values(form, "supporting_party_ids"),
                "meeting_id": str(meeting_id),
                "kind": value(form, "kind"),
                "agreement_id": agreement,
                "row_number": int(row[:9]) if row else None,
                "quote": texts(form, "quote"),
                "due": due(form, "due_"),
                "follow_up": follow_up,
                "status": value(form, "status"),
                "made_on": value(form, "made_on"),
                "review_on": value(form, "review_on"),
                "clause": value(form, "clause"),
            },
        )
        made.append(services.tracker.commitments.record(actor, **body.inputs()).id)

    answer = _on_meeting(request, visitor, services, meeting_id, form, "commitment", record, "#commitments")
    if made:  # say which one was recorded
        answer.headers["location"] = answer.headers["location"].replace("#commitments", f"?made={made[0]}#commitments")
    return answer
