"""Typed dependencies of the routes: services, the caller, and request headers.

The ones that only read the request or what the process remembers are ``async``: FastAPI runs a
plain function dependency in a worker thread, a hop per dependency per request that cost more
than the work (authenticating asks the database only when a key is new to the process)."""

import math
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.bootstrap import Services
from api.problems import TooManyAttempts, Unauthenticated, UnknownParameter
from application import policy
from application.listing.lists import Lists
from application.ports import Catalogue
from application.tracker import Tracker
from domain.access import Principal


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


_DECLARED: dict[tuple[str, frozenset[str]], frozenset[str]] = {}


def methods_of(route: APIRoute) -> set[str]:
    """The methods an operation answers: a route of a function always has them (GET if none were named)."""
    assert route.methods is not None
    return route.methods


def _query_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameters an operation declares, its dependencies' included (worked out once per operation)."""
    key = (route.path, frozenset(methods_of(route)))
    if key not in _DECLARED:
        _DECLARED[key] = frozenset(_query_names(route.dependant))
    return _DECLARED[key]


async def known_query_parameters(request: Request) -> None:
    """A query parameter the operation does not know is refused, never silently ignored (a misspelt
    ``as_of`` would otherwise answer about today)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_parameters(route)
    for name in request.query_params:
        if name not in known:
            accepted = ", ".join(sorted(known)) or "none"
            raise UnknownParameter(
                "unknown query parameter {name!r}; this operation takes: {accepted}", name, name=name, accepted=accepted
            )


async def get_services(request: Request) -> Services:
    services: Services = request.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_tracker(services: ServicesDep) -> Tracker:
    return services.tracker


TrackerDep = Annotated[Tracker, Depends(get_tracker)]


async def get_catalogue(services: ServicesDep) -> Catalogue:
    return services.catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


async def get_lists(services: ServicesDep) -> Lists:
    return services.lists


ListsDep = Annotated[Lists, Depends(get_lists)]


async def authenticate(request: Request, services: ServicesDep) -> Principal:
    """Every request needs a key: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("send the key as 'Authorization: Bearer <key>'")
        key = value.strip()
    else:
        key = request.headers.get("x-api-key", "").strip()
    if not key:  # nothing guessed: always a 401 (it is logged, and counts if keys are guessed later)
        raise Unauthenticated("this request needs an API key: send 'Authorization: Bearer <key>'")
    principal = services.keys.authenticate(key)
    if principal is None:
        wait = services.denials.too_many(request.client.host if request.client else "unknown")
        if wait is not None:
            raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))
        raise Unauthenticated("the API key is unknown or revoked")
    request.state.principal = principal  # named in the denial log if a later check refuses it
    return policy.reads(principal)


ReaderDep = Annotated[Principal, Depends(authenticate)]


# The rules below are the application's (``application.policy``); the use cases ask them again. A route asks
# one early, as a dependency, so that a key that may not is refused before the request's body is read.


async def require_writer(principal: ReaderDep) -> Principal:
    return policy.records(principal)


AnyWriterDep = Annotated[Principal, Depends(require_writer)]


async def require_unlimited_writer(principal: ReaderDep) -> Principal:
    return policy.records_everything(principal)


WriterDep = Annotated[Principal, Depends(require_unlimited_writer)]


def require_commitment_writer(commitment_id: UUID, principal: ReaderDep, tracker: TrackerDep) -> Principal:
    return tracker.commitments.may_change(principal, commitment_id)


CommitmentWriterDep = Annotated[Principal, Depends(require_commitment_writer)]


async def require_auditor(principal: ReaderDep) -> Principal:
    return policy.audits(principal)


AuditorDep = Annotated[Principal, Depends(require_auditor)]


async def require_admin(principal: ReaderDep) -> Principal:
    return policy.administers(principal)


AdminDep = Annotated[Principal, Depends(require_admin)]


ETAG_FORM = r'^\s*(\*|(W/)?"?[0-9]{1,18}"?)\s*$'  # what If-Match may hold (checked before the route runs)
KEY_FORM = r"^\s*[!-~]([ -~]{0,253}[!-~])?\s*$"  # and Idempotency-Key: 1 to 255 printable ASCII characters


async def if_match(
    if_match: Annotated[
        str,
        Header(
            alias="If-Match",
            pattern=ETAG_FORM,  # a string, if sent at all
            description='the ETag you read, e.g. "3"',
        ),
    ] = None,  # type: ignore[assignment]  # str, not str | None: the document shows the header as a plain string
) -> int | None:
    """The version the client expects to change; ``None`` when it did not say (or said ``*``)."""
    digits = "".join(ch for ch in if_match or "" if ch.isdigit())
    return int(digits) if digits else None


IfMatchDep = Annotated[int | None, Depends(if_match)]


async def idempotency_key(
    idempotency_key: Annotated[
        str,
        Header(  # a string, if sent at all
            alias="Idempotency-Key",
            pattern=KEY_FORM,
            description="any unique string: a retry with the same key and body gets the first response",
        ),
    ] = None,  # type: ignore[assignment]  # str, not str | None: the document shows the header as a plain string
) -> str | None:
    """The client's key for retrying a creation safely (``None``: not given)."""
    return None if idempotency_key is None else idempotency_key.strip().strip('"') or None


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]
