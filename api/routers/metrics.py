"""The service's Prometheus metrics, for admin and auditor keys (decision 0057).

What is counted and how several worker processes are added up is ``infrastructure.operations.metrics``'s:
it keeps ``prometheus_client.REGISTRY`` right in either mode, so this door only says who may read it. A
scraper without a key reads the same on a port of its own (``COMMITMENTS_METRICS_PORT``)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.dependencies import ReaderDep, ServicesDep
from api.problems import PROBLEM_JSON
from application import policy
from domain.access import Principal

router = APIRouter(tags=["service"])


async def served(services: ServicesDep) -> None:
    """With the metrics off (``COMMITMENTS_METRICS=off``), the path answers as one the service does not
    know, before any key is asked for."""
    if not services.settings.metrics:
        raise StarletteHTTPException(404, "Not Found")


async def require_metrics_reader(principal: ReaderDep) -> Principal:
    return policy.reads_metrics(principal)


MetricsReaderDep = Annotated[Principal, Depends(require_metrics_reader)]

_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


@router.get(
    "/metrics",
    dependencies=[Depends(served)],
    response_class=Response,
    responses={
        200: {
            "description": "the metrics, in Prometheus' text format",
            "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
        },
        403: {"description": "only admin and auditor keys read the metrics", "content": _PROBLEM},
        404: {"description": "the metrics are off (COMMITMENTS_METRICS=off)", "content": _PROBLEM},
    },
)
def metrics(_: MetricsReaderDep) -> Response:
    """What the service did (requests, events, webhook attempts, scanner ticks, digests, audit checks, web
    sessions) since its processes started, and its backlogs and lags as the database says now (the webhook
    backlog, the digests due, the read model behind the log, each background job's last run)."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
