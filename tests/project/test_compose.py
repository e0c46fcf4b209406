"""``compose.yaml`` runs the service on PostgreSQL (decision 0058): the database with a named volume and
pg_isready, the API and a worker from the Dockerfile's image once the database is healthy, each with a
health check of its own (the API's /ready, the worker's ``commitments worker --health``, no port), the
database URL as a secret file, the settings from ``.env`` (``.env.example`` names them all).

The file is read as Docker Compose resolves it (``docker compose config``) when the client has Compose,
else as YAML; with neither, those tests are skipped. No container is started: that needs a Docker engine."""

import importlib
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from infrastructure.settings import SECRETS, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"


def _compose_plugin() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    found = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60)
    return found.returncode == 0


@cache
def model() -> dict[str, Any]:
    """The compose file as Docker Compose resolves it (``.env.example`` as its ``.env``), else as YAML."""
    if _compose_plugin():
        resolved = subprocess.run(
            ["docker", "compose", "--project-directory", str(ROOT), "-f", str(COMPOSE)]
            + ["--env-file", str(ENV_EXAMPLE), "config", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert resolved.returncode == 0, resolved.stderr
        loaded: dict[str, Any] = json.loads(resolved.stdout)
        return loaded
    try:
        yaml = importlib.import_module("yaml")  # PyYAML (installed with schemathesis), typed as Any: it has no stubs
    except ImportError:
        pytest.skip("neither docker compose nor PyYAML is installed")
    read: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # merge keys (<<) included
    return read


def service(name: str) -> dict[str, Any]:
    found: dict[str, Any] = model()["services"][name]
    return found


def environment(name: str) -> dict[str, str]:
    """A service's environment as a mapping, whichever form it is written in."""
    given = service(name).get("environment") or {}
    if isinstance(given, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in given)
    return {key: "" if value is None else str(value) for key, value in given.items()}


def health_test(name: str) -> list[str]:
    test = service(name)["healthcheck"]["test"]
    return test if isinstance(test, list) else ["CMD-SHELL", test]


def secrets_of(name: str) -> set[str]:
    return {entry if isinstance(entry, str) else entry["source"] for entry in service(name).get("secrets", [])}


def depends_on(name: str) -> dict[str, str]:
    given = service(name).get("depends_on", {})
    if isinstance(given, list):
        return dict.fromkeys(given, "service_started")
    return {other: how.get("condition", "service_started") for other, how in given.items()}


def build_context(name: str) -> Path:
    build = service(name)["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    return (ROOT / context).resolve()


def test_postgresql_runs_from_the_official_image_with_a_named_volume_and_pg_isready() -> None:
    postgres = service("postgres")
    assert str(postgres["image"]).startswith("postgres:")
    mounts = [
        (volume["source"], volume["target"]) if isinstance(volume, dict) else tuple(volume.split(":")[:2])
        for volume in postgres["volumes"]
    ]
    assert ("postgres-data", "/var/lib/postgresql/data") in mounts
    assert "postgres-data" in model()["volumes"]
    assert "pg_isready" in " ".join(health_test("postgres"))


def test_the_api_and_the_worker_are_the_dockerfiles_image_started_once_the_database_is_healthy() -> None:
    for name, command in (("api", ["commitments", "serve"]), ("worker", ["commitments", "worker"])):
        assert service(name)["command"] == command
        assert build_context(name) == ROOT and (ROOT / "Dockerfile").is_file()
        assert service(name)["image"] == service("api")["image"]
        assert depends_on(name) == {"postgres": "service_healthy"}


def test_the_api_is_healthy_when_it_can_serve_and_the_worker_when_its_jobs_tick_without_a_port() -> None:
    assert "/ready" in " ".join(health_test("api"))
    assert health_test("worker") == ["CMD", "commitments", "worker", "--health"]
    assert not service("worker").get("ports")
    assert "8000" in json.dumps(service("api")["ports"])


def test_the_api_leaves_the_background_jobs_to_the_worker() -> None:
    api, worker = environment("api"), environment("worker")
    for job in ("SCAN", "DISPATCH", "DIGEST", "AUDIT_CHECK"):
        assert api[f"COMMITMENTS_{job}_INTERVAL"] == "0"
        assert f"COMMITMENTS_{job}_INTERVAL" not in worker  # the worker runs each at its usual interval


def test_the_database_password_and_url_reach_the_containers_only_as_secret_files() -> None:
    for name in ("api", "worker"):
        assert environment(name)["COMMITMENTS_DATABASE_URL_FILE"] == "/run/secrets/database_url"
        assert "COMMITMENTS_DATABASE_URL" not in environment(name)
        assert secrets_of(name) == {"database_url"}
    assert environment("postgres")["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "POSTGRES_PASSWORD" not in environment("postgres")
    assert secrets_of("postgres") == {"postgres_password"}
    assert {name: model()["secrets"][name].get("environment") for name in ("postgres_password", "database_url")} == {
        "postgres_password": "POSTGRES_PASSWORD",
        "database_url": "COMMITMENTS_DATABASE_URL",
    }


def test_every_setting_compose_passes_is_one_the_service_reads() -> None:
    for name in ("api", "worker"):
        for variable in environment(name):
            assert variable.startswith("COMMITMENTS_"), variable
            setting = variable.removeprefix("COMMITMENTS_").lower()
            secret_file = setting.endswith("_file") and setting.removesuffix("_file") in SECRETS
            assert setting in Settings.model_fields or secret_file, variable


def example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {key.strip(): value for key, value in pairs if not key.lstrip().startswith("#")}


def test_env_example_names_every_variable_the_compose_file_reads() -> None:
    read = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    read |= {secret["environment"] for secret in model()["secrets"].values() if "environment" in secret}
    assert read <= set(example()), read - set(example())
    url = example()["COMMITMENTS_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://commitments:${POSTGRES_PASSWORD}@postgres:5432/commitments")
    assert environment("postgres")["POSTGRES_USER"] == "commitments"
    assert environment("postgres")["POSTGRES_DB"] == "commitments"


def test_the_images_health_check_asks_a_server_for_ready_and_a_worker_for_its_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    checks = [line for line in dockerfile.splitlines() if line.startswith("HEALTHCHECK")]
    assert len(checks) == 1
    command = json.loads(checks[0][checks[0].index("CMD ") + 4 :])
    code = command[-1]
    assert "/ready" in code and "'--health'" in code and "/proc/1/cmdline" in code
    compile(code, "HEALTHCHECK", "exec")  # the check itself is Python that runs
