from dataclasses import asdict
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from api import iati
from api.dependencies import (
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
)
from api.schemas import AgreementCreate, AgreementPage, ConfirmationRule, History, RowIn
from application.intake.imports import ImportReport
from application.listing.queries import AgreementFilter, check_axis, instant
from application.views import AgreementView
from domain.meetings.agreement import Agreement

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.post("", status_code=201, response_model=AgreementView)
def adopt_agreement(
    body: AgreementCreate, request: Request, services: ServicesDep, principal: WriterDep, key: IdempotencyKeyDep
) -> JSONResponse:
    tracker = services.tracker
    return created(
        request,
        services,
        principal,
        body,
        key,
        lambda chosen: tracker.agreements.adopt(principal, agreement_id=chosen, **body.inputs()),
        lambda chosen: tracker.agreements.get(chosen, version=1),
    )


@router.get("", response_model=AgreementPage)
def list_agreements(
    listing: ListsDep,
    principal: ReaderDep,
    kind: ManyQuery = [],  # noqa: B006
    meeting: UUID | None = None,
    party: UUID | None = None,
    q: SearchQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> JSONResponse:
    """Agreements in the order they were recorded; filter by kind, meeting, adopting party or words;
    ``as_of`` an instant, as they stood then."""
    return page(
        listing.agreements(
            principal,
            AgreementFilter.of(many(kind), q, limit, as_of, axis, meeting=meeting, party=party, cursor=cursor),
        )
    )


@router.get("/{agreement_id}", response_model=AgreementView)
def get_agreement(
    agreement_id: UUID,
    tracker: TrackerDep,
    catalogue: CatalogueDep,
    _: ReaderDep,
    version: VersionQuery = None,
    as_of: AsOfQuery = None,
    axis: AxisQuery = "recorded",
) -> Response:
    """The agreement now; or at a ``version``; or ``as_of`` an instant, as it stood then."""
    if version is None and as_of is None:
        return latest(
            catalogue,
            tracker.histories.integrity,
            "agreement",
            agreement_id,
            lambda: tracker.agreements.get(agreement_id),
        )
    return resource(tracker.agreements.get(agreement_id, version, instant(as_of, "as_of"), check_axis(axis)))


@router.get("/{agreement_id}/history", response_model=History)
def agreement_history(
    agreement_id: UUID, tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    return history(
        agreement_id,
        lambda after, n: tracker.histories.events(Agreement, agreement_id, after, n),
        cursor,
        limit,
        tracker.histories.integrity.of(str(agreement_id)),
    )


@router.put("/{agreement_id}/confirmation", response_model=AgreementView, summary="Set its rule of confirmation")
def set_confirmation(
    agreement_id: UUID, body: ConfirmationRule, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """Whether the changes of its commitments that bind their other parties wait for their word whoever makes
    them (`required`), or only when one party makes them (`none`); and the days after which silence is consent
    (a `ConfirmationRuleSet` event). Changes already waiting keep the silence period they were given."""
    return resource(
        tracker.agreements.set_confirmation(
            agreement_id, principal, body.confirmation, body.silence_days, body.reason, version
        )
    )


@router.post("/{agreement_id}/rows", response_model=AgreementView)
def add_matrix_row(
    agreement_id: UUID, body: RowIn, tracker: TrackerDep, principal: WriterDep, version: IfMatchDep
) -> JSONResponse:
    """Add a row (activity, lead party, partners, timeframe) to an action matrix."""
    return resource(tracker.agreements.add_row(agreement_id, principal, body.input(), version))


@router.get(
    "/{agreement_id}/iati",
    response_class=Response,
    responses={
        200: {
            "description": "IATI 2.03 activities, one per commitment of the agreement",
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
def agreement_as_iati(agreement_id: UUID, services: ServicesDep, _: ReaderDep) -> Response:
    """The agreement's commitments as IATI 2.03 activities (``iati-activities`` XML, valid against the
    standard's schema); the mapping of parties, statuses and dates is documented in the README. An
    agreement with no commitment yet is 404: an IATI file holds one activity at least."""
    return iati.download(services, agreement_id)


@router.post(
    "/{agreement_id}/imports",
    response_model=ImportReport,
    responses={
        422: {
            "description": "the file cannot be read, lacks a column this import needs, or a value is not valid",
            "content": {PROBLEM_JSON: {}},
        },
        412: {
            "description": "the records changed since the dry run whose plan was given",
            "content": {PROBLEM_JSON: {}},
        },
    },
)
def import_matrix(
    agreement_id: UUID,
    services: ServicesDep,
    principal: WriterDep,
    file: Annotated[UploadFile, File(description="the matrix as CSV (UTF-8, comma or semicolon) or XLSX")],
    dry_run: Annotated[bool, Form(description="only say what the import would do (the default)")] = True,
    language: Annotated[
        str,
        Form(
            max_length=35,
            description="the language of texts in columns that name none; Arabic script is read as Arabic",
        ),
    ] = "en",
    status: Annotated[Literal["draft", "agreed", "noted"], Form(description="how new rows are recorded")] = "draft",
    plan: Annotated[
        str | None,
        Form(max_length=64, description="the dry run's plan: the import is refused if its outcomes differ now"),
    ] = None,
) -> JSONResponse:
    """Import an action matrix: one commitment per row of the agreement, its identity derived from
    the agreement and the row's key. The headers (Arabic, English or French) are mapped by the
    documented table and shown back; parties are matched by acronym or name, never created. A dry
    run (the default) gives each row's outcome (new, unchanged, changed and which fields, refused
    and why) and stores nothing; ``dry_run=false`` stores the accepted rows, in batches of 500,
    each whole or not at all: ``stopped`` names a batch that failed, and importing again resumes."""
    table = services.spreadsheets.read(file.file.read(), file.filename or "upload")
    report = services.imports.run(
        principal, agreement_id, table, dry_run=dry_run, language=language, status=status, expected_plan=plan
    )
    return JSONResponse(asdict(report), status_code=200 if report.stopped is None else 503)
