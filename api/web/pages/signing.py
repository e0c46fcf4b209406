"""Signing in with an API key, choosing a password through an invitation's link (then signed in as the person),
signing out, and the reader's choices (language, Hijri dates)."""

import hmac
import math
import secrets
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.dependencies import ServicesDep
from api.problems import TooManyAttempts, log_denial
from api.web import i18n
from api.web.forms import value
from api.web.labels import N_
from api.web.page import attempt, page
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
    VisitorDep,
)
from domain.errors import InvalidValue

router = APIRouter()
YEAR = 365 * 24 * 3600


def local(target: str | None, base: str) -> str:
    """Where to go next: a path of these pages, never another site (``//host``, ``https://…``)."""
    if not target or not target.startswith(base + "/") or target.startswith("//") or "\\" in target:
        return base + "/"
    return target


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _sign_in_form(
    request: Request, visitor: VisitorDep, next_page: str, status: int = 200, problem: str | None = None
) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, visitor, "sign_in.html", status, sign_in_token=token, next_page=next_page, problem=problem)
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=900,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=request.scope.get("root_path", "") + "/",
    )
    return response


@router.get("/sign-in", name="sign_in")
def sign_in_page(
    request: Request, visitor: VisitorDep, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    return _sign_in_form(request, visitor, local(next, request.scope.get("root_path", "")))


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
    """With a person's address and password, or with an API key."""
    base = request.scope.get("root_path", "")
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, token):
        raise ForgedForm()
    client = request.client.host if request.client else "unknown"
    wait = services.denials.too_many(client)
    if wait is not None:
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))
    if email.strip():
        person = services.people.signed_in(email.strip(), password)
        session = None if person is None else services.web_sessions.open_for(person)
        if session is None:
            log_denial(request, 401, N_("sign-in with a wrong address or password"))
            return _sign_in_form(request, visitor, local(next, base), 401, "wrong-password")
    else:
        session = services.web_sessions.open(key.strip())
    if session is None:
        log_denial(request, 401, N_("sign-in with an unknown or revoked key"))
        return _sign_in_form(request, visitor, local(next, base), 401, "unknown-key")
    response = RedirectResponse(local(next, base), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session.token, httponly=True, samesite="strict", secure=_secure(request), path=base + "/"
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=base + "/")
    return response


@router.get("/welcome/{token}", name="welcome")
def welcome(token: str, request: Request, visitor: VisitorDep) -> Response:
    """The link of an invitation (or of the first administrator, ``commitments people create-admin``): the form
    to choose a password. Opening it changes nothing."""
    return page(request, visitor, "welcome.html", token=token[:100], refusal=None)


@router.post("/welcome/{token}")
def choose_password(
    token: str, request: Request, services: ServicesDep, visitor: VisitorDep, form: LinkFormDep
) -> Response:
    """The password chosen (``People.choose_password``), then signed in as the person."""
    client = request.client.host if request.client else "unknown"
    wait = services.denials.too_many(client)
    if wait is not None:
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))
    base = request.scope.get("root_path", "")

    def chosen() -> Response:
        password = value(form, "password") or ""
        if password != (value(form, "repeated") or ""):
            raise InvalidValue("the two passwords differ", "repeated")
        principal = services.people.choose_password(token, password)
        session = services.web_sessions.open_for(principal)
        response = RedirectResponse(base + "/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, session.token, httponly=True, samesite="strict", secure=_secure(request), path=base + "/"
        )
        return response

    return attempt(
        chosen,
        lambda status, refusal: page(request, visitor, "welcome.html", status, token=token[:100], refusal=refusal),
    )


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
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=YEAR,
            samesite="lax",
            secure=_secure(request),
            path=request.scope.get("root_path", "") + "/",
        )
    return response


@router.get("/digits", name="digits")
def choose_digits(
    request: Request,
    digits: Literal["latn", "arab"] = "latn",
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Numbers and dates in Latin digits (0123) or Arabic-Indic ones (٠١٢٣): the choice stays, as the language does."""
    response = RedirectResponse(local(next, request.scope.get("root_path", "")), status_code=303)
    response.set_cookie(
        DIGITS_COOKIE,
        digits,
        max_age=YEAR,
        samesite="lax",
        secure=_secure(request),
        path=request.scope.get("root_path", "") + "/",
    )
    return response


@router.get("/hijri", name="hijri")
def choose_calendar(
    request: Request, hijri: bool = False, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    """Show the Hijri date beside the Gregorian one, or not."""
    response = RedirectResponse(local(next, request.scope.get("root_path", "")), status_code=303)
    response.set_cookie(
        HIJRI_COOKIE,
        "1" if hijri else "0",
        max_age=YEAR,
        samesite="lax",
        secure=_secure(request),
        path=request.scope.get("root_path", "") + "/",
    )
    return response
