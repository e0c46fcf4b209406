"""The service's log, configured once per process: every line says when (ISO 8601, UTC), how grave (the
level), which part of the service (the logger's name: ``commitments.access``, ``commitments.ticks``,
``uvicorn.error``) and what, as text or as one JSON object a line (``COMMITMENTS_LOG_FORMAT``).

A line written while a request is served also names the request (``request_id``): the access
middleware (``api.access``) keeps its id in ``REQUEST_ID`` and a filter on the handler adds it to every
record, whichever logger or thread (the routes' worker threads inherit the context) wrote it.

uvicorn is given the same configuration (``log_config``), so it routes its own loggers through it
instead of configuring its own; its access log is off: ``api.access`` writes one line per request.

As a last guard, keys and secrets of the shapes the service hands out (``cmk_…`` API keys,
``whsec_…`` webhook secrets, bearer credentials, the tokens of calendar feeds and unsubscribe links in
a path) are blanked out of every line, whoever wrote them."""

import json
import logging
import logging.config
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

Format = Literal["text", "json"]

REQUEST_ID: ContextVar[str | None] = ContextVar("commitments_request_id", default=None)

# What a line may carry beyond time, level, component and message, in this order (the access line has them all).
FIELDS = ("request_id", "method", "route", "status", "duration_ms", "actor")

_SECRETS = (
    (re.compile(r"\bcmk_[A-Za-z0-9_-]+"), "cmk_[redacted]"),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=_-]+"), "whsec_[redacted]"),
    (re.compile(r"(?i)\b(bearer)\s+[^\s\"',;]+"), r"\1 [redacted]"),
    (re.compile(r"/feeds/[^/\s?#\"']+\.ics"), "/feeds/{token}.ics"),
    (re.compile(r"/unsubscribe/[^/\s?#\"']+"), "/unsubscribe/{token}"),
)


_MAYBE_SECRET = re.compile(r"cmk_|whsec_|(?i:bearer)|/feeds/|/unsubscribe/")  # one look, for most lines the only one


def redacted(text: str) -> str:
    """The text without the keys, secrets and secret addresses it might hold."""
    if not _MAYBE_SECRET.search(text):
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


_second: tuple[int, str] = (-1, "")  # the last second written, as text: most lines share theirs with another


def _time(record: logging.LogRecord) -> str:
    """When, in UTC to the millisecond: ``2025-05-01T09:30:00.123Z``."""
    global _second
    whole = int(record.created)
    second = _second  # read once: another thread may write the next second meanwhile
    if second[0] != whole:
        second = _second = (whole, datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    milliseconds = min(int((record.created - whole) * 1000), 999)
    return f"{second[1]}.{milliseconds:03d}Z"


class RequestIdFilter(logging.Filter):
    """Names the request being served on each record written while serving it (on the handler: it sees
    the records of every logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class TextFormatter(logging.Formatter):
    """``2025-05-01T09:30:00.123Z INFO commitments.access GET /parties 200 3.1 ms request_id=… actor=…``.
    A message of several lines (a traceback) continues on lines that repeat the time, level and component
    followed by ``|``: every line stands alone, and nothing a message holds can forge a line of its own."""

    def format(self, record: logging.LogRecord) -> str:
        head = f"{_time(record)} {record.levelname} {record.name}"
        lines = redacted(record.getMessage()).splitlines() or [""]
        for name in ("request_id", "actor"):  # on the first line, where a search for the request finds it
            value = getattr(record, name, None)
            if value is not None:
                lines[0] += f" {name}={value}"
        lines += _more(self, record).splitlines()
        return "\n".join([f"{head} {lines[0]}", *(f"{head} | {line}" for line in lines[1:])])


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, component, message, the fields of ``FIELDS`` a record has,
    and ``exception`` (a traceback) or ``stack`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname,
            "component": record.name,
            "message": redacted(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = redacted(record.exc_text)
        if record.stack_info:
            line["stack"] = redacted(self.formatStack(record.stack_info))
        return json.dumps(line, default=str)


def _more(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    """A record's traceback and stack, as text, without secrets."""
    if record.exc_info and not record.exc_text:
        record.exc_text = formatter.formatException(record.exc_info)
    parts = [record.exc_text or "", formatter.formatStack(record.stack_info) if record.stack_info else ""]
    return redacted("\n".join(part for part in parts if part))


def _level(level: str | int) -> str:
    return logging.getLevelName(level) if isinstance(level, int) else level.upper()


def log_config(format: Format = "text", level: str | int = "info") -> dict[str, Any]:
    """The whole process's logging, as ``logging.config.dictConfig`` takes it (and uvicorn, as
    ``log_config``): one handler, on standard error, with the request-id filter and the format's
    formatter; the root and every logger of the service at ``level``; uvicorn's access log off."""
    chosen = _level(level)
    formatter = JsonFormatter if format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,  # the service's loggers exist before this runs
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["request_id"],
            },
            "nowhere": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["stderr"], "level": chosen},
        "loggers": {
            "commitments": {"level": chosen},
            # uvicorn's own lines go to the root's handler, as every other line does.
            "uvicorn": {"handlers": [], "propagate": True, "level": chosen},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": chosen},
            # One line per request is written by ``api.access``; uvicorn's would be a second, with the raw path.
            "uvicorn.access": {"handlers": ["nowhere"], "propagate": False, "level": "CRITICAL"},
            # Their INFO lines are a line per tick, per plugin or per outgoing request (with its whole address).
            "apscheduler": {"level": "WARNING"},
            "alembic.runtime.plugins": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
        },
    }


def configure(format: Format = "text", level: str | int = "info") -> None:
    """Configure the process's logging (``log_config``); Python's warnings are logged too."""
    logging.config.dictConfig(log_config(format, level))
    logging.captureWarnings(True)
