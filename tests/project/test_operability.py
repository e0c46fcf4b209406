"""Operators can tell whether the service is alive (whether it is ready, and the deployment's status:
``test_health``), bad settings are named, unauthenticated traffic cannot fill the database, and no name
can pass for another."""

import os
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from api.bootstrap import Services
from domain.access import Role
from infrastructure.audit.tables import access_denials
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import commitment, party
from tests.server import COMMAND, ROOT
from tests.world import World


def test_liveness_needs_no_key(api: Api) -> None:
    response = api.client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_background_job_leaves_a_heartbeat(database_url: str, clock: FrozenClock) -> None:
    from api.bootstrap import build
    from infrastructure.settings import Settings

    services = build(
        Settings(
            database_url=database_url,
            scan_interval=60,
            dispatch_interval=0,
            audit_check_interval=0,
            witness_interval=0,
        ),
        clock=clock,
    )
    try:
        jobs = services.background_jobs()
        assert set(jobs) == {"scanner"}
        jobs["scanner"][0]()
        assert services.heartbeats.last() == {"scanner": clock.now}
    finally:
        services.close()


@pytest.mark.slow  # a process per bad setting
def test_a_bad_setting_is_one_line_naming_it_and_exit_status_2(tmp_path: Any) -> None:
    for name, value in (
        ("COMMITMENTS_PORT", "abc"),
        ("COMMITMENTS_SCAN_INTERVAL", "-5"),
        ("COMMITMENTS_WEBHOOK_RETRY_SCHEDULE", "5,soon"),
    ):
        result = subprocess.run(
            [*COMMAND, "serve", "--database-url", f"sqlite:///{tmp_path}/x.db"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), name: value},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"commitments: {name}: "), result.stderr
        assert "Traceback" not in result.stderr


def test_a_client_sending_bad_keys_fast_is_told_to_wait_and_fills_nothing(
    api: Api, services: Services, clock: FrozenClock
) -> None:
    bad = {"Authorization": "Bearer cmk_not-a-key"}
    statuses = [api.client.get("/commitments", headers=bad).status_code for _ in range(100)]
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}
    waiting = api.client.get("/commitments", headers=bad)
    assert_problem(waiting, 429, "too-many-requests")
    assert 1 <= int(waiting.headers["retry-after"]) <= 60
    with services.engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(access_denials)).scalar_one()
    assert rows == 5  # a sample of the minute; the rest are counted
    listed = api.get("/audit/denials", role=Role.AUDITOR).json()["items"]
    unknown = [d for d in listed if d["principal"] is None]
    assert sum(1 + d["repeats"] for d in unknown) == 101
    assert {d["client"] for d in unknown} == {"testclient"}
    clock.advance(minutes=1)
    assert api.client.get("/commitments", headers=bad).status_code == 401  # a new minute
    assert api.get("/commitments").status_code == 200  # good keys are never held back


def test_refusals_older_than_the_retention_are_deleted(api: Api, services: Services, clock: FrozenClock) -> None:
    api.client.get("/commitments")
    clock.advance(days=91)
    api.client.get("/commitments", headers={"Authorization": "Bearer cmk_other"})
    with services.engine.connect() as connection:
        ats = connection.execute(select(access_denials.c.at)).scalars().all()
    assert len(ats) == 1 and ats[0] > clock.now - timedelta(days=1)


def test_texts_that_could_pass_for_others_are_refused_in_names(api: Api, world: World) -> None:
    override = party("EVIL")
    override["names"] = {"texts": {"en": "United \u202eNations"}}
    body = assert_problem(api.post("/parties", override), 422, "invalid-value", "names.texts.en")
    assert "U+202E" in body["detail"]
    for hidden in ("\u200b", "\u2066", "\ufeff"):
        named = party("EVIL")
        named["names"] = {"texts": {"fa": f"سازمان{hidden}ملل"}}
        assert_problem(api.post("/parties", named), 422, "invalid-value", "names.texts.fa")
    for joiner_out_of_place in ("United\u200dNations", "\u200cملل", "ملل\u200d", "سازمان \u200c ملل"):
        named = party("EVIL")
        named["names"] = {"texts": {"en": joiner_out_of_place}}
        assert_problem(api.post("/parties", named), 422, "invalid-value", "names.texts.en")
    hidden_acronym = {**party("EVIL"), "acronym": "E\u200bVIL"}
    assert_problem(api.post("/parties", hidden_acronym), 422, "invalid-value", "acronym")
    titled = commitment(world.meeting, world.oic, clause="Article\u202e 5")
    assert_problem(api.post("/commitments", titled), 422, "invalid-value", "clause")


def test_names_and_titles_keep_the_joiners_emoji_and_joining_scripts_need(api: Api, world: World) -> None:
    for name in ("سازمان\u200cهای همکاری", "فريق العمل 👩\u200d💻", "❤\ufe0f\u200d🔥 مبادرة", "क्\u200dष"):
        named = party("JOIN" + str(len(name)))
        named["names"] = {"texts": {"fa": name}}
        assert api.created("/parties", named)["names"]["texts"]["fa"] == name
    titled = api.created("/commitments", commitment(world.meeting, world.oic, clause="البند 👨\u200d👩\u200d👧 ٣"))
    assert titled["provenance"]["clause"] == "البند 👨\u200d👩\u200d👧 ٣"


def test_long_texts_keep_the_joiners_a_language_needs(api: Api, world: World) -> None:
    persian = "همکاری\u200cهای مشترک"  # ZWNJ, as Persian writes it
    kept = api.created("/commitments", commitment(world.meeting, world.oic, text={"texts": {"fa": persian}}))
    assert kept["text"]["texts"]["fa"] == persian
    for spoof in ("\u202e", "\u200b", "mid\ufefftext"):
        body = commitment(world.meeting, world.oic, text={"texts": {"en": f"Hold the workshop {spoof}"}})
        assert_problem(api.post("/commitments", body), 422, "invalid-value", "text.texts.en")


def test_a_request_without_a_key_is_answered_401_even_past_the_bad_key_limit(api: Api) -> None:
    bad = {"Authorization": "Bearer cmk_not-a-key"}
    statuses = [api.client.get("/commitments", headers=bad).status_code for _ in range(40)]
    assert statuses[-1] == 429  # guessing keys is held back
    without = api.client.get("/commitments")
    assert_problem(without, 401, "unauthenticated")  # nothing guessed: nothing to hold back
