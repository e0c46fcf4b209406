"""The benchmark runs and reports every scenario on both engines; its speed is never asserted here."""

import json

from bench import __main__ as bench
from bench import scenarios


def test_every_scenario_runs_and_reports_on_both_engines(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(bench.SCALES, "smoke", {"record": 5, "scan": [200, 400], "chain": 100, "history": 30,
                                                "search": 200, "mark": 10, "http": 64, "deliver": 20,
                                                "rebuild": 100, "memory": 100, "pages": 100, "import": 20,
                                                "ids": 20, "few": 60, "many": 120})
    figures = bench.run("smoke", ["sqlite", "postgresql"], runs=1)
    assert {(f.scenario.split(" ")[0], f.engine) for f in figures} == {
        (word, engine) for word in ("record", "find", "verify", "load", "search", "mark", "read", "deliver", "rebuild",
                                     "peak", "page:", "import", "trivial", "save", "list", "roll-up",
                                     "upload")
        for engine in ("sqlite", "postgresql")}
    assert len([f for f in figures if f.scenario.startswith("record")]) == 8  # one at a time, threads, API, with many stored
    assert len([f for f in figures if f.scenario.startswith("trivial")]) == 2  # one on each engine
    assert len([f for f in figures if f.scenario.startswith("page:")]) == 8  # four pages on each engine
    assert len([f for f in figures if f.scenario.startswith("list page")]) == 6  # three lists on each engine
    assert len([f for f in figures if f.scenario.startswith("rebuild")]) == 6  # one process (two baselines), two
    assert all(f.value > 0 and f.low <= f.value <= f.high for f in figures)
    assert all(f.notes.get("intact") == 1.0 for f in figures if f.scenario.startswith("verify"))
    overdue = [f for f in figures if f.scenario.startswith("find") and f.engine == "sqlite"]
    assert [f.notes["found"] for f in overdue] == [2, 4]  # 1% of each size is overdue
    rendered = bench.table(figures)
    assert rendered.count("\n") == len(figures) + 1
    assert len(json.loads(scenarios.to_json(figures))) == len(figures)
