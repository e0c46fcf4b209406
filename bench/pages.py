"""The web pages under load: wrk (a native load generator) against a real server holding many
commitments, each page beside a trivial page (the sign-in form) measured in the same run. One
connection per worker: the time a page takes to render, not the queue of a saturated server."""

from application.listing.queries import CommitmentFilter
from bench.http_load import server, wrk
from bench.measure import Figure, summary
from bench.seeding import database, followed, services
from domain.access import Role


def page_load(url: str, cookie: str, seconds: int = 5, connections: int = 2) -> dict[str, float]:
    """Latency percentiles of a page under ``connections`` keep-alive connections, in Arabic."""
    return wrk(url, {"Cookie": f"session={cookie}", "Accept-Language": "ar"}, seconds, connections)


def render_pages(engine: str, count: int, runs: int, seconds: int = 5) -> list[Figure]:
    with database(engine) as url:
        s = services(url)
        followed(s, count)
        _, key = s.keys.create(Role.AUDITOR, "bench")
        session = s.web_sessions.open(key)
        assert session is not None
        some = s.catalogue.find_commitments(CommitmentFilter(limit=1)).items[0]["id"]
        s.close()
        pages = {
            "overview": "/app/",
            "commitments list": "/app/commitments",
            "Arabic search": "/app/commitments?q=%D9%85%D8%B5%D9%81%D9%88%D9%81%D8%A9",
            "one commitment": f"/app/commitments/{some}",
        }
        figures = []
        with server(url) as (base, _):
            page_load(base + "/app/sign-in", session.token, 1)  # warm up both workers
            measured: dict[str, list[float]] = {name: [] for name in pages}
            trivial: list[float] = []
            for _ in range(runs):
                trivial.append(page_load(base + "/app/sign-in", session.token, seconds)["p95_ms"])
                for name, path in pages.items():
                    measured[name].append(page_load(base + path, session.token, seconds)["p95_ms"])
        for name, values in measured.items():
            value, low, high = summary(values)
            figures.append(
                Figure(
                    f"page: {name}, p95, {count:,} commitments (wrk, a connection per worker, 2 workers)",
                    engine,
                    "ms",
                    value,
                    low,
                    high,
                    "the sign-in page (no data), p95",
                    summary(trivial)[0],
                    "≤ 100 ms",
                )
            )
    return figures
