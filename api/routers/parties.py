from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.dependencies import (
    AdminDep,
    AnyWriterDep,
    CatalogueDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ListsDep,
    ReaderDep,
    ServicesDep,
    TrackerDep,
    WriterDep,
)
from api.problems import PROBLEM_JSON
from api.responses import created, latest, page, resource
from api.routers.common import (
    AsOfQuery,
    AxisQuery,
    CursorQuery,
    HistoryLimit,
    LimitQuery,
    ManyQuery,
    SearchQuery,
    VersionQuery,
    history,
    many,
    timeline,
)
from api.schemas import (
    AliasesChange,
    ContactIn,
    DigestSent,
    History,
    LadderChange,
    PartyCreate,
    PartyPage,
    Timeline,
)
from application.listing.queries import PartyFilter, check_axis, instant
from application.views import KnownName, LadderView, PartyView, plain
from domain.parties.party import Party
from domain.text import SHORT_TEXT_MAX

router = APIRouter(prefix="/parties", tags=["parties"])


@router.post("", status_code=201, response_model=PartyView)
def register_party(
    body: PartyCreate, request: Request, services: ServicesDep, principal: WriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda _: tracker.parties.register(
            principal, body.names.input(), body.acronym, body.kind, body.parent_id, body.aliases
        ),
        lambda chosen: tracker.parties.get(chosen, version=1),
    )


@router.get("", response_model=PartyPage)
def list_parties(
    listing: ListsDep,
    principal: ReaderDep,
    kind: ManyQuery = [],  # noqa: B006
    parent: UUID | None = None,
    q: SearchQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> JSONResponse:
    """Parties in the order they were registered; filter by kind, parent, or words of their names;
    ``as_of`` an instant, as they stood then (on the effective axis a party is there from the start)."""
    return page(
        listing.parties(
            principal,
            PartyFilter.of(many(kind), q, limit, as_of, axis, parent=parent, cursor=cursor),
        )
    )


@router.get("/known-names", response_model=list[KnownName])
def known_names(name: Annotated[str, Query(max_length=SHORT_TEXT_MAX)], tracker: TrackerDep, _: ReaderDep) -> Response:
    """What the world's names (the gazetteer: states, cities, international organisations, in Arabic,
    English and French) know a name to be: each entry with its names, acronym and the other names reports
    use, to keep as the aliases of a party being registered. Nothing known: an empty list."""
    return JSONResponse([plain(known) for known in tracker.parties.known_names(name)])


@router.get("/{party_id}", response_model=PartyView)
def get_party(
    party_id: UUID,
    tracker: TrackerDep,
    catalogue: CatalogueDep,
    _: ReaderDep,
    version: VersionQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
) -> Response:
    """The party now; or at a ``version``; or ``as_of`` an instant, as it stood then."""
    if version is None and as_of is None:
        return latest(catalogue, tracker.histories.integrity, "party", party_id, lambda: tracker.parties.get(party_id))
    return resource(tracker.parties.get(party_id, version, instant(as_of, "as_of"), check_axis(axis)))


@router.get("/{party_id}/escalation-ladder", response_model=LadderView)
def party_ladder(party_id: UUID, tracker: TrackerDep, _: ReaderDep) -> LadderView:
    """The escalation ladder the commitments the party leads climb: its own (``own``), or else the
    deployment's (``COMMITMENTS_ESCALATION_LADDER``)."""
    return tracker.parties.ladder_of(party_id)


@router.put("/{party_id}/escalation-ladder", response_model=PartyView)
def keep_party_ladder(
    party_id: UUID, body: LadderChange, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """The party's own ladder for the commitments it leads: steps of days overdue, each later than the
    one before, and who is told (``steps: null``: the deployment's ladder again). Only a key not
    limited to some parties may change it: a party does not choose who is told of its own delays."""
    steps = None if body.steps is None else [(step.days, step.to) for step in body.steps]
    return resource(tracker.parties.keep_ladder(party_id, principal, steps, body.reason, version))


@router.put("/{party_id}/aliases", response_model=PartyView)
def keep_party_aliases(
    party_id: UUID, body: AliasesChange, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """The other names and spellings the party is found by, in any language and script (the common
    Arabic name of an organisation known by a Latin acronym: «الإنتربول», «انتربول»), in place of those
    kept before (``[]``: none). Searches, the parties list, spreadsheet imports and report drafts find
    the party by each; an alias two parties share names neither in an import or a draft. Its own name
    or acronym and a spelling given twice (as searches fold it) are dropped; the same aliases again are
    refused. Only a key not limited to some parties may change them."""
    return resource(tracker.parties.keep_aliases(party_id, principal, body.aliases, body.reason, version))


@router.post("/{party_id}/contacts", response_model=PartyView)
def keep_contact(
    party_id: UUID, body: ContactIn, tracker: TrackerDep, principal: AnyWriterDep, version: IfMatchDep
) -> JSONResponse:
    """Add a contact (its name, address, the language of its digests, how often: ``daily``,
    ``weekly`` or ``none``), or change the one with this address. A key limited to some parties
    keeps the contacts of those parties."""
    return resource(
        tracker.parties.keep_contact(
            party_id, principal, body.name, body.address, body.language, body.frequency, version
        )
    )


@router.delete("/{party_id}/contacts/{contact_id}", response_model=PartyView)
def remove_contact(
    party_id: UUID,
    contact_id: UUID,
    tracker: TrackerDep,
    principal: AnyWriterDep,
    version: IfMatchDep,
    reason: Annotated[str | None, Query(max_length=2000)] = None,
) -> JSONResponse:
    """The contact gets no more digests and is no longer listed (its history stays)."""
    return resource(tracker.parties.remove_contact(party_id, contact_id, principal, reason, version))


@router.post(
    "/{party_id}/contacts/{contact_id}/erasure",
    response_model=PartyView,
    summary="Erase a contact's personal data (admin)",
    responses={404: {"description": "the party never kept this contact", "content": {PROBLEM_JSON: {}}}},
)
def erase_contact(party_id: UUID, contact_id: UUID, tracker: TrackerDep, principal: AdminDep) -> JSONResponse:
    """Its name and address can no longer be read: a `ContactErased` event (its id, nothing of it) is recorded
    and the key its personal data was sealed with is deleted, so every event, view, export, bundle and backup
    restored afterwards shows it erased, while the audit chain still verifies. Its digests stop, and the party
    cannot keep its address again. A contact removed before can be erased too. Values recorded before personal
    data was sealed are hidden from every view (see the README)."""
    return resource(tracker.parties.erase_contact(party_id, contact_id, principal))


@router.get("/{party_id}/digests", response_model=list[DigestSent])
def party_digests(
    party_id: UUID, services: ServicesDep, principal: ReaderDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> JSONResponse:
    """The digests of the party's contacts, newest first: period, address, status (``sent``,
    ``empty``: nothing to tell, so not sent; ``failed``: tried again; ``sending``), attempts, Message-ID."""
    sent = services.digests_sent.of_party(principal, party_id, limit)
    return JSONResponse([{key: plain(value) for key, value in row.items()} for row in sent])


@router.get("/{party_id}/history", response_model=History)
def party_history(
    party_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    return history(
        party_id,
        lambda after, n: tracker.histories.events(Party, party_id, after, n),
        cursor,
        limit,
        tracker.histories.integrity.of(str(party_id)),
    )


@router.get("/{party_id}/timeline", response_model=Timeline)
def party_timeline(
    party_id: UUID,
    listing: ListsDep,
    principal: ReaderDep,
    cursor: CursorQuery = None,
    limit: HistoryLimit = 100,
) -> JSONResponse:
    """Merged history, in the order recorded: the party's own events, and those of the meetings it
    took part in, the agreements it adopted and the commitments it leads or supports."""
    return timeline(party_id, lambda offset, n: listing.party_timeline(principal, party_id, offset, n), cursor, limit)
