"""The public portal's application, mounted at ``/public`` by the app factory. Errors are answered in the
reader's language: a page to a page's address, a problem document (RFC 9457) to a document's (``.json``,
``.csv``, ``.jsonld``, ``.atom``). An unpublished record is a 404 like any address that holds nothing."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import problems
from api.public import pages
from api.web import i18n
from api.web.labels import N_
from api.web.page import SECURITY_HEADERS
from api.web.refusals import sayer
from api.web.rendering import render

log = logging.getLogger("commitments.public")
DOCUMENTS = (".json", ".csv", ".jsonld", ".atom")


def _answer(request: Request, status: int, slug: str, title: str, detail: object) -> Response:
    visitor = pages.public_visitor(request)
    words = sayer(visitor.language)(detail)
    _ = i18n.translations(visitor.language).gettext
    headers = {**SECURITY_HEADERS, "Content-Language": visitor.language}
    if request.url.path.endswith(DOCUMENTS):
        return problems.problem(status, slug, _(title), words, request.url.path, headers)
    html = render(
        visitor.language,
        "public_error.html",
        pages.public_context(request, visitor, status_code=status, title=title, detail=words),
    )
    return Response(html, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def _answered(request: Request, error: Exception) -> Response:
    status, slug, title = problems.classify(error) or (500, "internal-error", "Internal error")
    answer = _answer(request, status, slug, title, error)
    answer.headers.update(getattr(error, "headers", None) or {})  # the wait a 503 names (Retry-After)
    return answer


def _invalid(request: Request, error: Exception) -> Response:
    return _answer(request, 422, "invalid-value", "A value is not valid", N_("a value in the address is not valid"))


def _http(request: Request, error: Exception) -> Response:
    status = getattr(error, "status_code", 404)
    if status == 405:
        words = N_("this page does not take that kind of request")
        answer = _answer(request, 405, "method-not-allowed", "Method not allowed", words)
        answer.headers["Allow"] = "GET, HEAD"  # every public address is read, and only read
        return answer
    return _answer(request, 404, "not-found", "Not found", N_("there is no page at this address"))


def _unexpected(request: Request, error: Exception) -> Response:
    if problems.database_unavailable(request, error):
        answer = _answer(
            request,
            503,
            "database-unavailable",
            problems.DATABASE_UNAVAILABLE[2],
            N_("the database does not answer: try again in a moment"),
        )
        answer.headers["Retry-After"] = problems.UNAVAILABLE_RETRY_AFTER
        return answer
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _answer(request, 500, "internal-error", "Internal error", N_("the service failed; the error is logged"))


def create_public_app() -> FastAPI:
    public = FastAPI(
        title="Commitment tracker, public",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,  # an address with a slash too many is not found (never a redirect to its Host)
    )
    public.include_router(pages.router)
    for cls in problems.HANDLED:
        public.add_exception_handler(cls, _answered)
    public.add_exception_handler(RequestValidationError, _invalid)
    public.add_exception_handler(StarletteHTTPException, _http)
    for database_error in problems.DATABASE_ERRORS:
        public.add_exception_handler(database_error, _unexpected)
    public.add_exception_handler(Exception, _unexpected)
    return public
