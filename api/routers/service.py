"""The service itself: alive (``/health``), able to serve (``/ready``, this process only), and how the
deployment is doing (``/status``: the jobs of every process, the read model, the audit chain). Decision 0058:
a probe that takes a process out of a load balancer asks only what that process can do."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import ReaderDep, ServicesDep
from api.schemas import Caller, DeploymentStatus, Health, Readiness

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health)
async def health() -> dict[str, str]:
    """Liveness, without a key: the process is up. Also the benchmarks' baseline."""
    return {"status": "ok"}


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness, "description": "not ready"}})
def ready(services: ServicesDep) -> JSONResponse:
    """Readiness of this process, without a key: its database answers (through its tables' connections
    and the event store's). 503 when it does not. What other processes do (the scanner's and the
    dispatcher's ticks, the read model's lag, the audit chain) is not asked: see ``/status``."""
    parts = services.readiness.parts()
    up = all(parts.values())
    return JSONResponse(
        {"status": "up" if up else "down", "parts": {name: "up" if ok else "down" for name, ok in parts.items()}},
        status_code=200 if up else 503,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/status", response_model=DeploymentStatus)
def status(services: ServicesDep) -> JSONResponse:
    """The deployment's status, without a key, always 200 (a part down is the deployment's, never this
    process's): the database; the read model's lag; the scanner's and the dispatcher's last ticks, in any
    process (up: within three of their intervals and 30 s); the audit chain as last checked. For a monitor
    and an operator; a load balancer asks ``/ready``."""
    found = services.readiness.status()
    parts = {name: "unknown" if ok is None else "up" if ok else "down" for name, ok in found.parts.items()}
    body: dict[str, Any] = {
        "status": "up" if all(value == "up" for value in parts.values()) else "degraded",
        "parts": parts,
        "last_ticks": {name: None if at is None else at.isoformat() for name, at in found.last_ticks.items()},
        "read_model_lag": found.read_model_lag,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/me", response_model=Caller)
async def me(principal: ReaderDep) -> dict[str, object]:
    """The key the request was sent with: its id, name, role and parties. Answered from what the
    process remembers of its keys, without asking the database (a revoked key is refused within a
    second on every process); the benchmarks' trivial authenticated request."""
    return {
        "id": principal.id,
        "name": principal.name,
        "role": principal.role.value,
        "party_scope": None if principal.party_scope is None else sorted(principal.party_scope),
    }
