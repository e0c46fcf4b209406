"""The service itself: alive, and ready."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.dependencies import ServicesDep
from api.schemas import Health, Readiness

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health)
def health() -> dict[str, str]:
    """Liveness, without a key: the process is up. Also the benchmarks' baseline."""
    return {"status": "ok"}


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness, "description": "not ready"}})
def ready(services: ServicesDep) -> JSONResponse:
    """Readiness, without a key: up or down for each part (the database, the read model's lag, the
    scanner's and the dispatcher's last ticks in any process, the audit chain). 503 when any is down."""
    parts = services.readiness.parts()
    up = all(parts.values())
    return JSONResponse({"status": "up" if up else "down",
                         "parts": {name: "up" if ok else "down" for name, ok in parts.items()}},
                        status_code=200 if up else 503)
