"""The service itself: alive, and ready."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import ReaderDep, ServicesDep
from api.schemas import Caller, Health, Readiness

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health)
async def health() -> dict[str, str]:
    """Liveness, without a key: the process is up. Also the benchmarks' baseline."""
    return {"status": "ok"}


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness, "description": "not ready"}})
def ready(services: ServicesDep) -> JSONResponse:
    """Readiness, without a key: up or down for each part (the database, the read model's lag, the
    scanner's and the dispatcher's last ticks in any process, the audit chain). 503 when any is down."""
    parts = services.readiness.parts()
    up = all(parts.values())
    return JSONResponse(
        {"status": "up" if up else "down", "parts": {name: "up" if ok else "down" for name, ok in parts.items()}},
        status_code=200 if up else 503,
    )


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
