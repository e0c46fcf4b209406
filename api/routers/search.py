from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.dependencies import CatalogueDep, ReaderDep
from api.routers.common import LimitQuery
from api.schemas import Hits
from application.listing.queries import terms

router = APIRouter(prefix="/search", tags=["search"])


@router.get("", response_model=Hits)
def search(
    catalogue: CatalogueDep,
    _: ReaderDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words, in any language")],
    limit: LimitQuery = 20,
) -> JSONResponse:
    """Commitments, meetings, agreements and parties whose texts hold every word (each as a word or its beginning)."""
    hits = catalogue.search(terms(q) or [], limit)
    return JSONResponse({"items": [{"kind": h.kind, "id": h.id, "label": h.label} for h in hits]})
