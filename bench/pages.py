"""The web pages under load: wrk (a native load generator) against a real server holding many
commitments, each page beside a trivial page (the sign-in form) measured in the same run. One
connection per worker: the time a page takes to render, not the queue of a saturated server."""

import time

import httpx

from application.inputs import TextInput
from application.listing.queries import CommitmentFilter, PartyFilter
from bench.http_load import server, wrk
from bench.measure import Figure, summary
from bench.seeding import BENCH, database, followed, services
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
            with httpx.Client(base_url=base, cookies={"session": session.token}, timeout=120) as client:
                for path in [*pages.values()] * 4:  # each page rendered once in each worker before it is timed
                    assert client.get(path, headers={"Accept-Language": "ar"}).is_success, path
            measured: dict[str, list[float]] = {name: [] for name in pages}
            trivial: list[float] = []
            for _ in range(runs):
                trivial.append(page_load(base + "/app/sign-in", session.token, seconds)["p95_ms"])
                for name, path in pages.items():
                    measured[name].append(page_load(base + path, session.token, seconds)["p95_ms"])
        for name, values in measured.items():
            scenario = f"page: {name}, p95, {count:,} commitments (wrk, a connection per worker, 2 workers)"
            figures.append(beside_sign_in(scenario, engine, values, summary(trivial)[0], "≤ 100 ms"))
    return figures


def public_pages(engine: str, count: int, runs: int, seconds: int = 5) -> list[Figure]:
    """The public portal under load, read by anyone (no cookie, in Arabic): the page of a party whose
    ``count`` commitments are published, its JSON, and the list of everything published; each beside the
    sign-in page in the same run. The first reading of the party's page (its copy made) is timed once per
    run, beside the sign-in page's p95."""
    with database(engine) as url:
        s = services(url)
        followed(s, count)
        party = s.catalogue.find_parties(PartyFilter(limit=1)).items[0]["id"]
        s.publishing.publish(BENCH, "party", party, "published for the benchmark")
        s.close()
        pages = {
            "public party page": f"/public/parties/{party}",
            "public party JSON": f"/public/parties/{party}.json",
            "public index": "/public/",
        }
        figures = []
        with server(url) as (base, _):
            measured: dict[str, list[float]] = {name: [] for name in pages}
            trivial: list[float] = []
            first: list[float] = []
            for run in range(runs):
                written = services(url)  # a write elsewhere: every copy kept is stale
                written.tracker.parties.register(BENCH, TextInput({"en": f"Party {run}"}), f"P{run}", "other")
                written.close()
                with httpx.Client(base_url=base, timeout=600) as client:
                    started = time.perf_counter()
                    answer = client.get(f"/public/parties/{party}")
                    first.append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, answer.text
                # Each worker makes its own copy first (a second for 1,000 rows): one request after another, each
                # on a connection of its own (both workers are reached), none left running when measuring starts.
                for path in pages.values():
                    for _ in range(6):
                        assert httpx.get(base + path, headers={"Accept-Language": "ar"}, timeout=600).is_success
                trivial.append(wrk(base + "/app/sign-in", {"Accept-Language": "ar"}, seconds, 2)["p95_ms"])
                for name, path in pages.items():
                    measured[name].append(wrk(base + path, {"Accept-Language": "ar"}, seconds, 2)["p95_ms"])
        sign_in = summary(trivial)[0]
        for name, values in measured.items():
            scenario = f"{name}, p95, {count:,} commitments published (wrk, a connection per worker, 2 workers)"
            figures.append(beside_sign_in(scenario, engine, values, sign_in, "≤ 2× the sign-in page"))
        scenario = f"public party page made after a write (no copy kept), {count:,} commitments, 1,000 listed"
        figures.append(beside_sign_in(scenario, engine, first, sign_in))
    return figures


def beside_sign_in(scenario: str, engine: str, values: list[float], sign_in: float, target: str = "") -> Figure:
    """A page's times (ms), beside the sign-in page's p95 measured in the same run."""
    value, low, high = summary(values)
    return Figure(scenario, engine, "ms", value, low, high, "the sign-in page (no data), p95", sign_in, target)
