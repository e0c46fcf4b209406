"""Commitments: the list with every filter of ``GET /commitments`` and search, one commitment with
its provenance, history, deliveries and the actions its state allows, as of any date on both axes."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import (
    HTMLResponse,
    RedirectResponse,
    Response,
)
from starlette.datastructures import FormData, UploadFile

from api import exports
from api.bootstrap import Services
from api.dependencies import (
    CatalogueDep,
    ServicesDep,
    TrackerDep,
)
from api.responses import download
from api.schemas import (
    Assessment,
    CommentHiding,
    CommentIn,
    Delivery,
    DueRevision,
    ProgressReport,
    Reasoned,
    ReviewSchedule,
    Supersession,
    Suspension,
    ThemesChoice,
    evidence_values,
)
from api.web import i18n
from api.web.forms import (
    Kept,
    checked,
    due,
    evidence,
    flag,
    identifier,
    number,
    value,
    values,
)
from api.web.labels import N_, labeller
from api.web.page import actor_names, attempt, page
from api.web.visitors import FormDep, SignedInDep, SignedInVisitor
from application.listing import exports as exported
from application.listing.queries import CommitmentFilter, PartyFilter, check_axis, instant
from application.records.commitments import REASONED
from application.views import CommitmentView
from domain.access import Principal
from domain.commitments.commitment import Commitment
from domain.commitments.lifecycle import ALSO_NEEDS, LEADS_TO, REASON_NEEDED_FROM, Action, Status
from domain.errors import InvalidValue
from domain.theme import theme_code

router = APIRouter(prefix="/commitments")
FILTERS = (
    "q",
    "status",
    "kind",
    "party",
    "lead_party",
    "supporting_party",
    "meeting",
    "agreement",
    "due_before",
    "due_after",
    "overdue",
    "due_soon",
    "has_due",
    "review_due",
    "escalated",
    "theme",
    "as_of",
    "axis",
    "sort",
    "limit",
)


def commitment_filter(params: Any) -> CommitmentFilter:
    """The filters of the list page's form, read as ``GET /commitments`` reads its query."""
    return CommitmentFilter.of(
        values(params, "status"),
        values(params, "kind"),
        value(params, "due_before"),
        value(params, "due_after"),
        value(params, "q"),
        value(params, "sort") or "recorded",
        number(params, "limit") or 50,
        value(params, "as_of"),
        value(params, "axis") or "recorded",
        cursor=value(params, "cursor"),
        party=identifier(params, "party"),
        lead_party=identifier(params, "lead_party"),
        supporting_party=identifier(params, "supporting_party"),
        meeting=identifier(params, "meeting"),
        agreement=identifier(params, "agreement"),
        overdue=flag(params, "overdue"),
        due_soon=flag(params, "due_soon"),
        has_due=flag(params, "has_due"),
        review_due=flag(params, "review_due"),
        escalated=flag(params, "escalated"),
        themes=[theme_code(code, "theme") for code in values(params, "theme")],
    )


@router.get("", response_class=HTMLResponse, name="commitments")
def commitment_list(request: Request, visitor: SignedInDep, services: ServicesDep, tracker: TrackerDep) -> HTMLResponse:
    params = request.query_params
    found = services.lists.commitments(visitor.principal, commitment_filter(params))
    kept = [(name, v) for name in FILTERS for v in params.getlist(name) if v.strip()]
    return page(
        request,
        visitor,
        "commitments.html",
        found=found,
        params=params,
        kept=kept,
        all_parties=services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items,
        themes=tracker.themes.listed(),
    )


@router.get("/export", name="export_commitments")
def export(request: Request, visitor: SignedInDep, catalogue: CatalogueDep, tracker: TrackerDep) -> Response:
    """The list's commitments, every one the filters match, as the JSON API's export gives them."""
    params = request.query_params
    media = exports.chosen(value(params, "format") if value(params, "format") in exports.FORMATS else "csv", None)
    return exports.streamed(
        media,
        exported.matching(tracker.histories, catalogue, commitment_filter(params)),
        exported.Names(
            tracker.parties.get, tracker.meetings.get, actor_names(request.state.services, visitor.language)
        ),
        visitor.language == "ar",
    )


LIKELY = (Action.REPORT_PROGRESS, Action.DELIVER, Action.REVISE_DUE)  # what a coordinator does most, shown first


def rule_of(language: str, current: Status) -> Callable[[Action], str]:
    """An action's rule in the reader's words: the status it leads to, what it needs, whether a
    reason is needed from the current status (``domain.commitments.lifecycle``'s tables)."""
    translate = i18n.translations(language).gettext
    label = labeller(translate)

    def rule(action: Action) -> str:
        if action is Action.ASSESS:
            words = [translate(N_("Its status becomes fulfilled, partially fulfilled or not fulfilled."))]
        elif action in LEADS_TO:
            words = [
                translate(N_("Its status becomes %(status)s.")) % {"status": label("status", LEADS_TO[action].value)}
            ]
        else:
            words = [translate(N_("Its status stays as it is."))]
        if action in ALSO_NEEDS:
            words.append(label("needs", action.value))
        if current in REASON_NEEDED_FROM.get(action, ()):
            words.append(translate(N_("A reason is needed.")))
        return " ".join(words)

    return rule


def _may_change(visitor: SignedInVisitor, view: CommitmentView) -> bool:
    return visitor.may_change_commitment_of([view.lead_party_id, *view.supporting_party_ids])


def commitment_page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    commitment_id: UUID,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
) -> HTMLResponse:
    tracker = services.tracker
    params = request.query_params
    as_of, axis = value(params, "as_of"), check_axis(value(params, "axis") or "recorded")
    at = instant(as_of, "as_of")
    current = tracker.commitments.get(commitment_id)
    view = current if at is None else tracker.commitments.as_of(commitment_id, at, axis)
    if view is None:  # asked for a day before it was recorded (or made): the page says so, with the picker
        return page(
            request,
            visitor,
            "commitment_not_yet.html",
            200,
            c=current,
            as_of=as_of,
            axis=axis,
            meeting=tracker.meetings.get(current.provenance["meeting_id"]),
        )
    meeting = tracker.meetings.get(view.provenance["meeting_id"])
    agreement = tracker.agreements.get(view.provenance["agreement_id"]) if view.provenance.get("agreement_id") else None
    deliveries, _ = services.webhooks.deliveries_for(visitor.principal, commitment_id, limit=50)
    actions = [Action(a) for a in current.allowed_actions] if at is None and _may_change(visitor, current) else []
    themes = tracker.themes.listed()
    return page(
        request,
        visitor,
        "commitment.html",
        status,
        c=view,
        current=current,
        meeting=meeting,
        themes={theme.code: theme for theme in themes},
        may_choose_themes=at is None and bool(themes) and _may_change(visitor, current),
        may_show_evidence=at is None and _may_change(visitor, current),
        may_comment=at is None and _may_change(visitor, current),
        answers_for=[
            p
            for p in (current.pending or {}).get("awaiting", [])
            if visitor.principal.party_scope is not None and p in visitor.principal.party_scope
        ]
        if at is None
        else [],
        may_withdraw_pending=at is None
        and current.pending is not None
        and (visitor.can_administer or current.pending["proposed_by"] == visitor.principal.id),
        may_hide_comments=at is None and visitor.can_administer,
        parties_listed=(
            services.lists.parties(visitor.principal, PartyFilter.of(limit=200)).items
            if at is None and _may_change(visitor, current)
            else []
        ),
        agreement=agreement,
        as_of=as_of,
        axis=axis,
        history=tracker.histories.events(Commitment, commitment_id),
        changes=tracker.histories.changes(Commitment, commitment_id),
        deliveries=deliveries,
        actions=actions,
        likely=LIKELY,
        refusal=refusal,
        Action=Action,
        rule=rule_of(visitor.language, Status(current.status)),
        reason_needed=lambda action: Status(current.status) in REASON_NEEDED_FROM.get(action, ()),
    )


@router.get("/{commitment_id}", response_class=HTMLResponse, name="commitment")
def commitment(commitment_id: UUID, request: Request, visitor: SignedInDep, services: ServicesDep) -> HTMLResponse:
    return commitment_page(request, visitor, services, commitment_id)


def _carry_out(action: Action, commitment_id: UUID, form: FormData, actor: Principal, services: Services) -> None:
    """The action asked for by a form, through the same use case as its JSON route; a file chosen as evidence is
    sent first, as ``POST /files`` sends it."""
    version = number(form, "version")
    commitments = services.tracker.commitments

    def keep(name: str, data: bytes) -> dict[str, str]:
        kept = services.files.keep(actor, name, data)
        return {"sha256": kept.sha256, "name": kept.name}

    if action in REASONED:
        body = checked(Reasoned, {"reason": value(form, "reason")})
        commitments.act(action, commitment_id, actor, body.reason, version)
    elif action is Action.SUSPEND:
        suspension = checked(
            Suspension, {"decision_reference": value(form, "decision_reference"), "reason": value(form, "reason")}
        )
        commitments.suspend(commitment_id, actor, suspension.decision_reference, suspension.reason, version)
    elif action is Action.DELIVER:
        delivery = checked(
            Delivery,
            {
                "evidence": evidence(form, keep),
                "delivered_on": value(form, "delivered_on"),
                "note": value(form, "note"),
            },
        )
        commitments.deliver(
            commitment_id, actor, evidence_values(delivery.evidence), delivery.delivered_on, delivery.note, version
        )
    elif action is Action.ASSESS:
        assessment = checked(Assessment, {"outcome": value(form, "outcome"), "reason": value(form, "reason")})
        commitments.assess(commitment_id, actor, assessment.outcome, assessment.reason, version)
    elif action is Action.SUPERSEDE:
        supersession = checked(
            Supersession,
            {
                "new_commitment_id": value(form, "new_commitment_id"),
                "meeting_id": value(form, "meeting_id"),
                "reason": value(form, "reason"),
            },
        )
        commitments.supersede(
            commitment_id, actor, supersession.new_commitment_id, supersession.meeting_id, supersession.reason, version
        )
    elif action is Action.REPORT_PROGRESS:
        progress = checked(
            ProgressReport,
            {"percent": value(form, "percent"), "note": value(form, "note"), "evidence": evidence(form, keep)},
        )
        commitments.report_progress(
            commitment_id, actor, progress.percent, progress.note, evidence_values(progress.evidence), version
        )
    elif action is Action.REVISE_DUE:
        revision = checked(DueRevision, {"due": due(form, ""), "reason": value(form, "reason")})
        commitments.revise_due(
            commitment_id, actor, None if revision.due is None else revision.due.input(), revision.reason, version
        )
    else:
        review = checked(ReviewSchedule, {"review_on": value(form, "review_on"), "reason": value(form, "reason")})
        commitments.schedule_review(commitment_id, actor, review.review_on, review.reason, version)


def _on_the_page(
    request: Request,
    visitor: SignedInVisitor,
    services: Services,
    commitment_id: UUID,
    form: FormData,
    section: Any,
    done: str,
    work: Callable[[], object],
) -> Response:
    """A form of the commitment's page carried out (``work``), then the page again saying what was ``done``
    (``done`` may name the part of the page to show: ``comment#comments``); a refusal shows the page with the
    rule's own words in the form's ``section``, and the status the JSON API would answer."""

    def carried_out() -> Response:
        work()
        base = request.scope.get("root_path", "")
        return RedirectResponse(f"{base}/commitments/{commitment_id}?done={done}", status_code=303)

    return attempt(
        carried_out,
        lambda status, refusal: commitment_page(
            request, visitor, services, commitment_id, status, refusal | {"action": section, "form": Kept(form)}
        ),
    )


@router.post("/{commitment_id}/themes", name="choose_themes")
def choose_themes(
    commitment_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """The themes ticked, as ``PUT /commitments/{id}/themes`` takes them."""
    principal = services.tracker.commitments.may_change(visitor.principal, commitment_id)  # before the form

    def choose() -> None:
        choice = checked(ThemesChoice, {"themes": values(form, "themes"), "reason": value(form, "reason")})
        services.tracker.themes.choose(commitment_id, principal, choice.themes, choice.reason, number(form, "version"))

    return _on_the_page(request, visitor, services, commitment_id, form, "themes", "themes", choose)


PENDING_ANSWERS = ("confirm", "object", "withdraw_objection", "overrule", "withdraw")


@router.post("/{commitment_id}/pending/{answer}", name="answer_pending")
def answer_pending(
    commitment_id: UUID, answer: str, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A party's word on the change waiting for it (confirm, object, withdraw its objection), an administrator
    overruling, or whoever declared it withdrawing it: the same use cases as the JSON routes."""
    commitments = services.tracker.commitments
    principal = visitor.principal

    def answered() -> None:
        if answer not in PENDING_ANSWERS:
            raise InvalidValue("not an answer to a pending change", "answer")
        reason = value(form, "reason")
        party = identifier(form, "party_id")
        if answer == "confirm":
            commitments.confirm(commitment_id, principal, party)
        elif answer == "object":
            commitments.object_to(commitment_id, principal, reason, party)
        elif answer == "withdraw_objection":
            commitments.withdraw_objection(commitment_id, principal, party)
        elif answer == "overrule":
            commitments.overrule(commitment_id, principal, reason)
        else:
            commitments.withdraw_change(commitment_id, principal, reason)

    return _on_the_page(request, visitor, services, commitment_id, form, "pending", f"{answer}#pending", answered)


@router.post("/{commitment_id}/comments", name="comment")
def comment(
    commitment_id: UUID, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """A message in its thread, as ``POST /commitments/{id}/comments`` takes it."""
    principal = services.tracker.commitments.may_change(visitor.principal, commitment_id)  # before the form

    def said() -> None:
        given = {"text": value(form, "text"), "language": value(form, "language"), "mentions": values(form, "mentions")}
        words = checked(CommentIn, given)
        upload = form.get("file")
        files = []
        if isinstance(upload, UploadFile) and upload.filename:
            files.append(services.files.keep(principal, upload.filename, upload.file.read()))
        commitments = services.tracker.commitments
        commitments.comment(commitment_id, principal, words.text, words.language, words.mentions, None, files)

    return _on_the_page(request, visitor, services, commitment_id, form, "comment", "comment#comments", said)


@router.post("/{commitment_id}/comments/{number}/hiding", name="hide_comment")
def hide_comment(
    commitment_id: UUID, number: int, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """An administrator hides a comment, with a reason."""

    def hidden() -> None:
        hiding = checked(CommentHiding, {"reason": value(form, "reason")})
        services.tracker.commitments.hide_comment(commitment_id, visitor.principal, number, hiding.reason)

    return _on_the_page(request, visitor, services, commitment_id, form, "comment", "hide_comment#comments", hidden)


@router.post("/{commitment_id}/{action}", name="act")
def act(
    commitment_id: UUID, action: Action, request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep
) -> Response:
    """Carry out an action of the commitment's lifecycle; a refusal shows the commitment again with
    the rule's own words, and the status the JSON API would answer."""
    principal = services.tracker.commitments.may_change(visitor.principal, commitment_id)  # before the form
    return _on_the_page(
        request,
        visitor,
        services,
        commitment_id,
        form,
        action,
        action.value,
        lambda: _carry_out(action, commitment_id, form, principal, services),
    )


@router.get("/{commitment_id}/evidence/{number}/file", name="evidence_file")
def evidence_file(commitment_id: UUID, number: int, visitor: SignedInDep, services: ServicesDep) -> Response:
    """The file a piece of evidence cites, as the JSON API gives it (``GET /commitments/{id}/evidence/{n}/file``)."""
    return download(*services.tracker.commitments.evidence_file(commitment_id, visitor.principal, number))


@router.get("/{commitment_id}/comments/{number}/files/{index}", name="comment_file")
def comment_file(commitment_id: UUID, number: int, index: int, visitor: SignedInDep, services: ServicesDep) -> Response:
    """A file a comment carries, as ``GET /commitments/{id}/comments/{n}/files/{k}`` gives it."""
    return download(*services.tracker.commitments.comment_file(commitment_id, visitor.principal, number, index))
