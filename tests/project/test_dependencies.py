"""Everything the shipped packages import comes with the README's install command, which installs no
extras: a module that only the test extra (or nothing) provides would stop the service on a fresh
machine at its first start."""

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from tests.project.test_layering import imported_modules

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("domain", "application", "infrastructure", "api")


def _name(requirement: str) -> tuple[str, str]:
    """A requirement's distribution name, normalised, and its environment marker."""
    head, _, marker = requirement.partition(";")
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~(]", head.strip(), maxsplit=1)[0]).lower(), marker


def installed_without_extras(requirements: list[str]) -> set[str]:
    """The distributions these requirements bring in, following their own requirements, no extras."""
    seen: set[str] = set()
    todo = [_name(requirement)[0] for requirement in requirements]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo.extend(dependency for dependency, marker in map(_name, requires) if "extra" not in marker)
    return seen


def unprovided(root: Path, requirements: list[str]) -> dict[str, str]:
    """Each third-party module the shipped packages import that no main dependency provides, with a
    file that imports it."""
    provided = installed_without_extras(requirements)
    providers = metadata.packages_distributions()
    missing: dict[str, str] = {}
    for package in SHIPPED:
        for path in sorted((root / package).rglob("*.py")):
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in SHIPPED:
                    continue
                distributions = {_name(d)[0] for d in providers.get(top, [])}
                if not distributions & provided:
                    missing.setdefault(top, str(path.relative_to(root)))
    return missing


def main_dependencies() -> list[str]:
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"])


def test_every_module_the_service_imports_is_provided_by_a_main_dependency() -> None:
    assert unprovided(ROOT, main_dependencies()) == {}


def test_a_module_only_a_test_extra_provides_is_found(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "export.py").write_text(
        "from lxml import etree\nimport fastapi\nimport json\n", encoding="utf-8"
    )
    for package in ("domain", "application", "infrastructure"):
        (tmp_path / package).mkdir()
    assert unprovided(tmp_path, ["fastapi>=0.115"]) == {"lxml": "api/export.py"}
    assert unprovided(tmp_path, ["fastapi>=0.115", "lxml>=5"]) == {}
