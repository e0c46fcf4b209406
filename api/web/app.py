"""The web application: pages for coordinators and auditors, mounted at ``/app`` by the app factory.

It is a door to the same application layer as the JSON API: its pages read with the same queries
and its forms call the same use cases, with the same keys, roles and party scopes. Errors are
answered as pages, with the status the JSON API would give (``api.problems.classify``)."""

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import problems
from api.web import i18n
from api.web.forms import shape_refusal
from api.web.labels import N_
from api.web.page import error_page
from api.web.pages import (
    acting,
    admin,
    agreements,
    audit,
    calendar,
    commitments,
    drafting,
    imports,
    meetings,
    overview,
    parties,
    publishing,
    recording,
    recurrences,
    reports,
    signing,
    unsubscribing,
    update_sheets,
)
from api.web.visitors import LANGUAGE_COOKIE, ForgedForm, SignInNeeded, Visitor, visitor

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("commitments.web")
PAGES = (
    signing,
    overview,
    commitments,
    recurrences,
    meetings,
    parties,
    agreements,
    imports,
    drafting,
    recording,
    reports,
    publishing,
    calendar,
    audit,
    admin,
    unsubscribing,
    acting,
    update_sheets,
)


def _sign_in_first(request: Request, error: Exception) -> Response:
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{request.scope.get('root_path', '')}/sign-in?next={quote(wanted)}", status_code=303)


def _answered(request: Request, error: Exception) -> Response:
    """An error the service knows, as a page: its title and the rule's own words in the reader's language."""
    status, _, title = problems.classify(error) or (500, "internal-error", "Internal error")
    if status in (401, 403):
        problems.log_denial(request, status, getattr(error, "detail", str(error)))
    answer = _page_for(request, status, title, error)
    answer.headers.update(getattr(error, "headers", None) or {})  # the wait a 429 names (Retry-After)
    return answer


def _database_error(request: Request, error: Exception) -> Response:
    """A page whose database does not answer (decision 0058): 503 with Retry-After, logged once per outage; the
    page is said without looking the visitor's session up (that too needs the database)."""
    if not problems.database_unavailable(request, error):
        return _unexpected(request, error)
    if problems.connection_lost(error):
        request.state.services.connections_lost()
        words = N_("the connection to the database was lost and is being replaced: try again in a moment")
        retry = "1"
    else:
        problems.note_unavailable(request, error)
        words = N_("the database does not answer: try again in a moment")
        retry = problems.UNAVAILABLE_RETRY_AFTER
    language = i18n.negotiate(request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE))
    answer = error_page(request, Visitor(language, False, None, "latn"), 503, problems.DATABASE_UNAVAILABLE[2], words)
    answer.headers["Retry-After"] = retry
    return answer


def _forged(request: Request, error: Exception) -> Response:
    reason = N_("the form was not sent by a page of this session (no valid CSRF token)")
    problems.log_denial(request, 403, reason)
    return _page_for(request, 403, "This form was refused", reason)


def _invalid(request: Request, error: RequestValidationError) -> Response:
    first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid"}
    return _page_for(request, 422, "A value is not valid", shape_refusal(first, skip=("query", "path", "body")))


def _http(request: Request, error: StarletteHTTPException) -> Response:
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    words = {404: N_("there is no page at this address"), 405: N_("this page does not take that kind of request")}
    return _page_for(request, error.status_code, title, words.get(error.status_code, str(error.detail)))


def _page_for(request: Request, status: int, title: str, detail: Exception | str) -> HTMLResponse:
    """The error page: its words in the reader's language (an error's, or words of the pages' own)."""
    services = request.state.services
    return error_page(request, visitor(request, services), status, title, detail)


def _unexpected(request: Request, error: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _page_for(request, 500, "Internal error", N_("the service failed; the error is logged"))


def create_web_app() -> FastAPI:
    web = FastAPI(title="Commitment tracker pages", docs_url=None, redoc_url=None, openapi_url=None)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in PAGES:
        web.include_router(module.router)
    web.add_exception_handler(SignInNeeded, _sign_in_first)
    web.add_exception_handler(ForgedForm, _forged)
    for cls in problems.HANDLED:
        web.add_exception_handler(cls, _answered)
    for database_error in problems.DATABASE_ERRORS:
        web.add_exception_handler(database_error, _database_error)
    web.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]  # Starlette types a handler for any Exception
    web.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]  # Starlette types a handler for any Exception
    web.add_exception_handler(Exception, _unexpected)
    return web
