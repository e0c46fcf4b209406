"""The service's Prometheus metrics (prometheus-client), declared once here; each part of the service
counts what it does through them (decision 0057).

Two kinds:

* **Counts** of what was done, counted where it is done, one cheap call per batch: requests (``api.access``),
  events recorded (``infrastructure.log.writer``, once a group of commands is committed), webhook attempts
  by outcome (``infrastructure.webhooks.dispatcher``), scanner ticks and the facts they recorded
  (``application.notices.scanner``, told through ``scanned``), digests (``infrastructure.mail.digests``),
  audit chain checks and breaks (``infrastructure.audit.watch``), web sessions
  (``infrastructure.persistence.web_sessions``).
* **Figures** read from the database when the metrics are scraped (``FIGURES``): the webhook backlog and
  the age of its oldest delivery, the digests due, how far the read model and the other followers are
  behind the event log (a rebuild's progress), when each background job last ran. They are the same
  whichever process is asked, so they are never added up across processes. The composition root
  (``api.bootstrap``) offers them from the parts that own the readers (``Figures.offer``: the dispatcher, the
  digest mailer, the audit chain's watch); a process runs one service, so the part offered last under a name
  is the one read.

They are served at ``GET /metrics`` (``api.routers.metrics``: admin and auditor keys; ``COMMITMENTS_METRICS=off``:
not served) and, for a scraper without a key, on a port of their own (``serve_port``). Both expose
``prometheus_client.REGISTRY``, which this module keeps right in either mode below.

**Several worker processes** (the multiprocess mode). Each process keeps its counts in memory, so a scrape
would see one worker's. With the environment variable ``PROMETHEUS_MULTIPROC_DIR`` set (by
``prepare_multiprocess``, in the parent, before it starts the workers: the variable is inherited, and
prometheus-client reads it when first imported), every process writes its counts to its own files in that
directory, and ``REGISTRY`` holds a ``MultiProcessCollector`` that adds up the files of every process, live or
dead (a dead worker's counts still count; its restarted successor writes new files), instead of this process's
own counts; the figures are read by the scraping process alone. No gauge is kept per process (a gauge would
need a ``multiprocess_mode``): what a gauge would say is a figure. ``mark_dead(pid)``, called by the parent for
a worker that exited, removes the files of that worker's live gauges (none today: kept for the day one is
declared with ``livesum`` or ``liveall``). The parent serves the port (if any) from the directory as well.
"""

import contextlib
import logging
import os
import threading
import weakref
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    start_http_server,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

if TYPE_CHECKING:
    from application.notices.scanner import ScanResult
    from infrastructure.settings import Settings

log = logging.getLogger("commitments.metrics")

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def _directory() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR) or None


# Where the counts are registered: in ``REGISTRY`` when this process's own counts are the service's; in none
# when the process writes them to files (read back, every process's, by the multiprocess collector).
_HOME: CollectorRegistry | None = REGISTRY if _directory() is None else None
_DECLARED: list[Counter | Histogram] = []


def _counter(name: str, documentation: str, labels: Iterable[str] = ()) -> Counter:
    counter = Counter(name, documentation, list(labels), registry=_HOME)
    _DECLARED.append(counter)
    return counter


# -- requests (counted by the access middleware, ``api.access``) --
REQUEST_SECONDS = Histogram(
    "commitments_request_duration_seconds",
    "Time to answer a request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=_HOME,
)
_DECLARED.append(REQUEST_SECONDS)
REQUESTS = _counter(
    "commitments_requests",
    "Requests answered, by method, route template and status.",
    ["method", "route", "status"],
)

# -- the event log --
EVENTS = _counter(
    "commitments_events_recorded",
    "Events committed to the log, by type (the event's class: Commitment.MarkedOverdue).",
    ["type"],
)

# -- webhooks --
WEBHOOK_ATTEMPTS = _counter(
    "commitments_webhook_attempts",
    "Webhook delivery attempts recorded, by outcome: succeeded; failed (tried again later); exhausted (no "
    "attempt left: the delivery failed); gone (410: the delivery failed); lease_lost (not recorded: another "
    "dispatcher sends it again).",
    ["outcome"],
)
WEBHOOK_SUBSCRIPTIONS_DISABLED = _counter(
    "commitments_webhook_subscriptions_disabled",
    "Subscriptions disabled by the dispatcher (their endpoint answered 410, or failed for the whole window).",
)

# -- the scanner --
SCANNER_TICKS = _counter("commitments_scanner_ticks", "Ticks of the scanner.")
SCANNER_FACTS = _counter(
    "commitments_scanner_facts",
    "Facts the scanner recorded, by kind: overdue, due_soon, review_due, escalated (a step of a ladder).",
    ["kind"],
)

# -- digests --
DIGESTS = _counter(
    "commitments_digests",
    "Digests handled, by outcome: sent; empty (nothing to tell: not sent); failed (tried again later).",
    ["outcome"],
)

# -- the audit chain --
CHAIN_CHECKS = _counter(
    "commitments_audit_chain_checks",
    "Checks of the audit chain, by scope (full: the whole chain; partial: the links added since the last "
    "check, or up to a saved head) and result (intact, broken).",
    ["scope", "result"],
)
CHAIN_BREAKS = _counter(
    "commitments_audit_chain_breaks",
    "Breaks of the audit chain found and recorded (each once, however many processes find it).",
)

# -- web sessions --
WEB_SESSIONS_STARTED = _counter("commitments_web_sessions_started", "Web page sessions started (signed in).")
WEB_SESSIONS_ENDED = _counter(
    "commitments_web_sessions_ended",
    "Web page sessions ended, by reason: signed_out, expired (idle or too old), key_revoked.",
    ["reason"],
)


def events_recorded(groups: Iterable[Iterable[object]]) -> None:
    """Count the events of a committed group of commands by type: one call per type, not per event."""
    for kind, count in Tally(type(event).__qualname__ for events in groups for event in events).items():
        EVENTS.labels(kind).inc(count)


def scanned(result: "ScanResult") -> None:
    """Count a scanner tick and the facts it recorded (the scanner is told to call this)."""
    SCANNER_TICKS.inc()
    for kind, count in (
        ("overdue", result.overdue),
        ("due_soon", result.due_soon),
        ("review_due", result.review_due),
        ("escalated", result.escalated),
        ("confirmed_by_silence", result.confirmed_by_silence),
    ):
        if count:
            SCANNER_FACTS.labels(kind).inc(count)


def counted(counter: Counter, tally: Mapping[str, int]) -> None:
    """Add a batch's tally to a counter with one label: one call per label, none for a zero."""
    for label, count in tally.items():
        if count:
            counter.labels(label).inc(count)


# -- the figures read when scraped --------------------------------------------------------------------------

Read = Callable[[], Iterable[Metric]]


class Figures:
    """A collector of the figures the parts of the service offer (see the module): read when scraped, each
    part's on its own, so a part that cannot answer (its database is down) leaves out only its figures."""

    def __init__(self) -> None:
        self._offered: dict[str, weakref.WeakMethod[Read]] = {}
        self._lock = threading.Lock()

    def offer(self, part: str, read: Read) -> None:
        """``read``: a method of the part, held weakly (a part that is gone offers nothing); it replaces what
        was offered under the same name."""
        with self._lock:
            self._offered[part] = weakref.WeakMethod(read)

    def describe(self) -> Iterable[Metric]:
        return ()  # registered without reading anything; the names are the parts'

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            offered = sorted(self._offered.items())
        for part, held in offered:
            read = held()
            if read is None:
                continue
            try:
                found = list(read())
            except Exception as error:  # noqa: BLE001 - a scrape reports what it can; the log says what it could not
                log.warning("the %s figures could not be read: %s: %s", part, type(error).__name__, error)
                continue
            yield from found


FIGURES = Figures()
REGISTRY.register(FIGURES)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def webhook_figures(pending: int, oldest_pending: datetime | None, now: datetime) -> list[Metric]:
    """The dispatcher's backlog."""
    age = 0.0 if oldest_pending is None else max(0.0, (now - oldest_pending).total_seconds())
    return [
        _gauge(
            "commitments_webhook_deliveries_pending",
            "Webhook deliveries not sent yet or to be tried again (the dispatcher's backlog).",
            pending,
        ),
        _gauge(
            "commitments_webhook_oldest_pending_age_seconds",
            "How long the oldest pending webhook delivery has waited since it was made (0: none is pending).",
            age,
        ),
    ]


def digest_figures(due: int) -> list[Metric]:
    return [
        _gauge(
            "commitments_digests_due",
            "Contacts whose digest of the current period is neither done nor being sent, nor given up.",
            due,
        )
    ]


def log_figures(
    log_end: int, read_model: int | None, followers: Mapping[str, int], beats: Mapping[str, datetime], intact: bool
) -> list[Metric]:
    """How far the log's followers have come (``read_model``: None while its table is being made again),
    when each background job last ran, and whether the audit chain is intact."""
    positions = GaugeMetricFamily(
        "commitments_follower_position",
        "The last event of the log each follower has handled: read_model, webhooks (the outbox), audit_chain.",
        labels=["follower"],
    )
    for name, position in sorted({**followers, **({} if read_model is None else {"read_model": read_model})}.items()):
        positions.add_metric([name], position)
    ticks = GaugeMetricFamily(
        "commitments_job_last_tick_timestamp_seconds",
        "When each background job (scanner, dispatcher, digests, audit) last ran, in any process (Unix time).",
        labels=["job"],
    )
    for job, at in sorted(beats.items()):
        ticks.add_metric([job], at.timestamp())
    reached = 0 if read_model is None else read_model
    return [
        _gauge("commitments_event_log_position", "The position of the last event stored in the log.", log_end),
        positions,
        _gauge(
            "commitments_read_model_lag_events",
            "Events stored in the log that the read model has not handled yet.",
            max(0, log_end - reached),
        ),
        _gauge(
            "commitments_read_model_progress_ratio",
            "The share of the log the read model has handled (1: up to date; below 1 while it is rebuilt).",
            1.0 if log_end <= 0 else min(1.0, reached / log_end),
        ),
        ticks,
        _gauge("commitments_audit_chain_intact", "1 while the audit chain has no unresolved break, else 0.", intact),
    ]


# -- serving ----------------------------------------------------------------------------------------------

_switching = threading.Lock()
_from_files: MultiProcessCollector | None = None


def _collect_from(directory: Path) -> None:
    """Have ``REGISTRY`` report every process's counts, written to ``directory``, instead of this one's."""
    global _from_files, _HOME
    with _switching:
        if _from_files is not None:
            REGISTRY.unregister(_from_files)
        if _HOME is not None:  # counted in memory until now: those counts are no longer the service's
            for metric in _DECLARED:
                REGISTRY.unregister(metric)
            _HOME = None
        for per_process in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):  # one process's, not the service's
            with contextlib.suppress(KeyError):  # not registered (any more)
                REGISTRY.unregister(per_process)
        directory.mkdir(parents=True, exist_ok=True)
        _from_files = MultiProcessCollector(REGISTRY, path=str(directory))  # type: ignore[no-untyped-call]  # prometheus-client leaves it unannotated


if _directory() is not None:
    _collect_from(Path(str(_directory())))


def prepare_multiprocess(directory: str | os.PathLike[str]) -> Path:
    """In the parent of several worker processes, before it starts them: the counts go to files in
    ``directory`` (made if missing, emptied of an earlier run's files), which every process scraped adds
    up. Sets ``PROMETHEUS_MULTIPROC_DIR``, which the workers inherit."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for earlier in path.glob("*.db"):
        earlier.unlink()
    os.environ[MULTIPROCESS_DIR] = str(path)
    _collect_from(path)
    return path


def mark_dead(pid: int) -> None:
    """A worker process exited: its live gauges leave the sums (its counts stay). Nothing without the
    multiprocess mode."""
    directory = _directory()
    if directory is not None:
        mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]  # prometheus-client leaves it unannotated


def serve_port(settings: "Settings") -> WSGIServer | None:
    """Serve the metrics without a key on ``settings.host`` at ``settings.metrics_port``, from a thread of
    this process, for a scraper (and for a worker in a container of its own); None when there is no such
    port or the metrics are off. ``shutdown()`` and ``server_close()`` the server returned to stop it."""
    if not settings.metrics or not settings.metrics_port:
        return None
    server, _ = start_http_server(settings.metrics_port, addr=settings.host, registry=REGISTRY)
    log.info("metrics served on %s:%d", settings.host, settings.metrics_port)
    return server
