"""The interface's message catalogues: what is extracted into them, and the command that updates them.

Message ids are the English words of the templates, of ``api/web/labels.py`` and of every refusal
(``domain.errors.Refusal``: the first argument of the error classes below, or of ``N_``). After
changing any of them::

    .venv/bin/python -m api.web.catalogues

extracts ``locales/messages.pot`` and merges it into each language's ``messages.po``; then fill in
the new ``msgstr``s (a test fails while one is missing).
"""

import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).parent
ROOT = WEB.parent.parent
SOURCES = ("domain", "application", "infrastructure", "api")
# Calls whose first string is a message id (NotFound's template is its third argument).
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "InvalidValue": None,
    "DomainError": None,
    "Refusal": None,
    "ApplicationError": None,
    "AlreadyExists": None,
    "NotFound": (3,),
    "Forbidden": None,
    "NotAllowed": None,
    "Unauthenticated": None,
    "UnknownParameter": None,
    "NotAcceptable": None,
    "IdempotencyKeyReused": None,
    "UnsafeUrl": None,
    "TooLarge": None,
    "__init__": None,  # an error class's own words: super().__init__("…")
}
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2"), ("**.py", "python")]
OPTIONS = {
    pattern: {"trim_blocks": "True", "lstrip_blocks": "True"} for pattern, kind in METHOD_MAP if kind == "jinja2"
}


def _keyword_arguments() -> list[str]:
    arguments = []
    for name, spec in KEYWORDS.items():
        arguments += ["-k", name if spec is None else f"{name}:{','.join(map(str, spec))}"]
    return arguments


def main() -> int:
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    extract = [
        *pybabel,
        "--quiet",
        "extract",
        "-F",
        str(WEB / "babel.cfg"),
        *_keyword_arguments(),
        "--no-location",
        "--sort-output",
        "-w",
        "120",
        "-o",
        str(WEB / "locales" / "messages.pot"),
        *SOURCES,
    ]
    update = [
        *pybabel,
        "--quiet",
        "update",
        "-i",
        str(WEB / "locales" / "messages.pot"),
        "-d",
        str(WEB / "locales"),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "-w",
        "120",
    ]
    for command in (extract, update):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        for line in done.stderr.splitlines():  # an f-string given as a field's name is not a message: no warning
            if "Skipping f-string" not in line:
                print(line, file=sys.stderr)
        if done.returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
