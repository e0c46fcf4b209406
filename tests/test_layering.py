"""The domain holds the rules and depends on nothing but the standard library and eventsourcing.domain."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "domain"
FORBIDDEN = {"fastapi", "sqlalchemy", "httpx", "apscheduler", "pydantic", "starlette", "uvicorn", "psycopg",
             "application", "infrastructure", "api"}


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
        for path in DOMAIN.glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()


def test_domain_uses_only_the_domain_part_of_eventsourcing() -> None:
    offenders = {
        f"{path.name}: {module}"
        for path in DOMAIN.glob("*.py")
        for module in imported_modules(path)
        if module.startswith("eventsourcing") and module != "eventsourcing.domain"
    }
    assert offenders == set()


def test_the_layering_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from sqlalchemy import select\nimport api.app\n", encoding="utf-8")
    assert {"sqlalchemy", "api.app"} <= imported_modules(sample)
