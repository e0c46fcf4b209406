"""Commitments: record, read, list, history, and one endpoint per lifecycle action.

Every action answers with the commitment as it now stands and its new ``ETag``;
send that ETag back as ``If-Match`` to be sure nobody changed it in between.
"""

from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Annotated, Literal
from uuid import UUID

from anyio import to_thread
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from api import exports, update_sheets
from api.dependencies import (
    AdminDep,
    AnyWriterDep,
    CatalogueDep,
    CommitmentWriterDep,
    IdempotencyKeyDep,
    IfMatchDep,
    ListsDep,
    ReaderDep,
    ServicesDep,
    TrackerDep,
    WriterDep,
)
from api.problems import PROBLEM_JSON
from api.responses import created, download, latest, page, resource
from api.routers.common import (
    AsOfQuery,
    AxisQuery,
    CursorQuery,
    HistoryLimit,
    InstantQuery,
    LimitQuery,
    ManyQuery,
    SearchQuery,
    VersionQuery,
    history,
    many,
)
from api.schemas import (
    Assessment,
    CommentHiding,
    CommentIn,
    CommitmentCreate,
    CommitmentPage,
    Correction,
    Delivery,
    DueRevision,
    EvidenceVisibility,
    History,
    Objecting,
    PartyWord,
    ProgressReport,
    Reasoned,
    ReviewSchedule,
    Supersession,
    Suspension,
    ThemesChoice,
    WeightChange,
    evidence_values,
)
from api.web.page import actor_names
from application.listing import exports as exported
from application.listing.queries import CommitmentFilter, check_axis, instant
from application.records.commitments import REASONED
from application.views import CommitmentView
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import Action, describe
from domain.theme import theme_code

router = APIRouter(prefix="/commitments", tags=["commitments"])


@router.post("", status_code=201, response_model=CommitmentView)
def record_commitment(
    body: CommitmentCreate, request: Request, services: ServicesDep, principal: AnyWriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda chosen: tracker.commitments.record(principal, commitment_id=chosen, **body.inputs()),
        lambda chosen: tracker.commitments.get(chosen, version=1),
    )


def commitment_query(
    status: ManyQuery = [],  # noqa: B006
    kind: ManyQuery = [],  # noqa: B006
    party: Annotated[UUID | None, Query(description="leads or supports")] = None,
    lead_party: UUID | None = None,
    supporting_party: UUID | None = None,
    meeting: UUID | None = None,
    agreement: UUID | None = None,
    due_before: InstantQuery = None,
    due_after: InstantQuery = None,
    overdue: bool | None = None,
    due_soon: bool | None = None,
    has_due: Annotated[bool | None, Query(description="false: the open-ended commitments (no due)")] = None,
    review_due: Annotated[bool | None, Query(description="whose review day has come")] = None,
    escalated: Annotated[bool | None, Query(description="a step of its escalation ladder reached")] = None,
    escalated_to: Annotated[UUID | None, Query(description="its escalation has told this party")] = None,
    theme: Annotated[
        list[str], Query(description="carries one of these themes (codes; repeat, or separate with commas)")
    ] = [],  # noqa: B006
    q: SearchQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
    sort: Annotated[
        str,
        Query(description="recorded, due or -due (open-ended commitments come after every due, or first with -due)"),
    ] = "recorded",
) -> CommitmentFilter:
    """The filters of a list of commitments (and of its export)."""
    return CommitmentFilter.of(
        many(status),
        many(kind),
        due_before,
        due_after,
        q,
        sort,
        50,
        as_of,
        axis,
        party=party,
        lead_party=lead_party,
        supporting_party=supporting_party,
        meeting=meeting,
        agreement=agreement,
        overdue=overdue,
        due_soon=due_soon,
        has_due=has_due,
        review_due=review_due,
        escalated=escalated,
        escalated_to=escalated_to,
        themes=[theme_code(code, "theme") for code in many(theme)],
    )


CommitmentQuery = Annotated[CommitmentFilter, Depends(commitment_query)]


@router.get("", response_model=CommitmentPage)
def list_commitments(
    listing: ListsDep,
    principal: ReaderDep,
    query: CommitmentQuery,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
    total: Annotated[
        Literal["bounded", "exact"],
        Query(
            description="bounded (the default): matches are counted up "
            "to 10,000 (total_exact false past it); exact: all"
        ),
    ] = "bounded",
) -> JSONResponse:
    """Commitments matching every filter given, with their total count, a page at a time."""
    return page(
        listing.commitments(principal, replace(query, cursor=cursor, limit=limit, exact_total=total == "exact"))
    )


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "description": "every commitment the filters match, one per row (CSV, XLSX) or line (JSON Lines)",
            "content": {
                exports.CSV: {"schema": {"type": "string"}},
                exports.XLSX: {"schema": {"type": "string", "format": "binary"}},
                exports.JSONL: {"schema": {"type": "string"}},
            },
        },
        406: {
            "description": "none of the formats asked for in Accept is offered",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    },
)
def export_commitments(
    request: Request,
    services: ServicesDep,
    catalogue: CatalogueDep,
    tracker: TrackerDep,
    _: ReaderDep,
    query: CommitmentQuery,
    format: Annotated[
        Literal["csv", "xlsx", "jsonl"] | None,
        Query(  # noqa: A002 - the parameter's public name
            description="csv, xlsx or jsonl; without it, the first of Accept offered here"
        ),
    ] = None,
    rtl: Annotated[bool, Query(description="XLSX: the sheet reads right to left (Arabic)")] = False,
    lang: Annotated[
        Literal["ar", "en", "fr"],
        Query(
            description="the language of the words that name the service's own actors (the scheduler, an erased person)"
        ),
    ] = "en",
) -> Response:
    """Every commitment the filters of ``GET /commitments`` match, streamed: CSV (UTF-8 with a BOM, for
    spreadsheets), XLSX or JSON Lines (every field). The columns of CSV and XLSX are documented in the README."""
    media = exports.chosen(format, request.headers.get("accept"))
    return exports.streamed(
        media,
        exported.matching(tracker.histories, catalogue, query),
        exported.Names(tracker.parties.get, tracker.meetings.get, actor_names(services, lang)),
        rtl,
    )


@router.get(
    "/update-sheet",
    response_class=Response,
    responses={
        200: {"content": {update_sheets.XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        404: {"description": "no party with this id", "content": {PROBLEM_JSON: {}}},
    },
    summary="A party's update sheet (XLSX)",
)
def update_sheet(
    party: UUID,
    services: ServicesDep,
    principal: ReaderDep,
    lang: Annotated[Literal["ar", "en", "fr"], Query(description="the language of its help and its direction")] = "en",
) -> Response:
    """The party's open commitments (it leads or supports them) as an XLSX sheet to fill in: status (a list of
    the statuses), progress, note, evidence link, a requested new due and a reason; a second sheet says what
    each column and status means. Bring it back with ``POST /commitments/update-sheet``."""
    return update_sheets.party_sheet(services, principal, party, lang)


@router.post(
    "/update-sheet",
    summary="Update commitments from a filled-in update sheet",
    responses={422: {"description": "the file cannot be read, or has no id column", "content": {PROBLEM_JSON: {}}}},
)
def import_update_sheet(
    services: ServicesDep,
    principal: AnyWriterDep,
    file: Annotated[UploadFile, File(description="the update sheet, as XLSX or CSV")],
    dry_run: Annotated[bool, Form(description="only say what it would change (the default)")] = True,
) -> JSONResponse:
    """Each row's changes (before → after) or why the lifecycle refuses them; with ``dry_run=false`` the
    accepted changes are recorded through the same use cases as the API (progress, then status, then due),
    with the file as the reason: a change that binds other parties waits for their word (``waits``)."""
    table = services.spreadsheets.read(file.file.read(), file.filename or "update-sheet.xlsx")
    report = services.update_sheets.run(principal, table, dry_run)
    return JSONResponse(
        {
            "name": report.name,
            "dry_run": report.dry_run,
            "counts": report.counts,
            "rows": [asdict(row) for row in report.rows],
        }
    )


@router.get("/{commitment_id}", response_model=CommitmentView)
async def get_commitment(
    commitment_id: UUID,
    request: Request,
    tracker: TrackerDep,
    catalogue: CatalogueDep,
    _: ReaderDep,
    version: VersionQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
) -> Response:
    """The commitment now; or at a ``version``; or ``as_of`` an instant, exactly as it stood then.
    The database is read in a thread, never on the event loop (decision 0053): the commitment now
    (one indexed read of its read-model document, decision 0038) in the process's reading thread,
    where such reads wait their turn in order; an earlier state, replayed from its events, in the
    thread pool of the other routes."""
    if version is None and as_of is None:
        return await to_thread.run_sync(
            lambda: latest(
                catalogue,
                tracker.histories.integrity,
                "commitment",
                commitment_id,
                lambda: tracker.commitments.get(commitment_id),
            ),
            limiter=request.state.reads,
        )
    return await to_thread.run_sync(
        lambda: resource(tracker.commitments.get(commitment_id, version, instant(as_of, "as_of"), check_axis(axis)))
    )


@router.get("/{commitment_id}/history", response_model=History)
def commitment_history(
    commitment_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    """Every event of the commitment in order: type, version, recorded time, actor, payload."""
    return history(
        commitment_id,
        lambda after, n: tracker.histories.events(Commitment, commitment_id, after, n),
        cursor,
        limit,
        tracker.histories.integrity.of(str(commitment_id)),
    )


@router.post(
    "/{commitment_id}/suspend",
    response_model=CommitmentView,
    summary="Suspend it by a decision",
    description=describe(Action.SUSPEND),
)
def suspend(
    commitment_id: UUID, body: Suspension, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(
        tracker.commitments.suspend(commitment_id, principal, body.decision_reference, body.reason, version)
    )


@router.post(
    "/{commitment_id}/deliver",
    response_model=CommitmentView,
    summary="Claim it delivered, with evidence",
    description=describe(Action.DELIVER),
)
def deliver(
    commitment_id: UUID, body: Delivery, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(
        tracker.commitments.deliver(
            commitment_id, principal, evidence_values(body.evidence), body.delivered_on, body.note, version
        )
    )


@router.post(
    "/{commitment_id}/assess", response_model=CommitmentView, summary="Assess it", description=describe(Action.ASSESS)
)
def assess(
    commitment_id: UUID, body: Assessment, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(tracker.commitments.assess(commitment_id, principal, body.outcome, body.reason, version))


@router.post(
    "/{commitment_id}/supersede",
    response_model=CommitmentView,
    summary="Supersede it by a commitment of a later meeting",
    description=describe(Action.SUPERSEDE),
)
def supersede(
    commitment_id: UUID, body: Supersession, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(
        tracker.commitments.supersede(
            commitment_id, principal, body.new_commitment_id, body.meeting_id, body.reason, version
        )
    )


@router.post(
    "/{commitment_id}/progress",
    response_model=CommitmentView,
    summary="Report progress",
    description=describe(Action.REPORT_PROGRESS),
)
def report_progress(
    commitment_id: UUID, body: ProgressReport, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(
        tracker.commitments.report_progress(
            commitment_id, principal, body.percent, body.note, evidence_values(body.evidence), version
        )
    )


@router.post(
    "/{commitment_id}/due",
    response_model=CommitmentView,
    summary="Revise the due",
    description=describe(Action.REVISE_DUE) + " The first due of an open-ended commitment needs none; "
    "a null due leaves it open-ended.",
)
def revise_due(
    commitment_id: UUID, body: DueRevision, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    due = None if body.due is None else body.due.input()
    return resource(tracker.commitments.revise_due(commitment_id, principal, due, body.reason, version))


@router.post(
    "/{commitment_id}/review",
    response_model=CommitmentView,
    summary="Set or remove the review day",
    description=describe(Action.SCHEDULE_REVIEW),
)
def schedule_review(
    commitment_id: UUID, body: ReviewSchedule, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(tracker.commitments.schedule_review(commitment_id, principal, body.review_on, body.reason, version))


@router.put("/{commitment_id}/themes", response_model=CommitmentView, summary="Choose the themes it carries")
def choose_themes(
    commitment_id: UUID, body: ThemesChoice, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    """The themes it carries from now on, codes of the list (``GET /themes``); none: it carries none.
    A retired theme stays if it carries it already, and cannot be chosen anew."""
    return resource(tracker.themes.choose(commitment_id, principal, body.themes, body.reason, version))


@router.put(
    "/{commitment_id}/evidence/{number}/visibility",
    response_model=CommitmentView,
    summary="Make a piece of evidence public or internal",
)
def show_evidence(
    commitment_id: UUID,
    number: Annotated[int, Path(ge=1, le=100_000)],
    body: EvidenceVisibility,
    tracker: TrackerDep,
    principal: CommitmentWriterDep,
    version: IfMatchDep,
) -> JSONResponse:
    """Evidence is internal unless marked public, whenever it was reported: the public pages of a published
    agreement, series or party show only the evidence marked so. ``number`` counts the commitment's evidence
    from 1, in the order it was reported. Asking for what is so already stores nothing."""
    return resource(
        tracker.commitments.show_evidence(commitment_id, principal, number, body.public, body.reason, version)
    )


@router.get(
    "/{commitment_id}/evidence/{number}/file",
    summary="Download the file a piece of evidence cites",
    response_class=Response,
    responses={
        200: {"description": "the file's bytes, as kept", "content": {"application/octet-stream": {}}},
        404: {"description": "no such evidence, it cites no file, or the file is gone", "content": {PROBLEM_JSON: {}}},
    },
)
def evidence_file(
    commitment_id: UUID, number: Annotated[int, Path(ge=1, le=100_000)], tracker: TrackerDep, principal: ReaderDep
) -> Response:
    """The bytes of the file, as kept under its SHA-256 (the `ETag`): an image is shown, any other file is
    downloaded under the name it was sent with."""
    return download(*tracker.commitments.evidence_file(commitment_id, principal, number))


@router.post("/{commitment_id}/comments", response_model=CommitmentView, summary="Comment on a commitment")
def comment(
    commitment_id: UUID, body: CommentIn, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    """A message in its thread (a `Commented` event), in any state, by a key that may change it (a key
    limited to some parties, on what they lead or support). Its `mentions` name parties whose contacts are
    told in their next e-mail. The thread is the commitment's `comments`, numbered from 1."""
    return resource(
        tracker.commitments.comment(
            commitment_id, principal, body.text, body.language, body.mentions, version, body.cited()
        )
    )


@router.get(
    "/{commitment_id}/comments/{number}/files/{index}",
    summary="Download a file a comment carries",
    response_class=Response,
    responses={
        200: {"description": "the file's bytes, as kept", "content": {"application/octet-stream": {}}},
        404: {
            "description": "no such comment or file, the comment is hidden, or the file is gone",
            "content": {PROBLEM_JSON: {}},
        },
    },
)
def comment_file(
    commitment_id: UUID,
    number: Annotated[int, Path(ge=1, le=100_000)],
    index: Annotated[int, Path(ge=1, le=100)],
    tracker: TrackerDep,
    principal: ReaderDep,
) -> Response:
    """A file the comment numbered `number` carries (its files counted from 1), as kept under its SHA-256."""
    return download(*tracker.commitments.comment_file(commitment_id, principal, number, index))


@router.post(
    "/{commitment_id}/comments/{number}/hiding",
    response_model=CommitmentView,
    summary="Hide a comment (admin)",
)
def hide_comment(
    commitment_id: UUID,
    number: Annotated[int, Path(ge=1, le=100_000)],
    body: CommentHiding,
    tracker: TrackerDep,
    principal: AdminDep,
    version: IfMatchDep,
) -> JSONResponse:
    """An admin hides a comment from the thread, with a reason (a `CommentHidden` event): the thread then
    shows that it was hidden, by whom and why; its words stay in the history, for the audit."""
    return resource(tracker.commitments.hide_comment(commitment_id, principal, number, body.reason, version))


@router.post(
    "/{commitment_id}/confirmation", response_model=CommitmentView, summary="Confirm the change waiting for your word"
)
def confirm(commitment_id: UUID, body: PartyWord, tracker: TrackerDep, principal: AnyWriterDep) -> JSONResponse:
    """An awaited party confirms the pending change (a `ConfirmationGiven` event), by its own key (a key limited
    to it); when every awaited party has, the change takes effect (`Confirmed`), on the effective axis from the
    day it was declared. `party_id` is needed only by a key limited to several awaited parties."""
    return resource(tracker.commitments.confirm(commitment_id, principal, body.party_id))


@router.post("/{commitment_id}/objection", response_model=CommitmentView, summary="Object to the pending change")
def object_to(commitment_id: UUID, body: Objecting, tracker: TrackerDep, principal: AnyWriterDep) -> JSONResponse:
    """An awaited party objects, with its reason (a `Disputed` event): the change waits until the objection is
    withdrawn or an admin overrules it; silence no longer makes it take effect."""
    return resource(tracker.commitments.object_to(commitment_id, principal, body.reason, body.party_id))


@router.post("/{commitment_id}/objection/withdrawal", response_model=CommitmentView, summary="Withdraw an objection")
def withdraw_objection(
    commitment_id: UUID, body: PartyWord, tracker: TrackerDep, principal: AnyWriterDep
) -> JSONResponse:
    return resource(tracker.commitments.withdraw_objection(commitment_id, principal, body.party_id))


@router.post("/{commitment_id}/overruling", response_model=CommitmentView, summary="Overrule (admin)")
def overrule(commitment_id: UUID, body: Reasoned, tracker: TrackerDep, principal: AdminDep) -> JSONResponse:
    """An admin makes the pending change take effect, with a reason: a dispute settled, or a party no one can
    reach (`Confirmed` with `by: admin`)."""
    return resource(tracker.commitments.overrule(commitment_id, principal, body.reason))


@router.post(
    "/{commitment_id}/pending/withdrawal", response_model=CommitmentView, summary="Withdraw the pending change"
)
def withdraw_change(commitment_id: UUID, body: Reasoned, tracker: TrackerDep, principal: AnyWriterDep) -> JSONResponse:
    """Whoever declared the pending change, or an admin, withdraws it (`ChangeWithdrawn`): nothing of it
    takes effect."""
    return resource(tracker.commitments.withdraw_change(commitment_id, principal, body.reason))


@router.put("/{commitment_id}/weight", response_model=CommitmentView, summary="Set its weight in roll-ups")
def reweigh(
    commitment_id: UUID, body: WeightChange, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """Its weight in the roll-ups of its matrix, agreement, meeting, series and party (``null``: 1, as
    every other), with a reason. Only a key not limited to some parties may weigh a commitment."""
    return resource(tracker.commitments.reweigh(commitment_id, principal, body.weight, body.reason, version))


@router.post(
    "/{commitment_id}/correction",
    response_model=CommitmentView,
    summary="Correct what the record says",
    description="Correct the text, the parties or the notes where they were written wrong, in any state, "
    "with a reason (a `Corrected` event naming the fields); what is not given stays. A new due "
    "is a revision of the due, not a correction.",
)
def correct(
    commitment_id: UUID, body: Correction, tracker: TrackerDep, principal: CommitmentWriterDep, version: IfMatchDep
) -> JSONResponse:
    return resource(tracker.commitments.correct(commitment_id, principal, expected_version=version, **body.inputs()))


def _reasoned_route(action: Action) -> Callable[..., JSONResponse]:
    def route(
        commitment_id: UUID,
        tracker: TrackerDep,
        principal: CommitmentWriterDep,
        version: IfMatchDep,
        body: Reasoned | None = None,
    ) -> JSONResponse:
        reason = None if body is None else body.reason
        return resource(tracker.commitments.act(action, commitment_id, principal, reason, version))

    return route


for _action in REASONED:  # one route each, described by the lifecycle's own table
    router.add_api_route(
        f"/{{commitment_id}}/{_action.value.replace('_', '-')}",
        _reasoned_route(_action),
        methods=["POST"],
        response_model=CommitmentView,
        name=f"{_action.value}_commitment",
        summary="Reject the delivery" if _action is Action.REJECT_DELIVERY else f"{_action.value.capitalize()} it",
        description=describe(_action),
    )
