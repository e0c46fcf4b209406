"""The OpenAPI document as the service really answers, so that generated clients work.

FastAPI documents what a route's signature says; this adds what the rest of the service does:
every status an operation can answer, each with the problem document it sends
(``application/problem+json``, ``api.schemas.Problem``), the keys it takes (Bearer or X-API-Key),
and the headers of versions and retries (``ETag`` on answers that carry a version). The statuses
follow from each operation's dependencies and parameters, so a new route is documented as it is
declared.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api import dependencies
from api.problems import PROBLEM_JSON
from api.schemas import Problem

DESCRIPTIONS = {
    400: "an unknown query parameter, a cursor this list did not give, a malformed header or JSON body",
    401: "no key, or an unknown or revoked one",
    403: "this key may not do that (its role, or the parties it is limited to)",
    404: "no such resource (or not at that version or instant)",
    409: "not allowed in the current state, already exists, or changed by another request at the same time",
    412: "If-Match names an older version; current_version says which is current",
    413: "the body is larger than the limit",
    415: "the body is not JSON",
    422: "a value is malformed or impossible, or a business rule refused it (field names the input)",
    429: "too many requests with bad keys from this address: retry after Retry-After seconds",
    503: "busy (nothing was stored) or the database connection was lost: retry after Retry-After seconds",
}
_REFUSING = {
    dependencies.require_writer,
    dependencies.require_unlimited_writer,
    dependencies.require_commitment_writer,
    dependencies.require_admin,
    dependencies.require_auditor,
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}}
_ETAG = {
    "ETag": {
        "description": 'the version of the resource, e.g. "3": send it back as If-Match',
        "schema": {"type": "string"},
    }
}


def _calls(dependant: Dependant) -> set[Any]:
    calls = {dependant.call}
    for dependency in dependant.dependencies:
        calls |= _calls(dependency)
    return calls


def _query_parameters(dependant: Dependant) -> bool:
    return bool(dependant.query_params) or any(_query_parameters(d) for d in dependant.dependencies)


def statuses(route: APIRoute) -> set[int]:
    """Every problem status the operation can answer."""
    calls = _calls(route.dependant)
    found = {400, 503}
    if dependencies.authenticate in calls:
        found |= {401, 429}
    writes = dependencies.methods_of(route) & {"POST", "PATCH", "DELETE"}
    if calls & _REFUSING or (writes and dependencies.authenticate in calls):
        found.add(403)  # a key's role or parties refused by the door, or by the use case itself
    if route.dependant.path_params:
        found |= {404, 422}
    if _query_parameters(route.dependant):
        found.add(422)
    if dependencies.if_match in calls:
        found.add(412)
    if route.body_field is not None or dependencies.methods_of(route) & {"POST", "PATCH"}:
        found |= {413, 415, 422}
    if dependencies.methods_of(route) & {"POST", "PATCH", "DELETE"}:
        found |= {409, 422}
    return found


def _hoisted(model_schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    for name, definition in model_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    return model_schema


def document(app: FastAPI, operations: list[APIRoute]) -> dict[str, Any]:
    """The app's OpenAPI document, completed for its ``operations`` (the app's own routes)."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {})
    models = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        models.pop(unused, None)
    models["Problem"] = _hoisted(Problem.model_json_schema(ref_template="#/components/schemas/{model}"), models)
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "an API key: Authorization: Bearer cmk_…"},
        "apiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "the same key, otherwise sent",
        },
    }
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for route in operations:
        if not route.include_in_schema:
            continue
        for method in dependencies.methods_of(route):
            operation = schema["paths"][route.path_format][method.lower()]
            responses = operation["responses"]
            responses.pop("422", None)  # FastAPI's own, replaced by the problem document below
            for status in sorted(statuses(route)):
                if str(status) in responses:  # the route says what it answers with that status itself
                    continue
                answer: dict[str, Any] = {"description": DESCRIPTIONS[status], "content": problem}
                if status in (429, 503):
                    answer["headers"] = _RETRY_AFTER
                responses[str(status)] = answer
            for status, answer in responses.items():
                if status.startswith("2") and _carries_version(answer, models):
                    answer["headers"] = _ETAG
            if dependencies.authenticate in _calls(route.dependant):
                operation["security"] = [{"bearer": []}, {"apiKey": []}]
    return schema


def _carries_version(answer: dict[str, Any], models: dict[str, Any]) -> bool:
    reference = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    model = models.get(reference.rsplit("/", 1)[-1], {})
    return "version" in model.get("properties", {})
