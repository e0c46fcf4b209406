"""The README's walkthrough, pasted verbatim into a shell, works against a real server."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import ROOT, Server

README = (ROOT / "README.md").read_text(encoding="utf-8")


def walkthrough() -> str:
    section = README[README.index("## Walkthrough") :]
    found = re.search(r"```bash\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def test_ci_runs_the_readme_test_command() -> None:
    start = README[README.index("## Start") : README.index("## Walkthrough")]
    commands = re.findall(r"```bash\n(.*?)\n```", start, re.S)
    test_command = commands[1]  # the second: it installs what the tests need, then runs them
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    script = (ROOT / test_command.split()[0]).read_text(encoding="utf-8")
    assert "apt-get install" in script and "chromium-driver" in script and "wrk" in script
    assert "pip install -q -e '.[test]'" in script and "python -m pytest" in script


@pytest.mark.slow  # a real server and curl
@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough uses curl")
def test_the_walkthrough_records_the_geneva_meeting(tmp_path: Path) -> None:
    server = Server("sqlite:///var/commitments.db", cwd=tmp_path)
    try:
        bin_dir = tmp_path / ".venv" / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "activate").write_text("")  # the walkthrough's first line activates the project's venv
        script = walkthrough().replace("http://127.0.0.1:8000", server.url)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        )
        assert result.returncode == 0, result.stderr
        documents = json.loads("[" + re.sub(r"\}\n\{", "},{", result.stdout.strip()) + "]")
        commitment, history = documents
        assert commitment["kind"] == "follow_up_session"
        assert commitment["follow_up"] == {"series": "un-oic-general-meeting", "session_number": 16, "generated": False}
        assert commitment["due_at"] == "2024-12-31T19:00:00Z"
        assert commitment["progress"]["percent"] == 40
        types = [e["type"] for e in history["events"]]
        assert types[:2] == ["Recorded", "ProgressReported"]
        assert set(types[2:]) <= {"MarkedOverdue"}  # 2024 is past: the scanner may already have found it late
        assert "أستانا" in commitment["text"]["texts"]["ar"]
    finally:
        server.stop()
