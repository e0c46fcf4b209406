"""The benchmark runs and reports every scenario on each engine; its speed is never asserted here."""

import json

import pytest

from bench import __main__ as bench
from bench import scenarios
from tests.conftest import ENGINES


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_every_scenario_runs_and_reports_on_each_engine(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    monkeypatch.setitem(
        bench.SCALES,
        "smoke",
        {
            "record": 5,
            "scan": [200, 400],
            "chain": 100,
            "history": 30,
            "search": 200,
            "mark": 10,
            "http": 64,
            "deliver": 20,
            "rebuild": 100,
            "memory": 100,
            "pages": 100,
            "import": 20,
            "ids": 20,
            "few": 60,
            "many": 120,
        },
    )
    figures = bench.run("smoke", [engine], runs=1)
    assert {(f.scenario.split(" ")[0], f.engine) for f in figures} == {
        (word, engine)
        for word in (
            "record",
            "find",
            "verify",
            "load",
            "search",
            "mark",
            "read",
            "deliver",
            "rebuild",
            "peak",
            "page:",
            "import",
            "trivial",
            "save",
            "list",
            "roll-up",
            "statistics",
            "upload",
            "public",
        )
    }
    assert len([f for f in figures if f.scenario.startswith("record")]) == 4  # one at a time, threads, API, many stored
    assert len([f for f in figures if f.scenario.startswith("trivial")]) == 1
    assert len([f for f in figures if f.scenario.startswith("page:")]) == 4  # four pages
    assert len([f for f in figures if f.scenario.startswith("public")]) == 4  # three kept copies, one made again
    assert len([f for f in figures if f.scenario.startswith("list page")]) == 3  # three lists
    assert len([f for f in figures if f.scenario.startswith("rebuild")]) == 3  # one process (two baselines), two
    # processor time is counted in hundredths of a second: a file refused at once may cost none of them
    odd = [f for f in figures if not ((f.value > 0 or f.unit.startswith("CPU")) and 0 <= f.low <= f.value <= f.high)]
    assert not odd, odd  # each figure that is not, said whole
    assert all(f.notes.get("intact") == 1.0 for f in figures if f.scenario.startswith("verify"))
    if engine == "sqlite":
        overdue = [f for f in figures if f.scenario.startswith("find")]
        assert [f.notes["found"] for f in overdue] == [2, 4]  # 1% of each size is overdue
    rendered = bench.table(figures)
    assert rendered.count("\n") == len(figures) + 1
    assert len(json.loads(scenarios.to_json(figures))) == len(figures)
