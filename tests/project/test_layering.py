"""Arrows point one way: domain <- application <- infrastructure <- api. The domain holds the rules and
depends on nothing but the standard library and eventsourcing.domain; the application imports no outer
layer and no framework; the infrastructure imports nothing from api; api builds everything in one
composition root (api/bootstrap.py)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "domain"
FORBIDDEN = {
    "fastapi",
    "sqlalchemy",
    "httpx",
    "apscheduler",
    "pydantic",
    "starlette",
    "uvicorn",
    "psycopg",
    "application",
    "infrastructure",
    "api",
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_no_framework_and_no_outer_layer() -> None:
    offenders = {
        f"{path.name}: {module}"
        for path in DOMAIN.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()


def test_domain_uses_only_the_domain_part_of_eventsourcing() -> None:
    offenders = {
        f"{path.name}: {module}"
        for path in DOMAIN.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("eventsourcing") and module != "eventsourcing.domain"
    }
    assert offenders == set()


def offenders(layer: str, forbidden: set[str]) -> set[str]:
    """Each module of ``layer`` that imports one of ``forbidden`` (top-level names), with what it imports."""
    return {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / layer).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in forbidden
    }


WEB = {"fastapi", "starlette", "uvicorn", "jinja2", "babel"}


def test_the_application_imports_no_outer_layer_and_no_framework() -> None:
    assert (
        offenders(
            "application", {"infrastructure", "api", "sqlalchemy", "psycopg", "httpx", "apscheduler", "pydantic", *WEB}
        )
        == set()
    )


# Babel's CLDR data names the world's states in Arabic, English and French: the gazetteer reads them there
# (decision 0061), and nothing else outside the web pages uses Babel.
CLDR_NAMES = {"infrastructure/gazetteer/__init__.py: babel"}


def test_the_infrastructure_imports_nothing_from_the_api_and_no_web_framework() -> None:
    assert offenders("infrastructure", {"api", *WEB}) == CLDR_NAMES


# The api modules that still reach the infrastructure beside the composition root: the processes' entry points
# (the app factory starts the scheduler; the workers and the command line read the settings), and the command
# line's operations on the machine (backups, the audit bundle, the signing key, rebuilding the read model),
# which have no use case in application/ yet. The list only shrinks.
NOT_YET_THROUGH_THE_APPLICATION = {
    "api/app.py",
    "api/cli/__init__.py",
    "api/cli/audit.py",
    "api/cli/backups.py",
    "api/cli/common.py",
    "api/cli/projections.py",
    "api/cli/serving.py",
    "api/workers.py",
}


def test_the_api_reaches_the_infrastructure_only_through_the_composition_root() -> None:
    reaching = {line.split(":")[0] for line in offenders("api", {"infrastructure"})}
    assert reaching - {"api/bootstrap.py"} == NOT_YET_THROUGH_THE_APPLICATION  # a file that moves leaves the list


def test_the_layering_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from sqlalchemy import select\nimport api.app\n", encoding="utf-8")
    assert {"sqlalchemy", "api.app"} <= imported_modules(sample)
