"""Signing in as a person (address and password, then the authenticator's code or setting one up) or with an API
key where allowed, a forgotten password, choosing a password through an invitation's or a reset's link, a
person's own account (their second factor), signing out, and the reader's choices (language, Hijri dates)."""

import hmac
import math
import secrets
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from api.bootstrap import Services
from api.dependencies import ServicesDep
from api.problems import TooManyAttempts, log_denial
from api.web import i18n
from api.web.forms import value
from api.web.labels import N_
from api.web.page import attempt, page
from api.web.sign_in_steps import ORGANISATION_COOKIE, STEP_COOKIE
from api.web.visitors import (
    DIGITS_COOKIE,
    HIJRI_COOKIE,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    ForgedForm,
    FormDep,
    LinkFormDep,
    SignedInDep,
    SignedInVisitor,
    Visitor,
    VisitorDep,
)
from application import policy
from application.access.people import AccountHeld, Passed
from application.access.sessions import WebSession
from application.errors import NotAllowed, NotFound, ProviderRefused
from domain.errors import InvalidValue
from domain.people.organisation import OrganisationPerson

router = APIRouter()
YEAR = 365 * 24 * 3600


def local(target: str | None, base: str) -> str:
    """Where to go next: a path of these pages, never another site (``//host``, ``https://…``)."""
    if not target or not target.startswith(base + "/") or target.startswith("//") or "\\" in target:
        return base + "/"
    return target


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _cookie(
    response: Response,
    request: Request,
    name: str,
    value: str,
    max_age: int | None = None,
    secret: bool = True,
    samesite: Literal["strict", "lax"] = "strict",
) -> None:
    """A cookie of these pages: for every path under them, Secure over https, HttpOnly when ``secret``."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=secret,
        samesite=samesite,
        secure=_secure(request),
        path=request.scope.get("root_path", "") + "/",
    )


def _sign_in_form(
    request: Request,
    visitor: Visitor,
    services: Services,
    next_page: str,
    status: int = 200,
    problem: str | None = None,
    seconds: int = 0,
    detail: str = "",
) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        visitor,
        "sign_in.html",
        status,
        sign_in_token=token,
        next_page=next_page,
        problem=problem,
        seconds=seconds,
        keys_allowed=services.people.key_sign_in(),
        organisation=None if services.organisation is None else services.organisation.name,
        detail=detail,
    )
    _cookie(response, request, SIGN_IN_COOKIE, token, max_age=900)
    if seconds:
        response.headers["Retry-After"] = str(seconds)
    return response


@router.get("/sign-in", name="sign_in")
def sign_in_page(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    return _sign_in_form(request, visitor, services, local(next, request.scope.get("root_path", "")))


def _signed_in(request: Request, session: WebSession, to: str, response: Response | None = None) -> Response:
    """The session's cookie set: on a redirect to ``to``, or on the page ``response`` shown once (recovery codes)."""
    base = request.scope.get("root_path", "")
    answer = response or RedirectResponse(to, status_code=303)
    _cookie(answer, request, SESSION_COOKIE, session.token)
    answer.delete_cookie(SIGN_IN_COOKIE, path=base + "/")
    answer.delete_cookie(STEP_COOKIE, path=base + "/")
    return answer


def _next_step(request: Request, services: Services, passed: Passed, to: str) -> Response:
    """Signed in, or sent to the step left (their authenticator's code, or setting one up) with a signed cookie."""
    base = request.scope.get("root_path", "")
    if passed.step == "done":
        response = _signed_in(request, services.web_sessions.open_for(passed.principal, passed.holder), to)
        if passed.language in i18n.LANGUAGES and LANGUAGE_COOKIE not in request.cookies:
            _cookie(response, request, LANGUAGE_COOKIE, passed.language, max_age=YEAR, secret=False, samesite="lax")
        return response
    where = "code" if passed.step == "code" else "second-factor"
    response = RedirectResponse(f"{base}/sign-in/{where}?{urlencode({'next': to})}", status_code=303)
    _cookie(response, request, STEP_COOKIE, services.sign_in_steps.issue(passed.person_id, passed.step), max_age=600)
    return response


def _start_again(request: Request, to: str) -> Response:
    """Back to the sign-in page: the step's cookie is missing, altered or too old."""
    return RedirectResponse(f"{request.scope.get('root_path', '')}/sign-in?{urlencode({'next': to})}", 303)


def _not_too_many(request: Request, services: Services) -> None:
    client = request.client.host if request.client else "unknown"
    wait = services.denials.too_many(client)
    if wait is not None:
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))


@router.post("/sign-in")
def sign_in(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    key: Annotated[str, Form(max_length=300)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=300)] = "",
    token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """With a person's address and password (then their second factor), or with an API key where allowed."""
    base = request.scope.get("root_path", "")
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, token):
        raise ForgedForm()
    _not_too_many(request, services)
    to = local(next, base)
    if email.strip():
        try:
            passed = services.people.password_step(email.strip(), password)
        except AccountHeld as held:
            log_denial(request, 429, N_("sign-in to an account held after wrong attempts"))
            return _sign_in_form(request, visitor, services, to, 429, "held", held.seconds)
        if passed is None:
            log_denial(request, 401, N_("sign-in with a wrong address or password"))
            return _sign_in_form(request, visitor, services, to, 401, "wrong-password")
        return _next_step(request, services, passed, to)
    if not services.people.key_sign_in():
        log_denial(request, 403, N_("sign-in with a key where people sign in as themselves"))
        return _sign_in_form(request, visitor, services, to, 403, "keys-off")
    session = services.web_sessions.open(key.strip())
    if session is None:
        log_denial(request, 401, N_("sign-in with an unknown or revoked key"))
        return _sign_in_form(request, visitor, services, to, 401, "unknown-key")
    return _signed_in(request, session, to)


@router.get("/sign-in/code", name="sign_in_code")
def code_page(
    request: Request, visitor: VisitorDep, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    """The second step: the code the person's authenticator shows (or a recovery code)."""
    to = local(next, request.scope.get("root_path", ""))
    return page(request, visitor, "sign_in_code.html", next_page=to, problem=None, seconds=0)


@router.post("/sign-in/code")
def sign_in_with_code(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    code: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    to = local(next, request.scope.get("root_path", ""))
    person = services.sign_in_steps.read(request.cookies.get(STEP_COOKIE, ""), "code")
    if person is None:
        return _start_again(request, to)
    _not_too_many(request, services)
    try:
        passed = services.people.code_step(person, code)
    except AccountHeld as held:
        log_denial(request, 429, N_("sign-in to an account held after wrong attempts"))
        refused = page(request, visitor, "sign_in_code.html", 429, next_page=to, problem="held", seconds=held.seconds)
        refused.headers["Retry-After"] = str(held.seconds)
        return refused
    if passed is None:
        log_denial(request, 401, N_("sign-in with a wrong second-factor code"))
        return page(request, visitor, "sign_in_code.html", 401, next_page=to, problem="wrong-code")
    return _next_step(request, services, passed, to)


def _qr(uri: str) -> Markup:
    """The authenticator's address as a QR code, drawn as SVG in the page (no image is fetched)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff", omitsize=False))


def _enrolment(
    request: Request,
    visitor: Visitor,
    services: Services,
    person: str,
    action: str,
    to: str,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
) -> Response:
    secret, uri = services.people.new_second_factor(person)
    return page(
        request,
        visitor,
        "second_factor.html",
        status,
        secret=secret,
        qr=_qr(uri),
        action=action,
        next_page=to,
        refusal=refusal,
    )


def _recovery_codes(request: Request, visitor: Visitor, codes: list[str], to: str) -> Response:
    return page(request, visitor, "recovery_codes.html", codes=codes, next_page=to, shown_once=True)


@router.get("/sign-in/second-factor", name="sign_in_second_factor")
def second_factor_page(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Setting up a second factor before the first sign-in of someone who must have one (administrators)."""
    base = request.scope.get("root_path", "")
    to = local(next, base)
    person = services.sign_in_steps.read(request.cookies.get(STEP_COOKIE, ""), "enrol")
    if person is None:
        return _start_again(request, to)
    return _enrolment(request, visitor, services, person, f"{base}/sign-in/second-factor", to)


@router.post("/sign-in/second-factor")
def confirm_second_factor(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    code: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    base = request.scope.get("root_path", "")
    to = local(next, base)
    person = services.sign_in_steps.read(request.cookies.get(STEP_COOKIE, ""), "enrol")
    if person is None:
        return _start_again(request, to)
    _not_too_many(request, services)

    def confirmed() -> Response:
        passed, codes = services.people.confirm_second_factor(person, code)
        session = services.web_sessions.open_for(passed.principal, passed.holder)
        return _signed_in(request, session, to, _recovery_codes(request, visitor, codes, to))

    return attempt(
        confirmed,
        lambda status, refusal: _enrolment(
            request, visitor, services, person, f"{base}/sign-in/second-factor", to, status, refusal
        ),
    )


@router.get("/sign-in/organisation", name="sign_in_organisation")
def through_organisation(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """To the organisation's identity provider, with a state, a nonce and PKCE's challenge; what the browser must
    bring back is held in a signed cookie."""
    organisation = services.organisation
    if organisation is None:
        raise NotFound("page", "sign-in/organisation")
    base = request.scope.get("root_path", "")
    try:
        started = organisation.provider.start(organisation.redirect_uri)
    except ProviderRefused as refused:
        return _organisation_refused(request, visitor, services, 503, str(refused))
    sealed = services.sign_in_steps.seal(
        "organisation",
        {"state": started.state, "nonce": started.nonce, "verifier": started.verifier, "next": local(next, base)},
    )
    response = RedirectResponse(started.url, status_code=303)
    # Lax: the provider's redirect back is a top-level navigation from another site
    _cookie(response, request, ORGANISATION_COOKIE, sealed, max_age=600, samesite="lax")
    return response


def _organisation_refused(
    request: Request, visitor: Visitor, services: Services, status: int, why: str, denial: str | None = None
) -> Response:
    log_denial(request, status, denial or N_("sign-in through the organisation refused"))
    return _sign_in_form(
        request, visitor, services, request.scope.get("root_path", "") + "/", status, "organisation", detail=why
    )


@router.get("/sign-in/organisation/back", name="sign_in_organisation_back")
def back_from_organisation(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    code: Annotated[str, Query(max_length=2000)] = "",
    state: Annotated[str, Query(max_length=500)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Where the provider sends the person back: the state checked against the cookie, the code exchanged (with
    PKCE's verifier), the ID token checked (``infrastructure.people.organisation``), the person let in by the
    deployment's rules (``People.organisation_step``)."""
    organisation = services.organisation
    if organisation is None:
        raise NotFound("page", "sign-in/organisation/back")
    _not_too_many(request, services)
    held = services.sign_in_steps.opened(request.cookies.get(ORGANISATION_COOKIE, ""), "organisation")
    if held is None or not state or not hmac.compare_digest(str(held.get("state", "")), state):
        return _organisation_refused(request, visitor, services, 401, "state")
    if error or not code:
        return _organisation_refused(request, visitor, services, 401, "provider")
    try:
        claims = organisation.provider.finish(code, organisation.redirect_uri, held["verifier"], held["nonce"])
        found = OrganisationPerson.of(claims, organisation.groups_claim, organisation.verified_email_only)
    except (ProviderRefused, InvalidValue):
        return _organisation_refused(request, visitor, services, 401, "token")
    try:
        passed = services.people.organisation_step(
            found,
            organisation.provider.settings.issuer,
            organisation.rules,
            organisation.create_accounts,
            organisation.trust_second_factor,
        )
    except NotAllowed:
        return _organisation_refused(
            request,
            visitor,
            services,
            403,
            "not-admitted",
            N_("sign-in through the organisation of someone no rule lets in"),
        )
    response = _next_step(request, services, passed, str(held.get("next") or request.scope.get("root_path", "") + "/"))
    response.delete_cookie(ORGANISATION_COOKIE, path=request.scope.get("root_path", "") + "/")
    return response


@router.get("/sign-in/reset", name="sign_in_reset")
def reset_page(request: Request, visitor: VisitorDep) -> Response:
    """A forgotten password: an e-mail with a link to choose a new one."""
    return _reset_form(request, visitor)


def _reset_form(request: Request, visitor: Visitor, asked: bool = False) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, visitor, "reset.html", sign_in_token=token, asked=asked)
    _cookie(response, request, SIGN_IN_COOKIE, token, max_age=900)
    return response


@router.post("/sign-in/reset")
def ask_reset(
    request: Request,
    services: ServicesDep,
    visitor: VisitorDep,
    email: Annotated[str, Form(max_length=320)] = "",
    token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The same answer whether or not an account has the address; each ask is counted with the wrong sign-ins
    of the address it comes from, so that no one sends a mailbox a flood of links."""
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, token):
        raise ForgedForm()
    _not_too_many(request, services)
    log_denial(request, 202, N_("a link to choose a new password asked"))
    services.people.ask_reset(email.strip())
    return _reset_form(request, visitor, asked=True)


def _welcome(
    request: Request,
    visitor: Visitor,
    token: str,
    status: int = 200,
    refusal: dict[str, Any] | None = None,
    state: str | None = "works",
) -> Response:
    """The form to choose a password, with a token of its own (so that no other site signs a browser in to an
    account of theirs), or what became of the link."""
    form_token = secrets.token_urlsafe(32)
    response = page(
        request, visitor, "welcome.html", status, token=token[:100], refusal=refusal, state=state, form_token=form_token
    )
    _cookie(response, request, SIGN_IN_COOKIE, form_token, max_age=3600)
    return response


@router.get("/welcome/{token}", name="welcome")
def welcome(token: str, request: Request, services: ServicesDep, visitor: VisitorDep) -> Response:
    """The link of an invitation or of a reset (or of the first administrator, ``commitments people
    create-admin``): the form to choose a password, or, at once, that the link was used, has expired or names
    nothing. Opening it changes nothing."""
    state = services.people.link_state(token)
    status = {"works": 200, "used": 410, "expired": 410}.get(state or "", 404)
    return _welcome(request, visitor, token, status, state=state)


@router.post("/welcome/{token}")
def choose_password(
    token: str, request: Request, services: ServicesDep, visitor: VisitorDep, form: LinkFormDep
) -> Response:
    """The password chosen (``People.choose_password``), then signed in as the person (after their second factor
    where they have or need one)."""
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, value(form, "form_token") or ""):
        raise ForgedForm()
    _not_too_many(request, services)
    base = request.scope.get("root_path", "")

    def chosen() -> Response:
        password = value(form, "password") or ""
        if password != (value(form, "repeated") or ""):
            raise InvalidValue("the two passwords differ", "repeated")
        return _next_step(request, services, services.people.choose_password(token, password), base + "/")

    return attempt(chosen, lambda status, refusal: _welcome(request, visitor, token, status, refusal))


@router.get("/account", name="account")
def account(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    """A person's own account: their second factor (set up, or to set up), their recovery codes left."""
    return _account(request, visitor, services)


def _own(visitor: SignedInVisitor) -> str:
    return policy.own_account(visitor.principal)


@router.get("/account/second-factor", name="account_second_factor")
def own_second_factor(request: Request, visitor: SignedInDep, services: ServicesDep) -> Response:
    base = request.scope.get("root_path", "")
    return _enrolment(request, visitor, services, _own(visitor), f"{base}/account/second-factor", f"{base}/account")


@router.post("/account/second-factor")
def confirm_own_second_factor(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """Set up: the session goes on in a new one (setting it up ends the person's other sessions)."""
    base = request.scope.get("root_path", "")
    person = _own(visitor)

    def confirmed() -> Response:
        passed, codes = services.people.confirm_own_second_factor(
            visitor.principal, value(form, "code") or "", value(form, "password") or ""
        )
        services.web_sessions.close(visitor.session.token)
        session = services.web_sessions.open_for(passed.principal, passed.holder)
        return _signed_in(
            request, session, base + "/account", _recovery_codes(request, visitor, codes, base + "/account")
        )

    return attempt(
        confirmed,
        lambda status, refusal: _enrolment(
            request, visitor, services, person, f"{base}/account/second-factor", f"{base}/account", status, refusal
        ),
    )


def _account(
    request: Request, visitor: SignedInVisitor, services: Services, status: int = 200, refusal: Any = None
) -> Response:
    principal = visitor.principal
    factor = services.people.second_factor_of(principal) if principal.id.startswith("person:") else None
    return page(request, visitor, "account.html", status, factor=factor, refusal=refusal, changed=None)


@router.post("/account/password")
def change_password(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """Another password, the present one typed: the session goes on in a new one (the others end)."""
    base = request.scope.get("root_path", "")

    def changed() -> Response:
        new = value(form, "password") or ""
        if new != (value(form, "repeated") or ""):
            raise InvalidValue("the two passwords differ", "repeated")
        passed = services.people.change_password(visitor.principal, value(form, "current") or "", new)
        services.web_sessions.close(visitor.session.token)
        session = services.web_sessions.open_for(passed.principal, passed.holder)
        return _signed_in(request, session, f"{base}/account?changed=password")

    return attempt(changed, lambda status, refusal: _account(request, visitor, services, status, refusal))


@router.post("/account/recovery-codes")
def new_recovery_codes(request: Request, visitor: SignedInDep, form: FormDep, services: ServicesDep) -> Response:
    """Ten new recovery codes, shown once, the password typed again; the earlier ones stop working."""
    base = request.scope.get("root_path", "")

    def made() -> Response:
        codes = services.people.new_recovery_codes(visitor.principal, value(form, "password") or "")
        return _recovery_codes(request, visitor, codes, base + "/account")

    return attempt(made, lambda status, refusal: _account(request, visitor, services, status, refusal))


@router.post("/sign-out", name="sign_out")
def sign_out(request: Request, services: ServicesDep, visitor: SignedInDep, _: FormDep) -> Response:
    services.web_sessions.close(visitor.session.token)
    base = request.scope.get("root_path", "")
    response = RedirectResponse(f"{base}/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=base + "/")
    return response


@router.get("/language/{language}", name="language")
def choose_language(
    request: Request, language: str, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    """The language switch: the choice stays (a cookie) until changed."""
    response = RedirectResponse(local(next, request.scope.get("root_path", "")), status_code=303)
    if language in i18n.LANGUAGES:
        _cookie(response, request, LANGUAGE_COOKIE, language, max_age=YEAR, secret=False, samesite="lax")
    return response


@router.get("/digits", name="digits")
def choose_digits(
    request: Request,
    digits: Literal["latn", "arab"] = "latn",
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Numbers and dates in Latin digits (0123) or Arabic-Indic ones (٠١٢٣): the choice stays, as the language does."""
    response = RedirectResponse(local(next, request.scope.get("root_path", "")), status_code=303)
    _cookie(response, request, DIGITS_COOKIE, digits, max_age=YEAR, secret=False, samesite="lax")
    return response


@router.get("/hijri", name="hijri")
def choose_calendar(
    request: Request, hijri: bool = False, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    """Show the Hijri date beside the Gregorian one, or not."""
    response = RedirectResponse(local(next, request.scope.get("root_path", "")), status_code=303)
    _cookie(response, request, HIJRI_COOKIE, "1" if hijri else "0", max_age=YEAR, secret=False, samesite="lax")
    return response
