"""Themes: the deployment's managed list of tags (the SDGs, an organisation's own themes), each named
in several languages. Commitments carry them (``PUT /commitments/{id}/themes``); lists filter by them
(``GET /commitments?theme=sdg-2``); exports carry them."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.dependencies import ReaderDep, TrackerDep, WriterDep
from api.responses import plain_json
from api.routers.common import CursorQuery, HistoryLimit, history
from api.schemas import History, Reasoned, ThemeIn, ThemeRename
from application.views import ThemeView
from domain.theme import THEMES_ID

router = APIRouter(prefix="/themes", tags=["themes"])


@router.get("", response_model=list[ThemeView])
def list_themes(tracker: TrackerDep, _: ReaderDep) -> JSONResponse:
    """Every theme of the list, in the order defined; retired ones are marked and no longer offered."""
    return plain_json(tracker.themes.listed())


@router.post("", status_code=201, response_model=ThemeView)
def define_theme(body: ThemeIn, request: Request, tracker: TrackerDep, principal: WriterDep) -> JSONResponse:
    """A new theme: its code (``sdg-2``, ``food-security``) and its names. Only a key not limited to
    some parties keeps the list."""
    return plain_json(
        tracker.themes.define(principal, body.code, body.names.input()),
        201,
        location=f"{request.scope.get('root_path', '')}/themes/{body.code}",
    )


@router.get("/history", response_model=History)
def themes_history(
    tracker: TrackerDep, _: ReaderDep, cursor: CursorQuery = None, limit: HistoryLimit = 100
) -> JSONResponse:
    """Every change to the list, oldest first."""
    return history(THEMES_ID, lambda after, n: tracker.themes.history(after, n), cursor, limit)


@router.get("/{code}", response_model=ThemeView)
def get_theme(code: str, tracker: TrackerDep, _: ReaderDep) -> JSONResponse:
    return plain_json(tracker.themes.get(code))


@router.put("/{code}", response_model=ThemeView)
def rename_theme(code: str, body: ThemeRename, tracker: TrackerDep, principal: WriterDep) -> JSONResponse:
    return plain_json(tracker.themes.rename(principal, code, body.names.input()))


@router.post("/{code}/retire", response_model=ThemeView)
def retire_theme(code: str, body: Reasoned, tracker: TrackerDep, principal: WriterDep) -> JSONResponse:
    """No longer offered; the commitments that carry it keep it."""
    return plain_json(tracker.themes.retire(principal, code, body.reason))
