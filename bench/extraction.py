"""How well reports are read: precision and recall per kind on the annotated reports of
``tests/reports`` (``python -m bench.extraction``; ``--misses`` lists what was missed or wrongly found).

Kinds: the dates the text writes (distinct values), the parties (known ones by acronym, new ones
by a part of their name), the follow-up sessions (number and due) and the commitments (a
proposal is right when its quote holds the annotated words). Offline: nothing is downloaded.

``--gazetteer`` reads with the gazetteer of the world's names (``infrastructure.gazetteer``) as the service
does; without it, with the registered parties and the small table of cities (what the targets are set on).
``--timing`` says how long one 6 kB report takes to read (CPU time, the gazetteer included when given).
"""

import argparse
import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.reading.dates import FoundDate, find_dates
from domain.reading.names import NO_NAMES, Gazetteer
from domain.reading.proposals import KnownParty, Reading
from domain.reading.report import read_report

REPORTS = Path(__file__).resolve().parent.parent / "tests" / "reports"
KINDS = ("dates", "parties", "follow_ups", "commitments")


@dataclass
class Tally:
    found: int = 0  # right proposals
    proposed: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return min(self.found, self.expected) / self.expected if self.expected else 1.0


def date_key(found: FoundDate) -> str:
    if found.kind in ("range",):
        return f"range:{found.first}/{found.last}" if found.first != found.last else f"day:{found.first}"
    if found.kind == "day":
        return f"day:{found.first}"
    if found.kind == "month" and found.first:
        return f"month:{found.first:%Y-%m}"
    if found.kind == "period" and found.first and found.last:
        return f"period:{found.first.year}/{found.last.year}"
    if found.kind == "span":
        return f"span:{found.amount} {found.unit}"
    return f"year:{found.year}"


def due_key(due: dict[str, Any] | None) -> str | None:
    if due is None:
        return None
    if due["precision"] == "relative":
        return f"span:{due['amount']} {due['unit']}"
    return f"{due['precision']}:{due['value']}"


def known_parties(annotations: dict[str, Any]) -> list[KnownParty]:
    return [KnownParty(p["acronym"], p["acronym"], tuple(p["names"].values())) for p in annotations["parties"]]


def _match(expected: list[str], proposed: list[str], holds: Any, tally: Tally, name: str) -> None:
    left = list(proposed)
    tally.expected += len(expected)
    tally.proposed += len(proposed)
    for wanted in expected:
        hit = next((p for p in left if holds(wanted, p)), None)
        if hit is None:
            tally.misses.append(f"{name}: {wanted}")
        else:
            left.remove(hit)
            tally.found += 1
    tally.wrong += [f"{name}: {p[:90]}" for p in left]


def _party_holds(wanted: str, proposed: str) -> bool:
    if wanted.startswith("new:"):
        return proposed.startswith("new:") and wanted[4:].casefold() in proposed.casefold()
    return wanted == proposed


def score(reports: Path = REPORTS, which: str = "reports", names: Gazetteer = NO_NAMES) -> dict[str, Tally]:
    """``which``: the annotated set the rules were written against (``reports``), or the reports
    annotated after the rules were frozen and never used to change them (``held_out``); ``names``: the
    gazetteer to read with."""
    annotations = json.loads((reports / "annotations.json").read_text(encoding="utf-8"))
    parties = known_parties(annotations)
    tallies = {kind: Tally() for kind in KINDS}
    for report in annotations[which]:
        text = (reports / report["file"]).read_text(encoding="utf-8")
        published = date.fromisoformat(report["published_on"])
        reading: Reading = read_report(text, published, parties, names=names)
        name = report["file"]
        _match(
            report["dates"],
            list(dict.fromkeys(date_key(d) for d in find_dates(text, published))),
            lambda w, p: w == p,
            tallies["dates"],
            name,
        )
        proposed_parties = [
            p.value["acronym"] if p.value["known"] else f"new:{p.value['name']} ({p.value.get('acronym') or ''})"
            for p in reading.of("party")
        ]
        _match(report["parties"], proposed_parties, _party_holds, tallies["parties"], name)
        follow_ups = [f"{p.value['session_number']}|{due_key(p.value['due'])}" for p in reading.of("follow_up")]
        _match(
            [f"{f['session_number']}|{f['due']}" for f in report["follow_ups"]],
            follow_ups,
            lambda w, p: w == p,
            tallies["follow_ups"],
            name,
        )
        quotes = [p.quote(text) for p in reading.of("commitment")]
        _match(report["commitments"], quotes, lambda w, p: w in p, tallies["commitments"], name)
    return tallies


def timing(names: Gazetteer, size: int = 6_000, rounds: int = 20) -> float:
    """Milliseconds of CPU one report of ``size`` characters (the annotated reports, one after another) takes."""
    annotations = json.loads((REPORTS / "annotations.json").read_text(encoding="utf-8"))
    text = "\n".join((REPORTS / r["file"]).read_text(encoding="utf-8") for r in annotations["reports"])[:size]
    read_report(text, date(2024, 12, 6), [], names=names)
    started = time.process_time()
    for _ in range(rounds):
        read_report(text, date(2024, 12, 6), [], names=names)
    return (time.process_time() - started) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list what was missed and what was wrongly found")
    parser.add_argument("--gazetteer", action="store_true", help="read with the gazetteer of the world's names")
    parser.add_argument("--timing", action="store_true", help="the CPU time of reading a 6 kB report")
    args = parser.parse_args()
    names: Gazetteer = NO_NAMES
    if args.gazetteer:
        from infrastructure.gazetteer import load_gazetteer

        names = load_gazetteer()
    print("| set | kind | precision | recall | right / proposed / annotated |\n|---|---|---|---|---|")
    scored = {which: score(which=which, names=names) for which in ("reports", "held_out")}
    for which, tallies in scored.items():
        for kind, tally in tallies.items():
            print(
                f"| {which} | {kind} | {tally.precision:.2f} | {tally.recall:.2f} | {tally.found} / "
                f"{tally.proposed} / {tally.expected} |"
            )
    if args.misses:
        for which, tallies in scored.items():
            for kind, tally in tallies.items():
                for line in tally.misses:
                    print(f"{which}: missed {kind}: {line}")
                for line in tally.wrong:
                    print(f"{which}: wrong {kind}: {line}")
    if args.timing:
        print(f"a 6 kB report read in {timing(names):.1f} ms of CPU")


if __name__ == "__main__":
    main()
