"""What the quality gate asks that no tool checks: a `type: ignore` silences the type checker only where
it must, so each one names the error it silences and says why, on its own line. (ruff and mypy run
before the tests, in scripts/test.)"""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("domain", "application", "infrastructure", "api", "tests", "bench")
REASONED = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\w")


def unexplained_ignores(source: str) -> list[int]:
    """The lines of ``source`` whose comment silences the type checker without a code and a reason."""
    return [
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
        and re.search(r"type:\s*ignore", token.string)
        and not REASONED.search(token.string)
    ]


def test_every_type_ignore_names_its_error_and_gives_its_reason() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in CHECKED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in unexplained_ignores(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_sees_an_ignore_without_its_error_or_its_reason() -> None:
    source = (
        "a = f()  # type: ignore\n"
        "b = g()  # type: ignore[arg-type]\n"
        "c = h()  # type: ignore[arg-type]  # the library's decorator hides the signature\n"
        "d = 'type: ignore'\n"
    )
    assert unexplained_ignores(source) == [1, 2]
