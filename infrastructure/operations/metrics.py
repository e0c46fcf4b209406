"""The service's Prometheus metrics (prometheus-client), declared once here; each part of the service
counts what it does through them. With several worker processes they are kept in the multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``), so a scrape of any process reports the whole service."""

from prometheus_client import Counter, Histogram

# -- requests (counted by the access middleware, ``api.access``) --
REQUEST_SECONDS = Histogram(
    "commitments_request_duration_seconds",
    "Time to answer a request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REQUESTS = Counter(
    "commitments_requests",
    "Requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
