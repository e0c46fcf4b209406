"""Operators see what the service did and what it has still to do: Prometheus metrics at /metrics for admin
and auditor keys, on a port of their own for a scraper, added up across worker processes.

Every test in the process counts into the same metrics, so each compares what it scraped before and after
its own work."""

import os
import subprocess
import sys
import textwrap
from collections import Counter as Tally
from datetime import UTC, datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from api.bootstrap import Services, build
from application.notices.scanner import Scanner
from domain.access import Role
from infrastructure.operations import metrics
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api, api_of, settings_for_tests
from tests.copies import Copies
from tests.fakes import FrozenClock
from tests.receiver import Answer, Receiver
from tests.records import party
from tests.server import ROOT, free_port
from tests.world import World

PAST_DUE = datetime(2024, 7, 21, tzinfo=UTC)  # the world's commitment is due 20 July 2024, Geneva time

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parsed(text: str) -> Samples:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(api: Api, role: Role = Role.ADMIN) -> Samples:
    response = api.client.get("/metrics", headers=api.headers(role))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")  # the text exposition format
    return parsed(response.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def grown(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_metrics_count_the_requests_events_and_deliveries_the_test_caused(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    with Receiver(Answer(500)) as failing:
        for url in (receiver.url, failing.url):
            response = api.post("/subscriptions", {"url": url, "kinds": ["overdue"]}, role=Role.ADMIN)
            assert response.status_code == 201, response.text
        first = (services.store.recorder.max_notification_id() or 0) + 1
        before = scrape(api)

        for _ in range(3):
            assert api.get("/parties").status_code == 200
        for acronym in ("ACME", "EXMPL"):
            api.created("/parties", party(acronym))
        clock.set(PAST_DUE)
        scanner = services.scanner  # as the composition root builds it, telling the metrics
        Scanner(scanner.records, scanner.catalogue, scanner.ladder, report=metrics.scanned).tick()
        waiting = scrape(api)
        services.dispatcher.tick()
        after = scrape(api)

    stored = services.store.recorder.select_notifications(first, 1000)
    by_type = Tally(notification.topic.rsplit(":", 1)[-1] for notification in stored)
    assert by_type["Commitment.MarkedOverdue"] == 1 and sum(by_type.values()) >= 3
    for kind, count in by_type.items():
        assert grown(before, after, "commitments_events_recorded_total", type=kind) == count, kind

    assert grown(before, after, "commitments_requests_total", method="GET", route="/parties", status="200") == 3
    assert grown(before, after, "commitments_requests_total", method="POST", route="/parties", status="201") == 2
    assert (
        grown(before, after, "commitments_request_duration_seconds_count", method="GET", route="/parties", status="200")
        == 3
    )
    assert grown(before, after, "commitments_scanner_ticks_total") == 1
    assert grown(before, after, "commitments_scanner_facts_total", kind="overdue") == 1
    assert grown(before, after, "commitments_webhook_attempts_total", outcome="succeeded") == 1
    assert grown(before, after, "commitments_webhook_attempts_total", outcome="failed") == 1
    assert grown(before, after, "commitments_webhook_attempts_total", outcome="exhausted") == 0
    assert len(receiver.received) == 1 and len(failing.received) == 1

    # The figures are the database's as it stands at each scrape: both deliveries waited, one still does.
    assert value(waiting, "commitments_webhook_deliveries_pending") == 2
    assert value(after, "commitments_webhook_deliveries_pending") == 1
    assert value(after, "commitments_webhook_oldest_pending_age_seconds") >= 0
    log_end = services.store.recorder.max_notification_id()
    assert value(after, "commitments_event_log_position") == log_end
    assert value(after, "commitments_follower_position", follower="read_model") == log_end
    assert value(after, "commitments_read_model_lag_events") == 0
    assert value(after, "commitments_read_model_progress_ratio") == 1
    assert value(after, "commitments_digests_due") == 0
    assert value(after, "commitments_audit_chain_intact") == 1


def test_metrics_say_when_each_background_job_last_ran_and_count_audit_checks_and_web_sessions(
    api: Api, services: Services, clock: FrozenClock
) -> None:
    before = scrape(api)
    for name, job in (("audit", services.audit_watch.tick), ("scanner", services.scanner.tick)):
        job()
        services.heartbeats.beat(name)
    session = services.web_sessions.open(api.keys[Role.COORDINATOR])
    assert session is not None
    services.web_sessions.close(session.token)
    after = scrape(api)

    assert value(after, "commitments_job_last_tick_timestamp_seconds", job="scanner") == clock().timestamp()
    assert value(after, "commitments_job_last_tick_timestamp_seconds", job="audit") == clock().timestamp()
    assert grown(before, after, "commitments_audit_chain_checks_total", scope="full", result="intact") == 1
    assert grown(before, after, "commitments_web_sessions_started_total") == 1
    assert grown(before, after, "commitments_web_sessions_ended_total", reason="signed_out") == 1


def test_an_auditor_reads_the_metrics_a_coordinator_is_refused_and_no_key_is_unauthenticated(api: Api) -> None:
    assert ("commitments_webhook_deliveries_pending", frozenset()) in scrape(api, Role.AUDITOR)
    assert_problem(api.client.get("/metrics", headers=api.headers(Role.COORDINATOR)), 403, "forbidden")
    assert_problem(api.client.get("/metrics"), 401, "unauthenticated")


def test_metrics_turned_off_answer_as_a_path_the_service_does_not_know(
    copies: Copies, empty_schema: dict[str, str]
) -> None:
    with (
        copies.copy(empty_schema["sqlite"]) as url,
        build(settings_for_tests(url, metrics=False), clock=FrozenClock()) as services,
        api_of(services) as api,
    ):
        unknown = api.client.get("/no-such-path").json()
        for headers in ({}, api.headers(Role.ADMIN)):
            response = api.client.get("/metrics", headers=headers)
            assert_problem(response, 404, "not-found")
            assert {**response.json(), "instance": None} == {**unknown, "instance": None}


def test_the_metrics_port_serves_them_to_a_scraper_without_a_key(services: Services) -> None:
    assert metrics.serve_port(services.settings) is None  # no port unless one is given
    port, url = free_port(), services.settings.database_url
    assert metrics.serve_port(settings_for_tests(url, metrics=False, metrics_port=port)) is None  # off: none
    server = metrics.serve_port(settings_for_tests(url, metrics_port=port))
    assert server is not None
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    samples = parsed(response.text)
    assert ("commitments_webhook_deliveries_pending", frozenset()) in samples  # the figures too
    assert ("commitments_scanner_ticks_total", frozenset()) in samples  # and the counts


PARENT = textwrap.dedent(
    """
    import subprocess, sys
    from prometheus_client import REGISTRY, generate_latest
    from infrastructure.operations import metrics

    metrics.EVENTS.labels("Test.Counted").inc(100)  # this process's own, before: not the service's
    metrics.prepare_multiprocess(sys.argv[1])
    child = (
        "import sys; from infrastructure.operations import metrics; "
        "metrics.EVENTS.labels('Test.Counted').inc(int(sys.argv[1])); "
        "metrics.WEBHOOK_ATTEMPTS.labels('succeeded').inc()"
    )
    for count in (2, 3):
        worker = subprocess.Popen([sys.executable, "-c", child, str(count)])
        assert worker.wait() == 0
        metrics.mark_dead(worker.pid)
    sys.stdout.write(generate_latest(REGISTRY).decode())
    """
)


def test_several_processes_count_into_one_directory_and_every_scrape_adds_them_up(tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_1.db").write_bytes(b"an earlier run's")  # emptied before the workers start
    environment = {key: value for key, value in os.environ.items() if key != metrics.MULTIPROCESS_DIR}
    ran = subprocess.run(
        [sys.executable, "-c", PARENT, str(directory)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    samples = parsed(ran.stdout)
    assert value(samples, "commitments_events_recorded_total", type="Test.Counted") == 5
    assert value(samples, "commitments_webhook_attempts_total", outcome="succeeded") == 2
    assert not any(name.startswith("process_") for name, _ in samples)  # one process's figures, not the service's
    assert not (directory / "counter_1.db").exists()
