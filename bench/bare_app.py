"""The baseline of the HTTP figures: a bare FastAPI app with one async route answering ``ok``, run
as the service runs (uvicorn with httptools and uvloop, two workers): what the stack costs before
any of the service's own work."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/", response_class=PlainTextResponse)
async def ok() -> str:
    return "ok"
