"""Evidence files: sent once (``POST /files``), then cited by the evidence of a progress report or a delivery
by their hash; each is downloaded from the evidence that cites it (``GET /commitments/{id}/evidence/{n}/file``)."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse

from api.dependencies import AnyWriterDep, ServicesDep
from api.problems import PROBLEM_JSON
from api.schemas.common import Schema

router = APIRouter(prefix="/files", tags=["commitments"])


class FileKept(Schema):
    sha256: str
    size: int
    media_type: str
    name: str


@router.post(
    "",
    status_code=201,
    response_model=FileKept,
    summary="Send an evidence file",
    responses={
        413: {"description": "larger than the deployment keeps", "content": {PROBLEM_JSON: {}}},
        422: {"description": "not a type kept (HTML, SVG, programs, archives…)", "content": {PROBLEM_JSON: {}}},
    },
)
def send_file(
    services: ServicesDep,
    principal: AnyWriterDep,
    file: Annotated[UploadFile, File(description="a PDF, an office document, an image or plain text")],
) -> JSONResponse:
    """The file is kept once, by the SHA-256 of its bytes; its type is read from those bytes, not from its
    name: HTML and SVG (they run script in a browser), programs and archives are refused. Cite it in the
    `evidence` of a progress report or a delivery as `{"title": …, "file": {"sha256": …}}`. Files are not
    scanned for malware: the deployment has no scanner offline (see the README)."""
    kept = services.files.keep(principal, file.filename, file.file.read())
    return JSONResponse(
        {"sha256": kept.sha256, "size": kept.size, "media_type": kept.media_type, "name": kept.name}, status_code=201
    )
