"""python -m bench.real_reports [--split dev|held|held2|all] [--texts DIR] [--misses] [--json]

How well the reader (``domain.reading.report.read_report``) reads real meeting reports: press releases and
news reports of joint committees, general assemblies, signings and bilateral meetings, in Arabic and English,
as a coordinator would record them.

The annotations are ``bench/real_reports.json``: for each report its address, publication date, the SHA-256
of its text, and what a coordinator records from it (meetings, parties, follow-up sessions, and the character
spans of the sentences that make agreements, commitments and follow-ups). The texts themselves are not kept
in the repository: they are read from ``--texts`` (default ``/tmp/real-reports``: ``dev/NN.LANG.txt``,
``held/NN.LANG.txt``, ``held2/…``, ``held3/…``, each the page's beginning as the search corpus holds it); a
text that is missing or whose SHA-256 differs is skipped with a warning. ``dev`` is the set the rules were
written against; ``held``, ``held2`` and ``held3`` were annotated one after the other and each kept out of
the rules until it was scored once (EXTRACTION.md gives those scores): a set scored and then looked at tells
no more whether a change generalises; a new one must be annotated for that.

What counts as right, per kind:

- meeting: a proposed meeting whose ``starts_on`` equals an annotated meeting's and whose ``city`` equals its
  city (case-insensitive, the usual English spellings of one city taken as one; an annotated meeting with no
  city wants a proposal that names none). Each annotated meeting is matched at most once.
- session number: an annotated meeting with a number is found when a proposed meeting carries that number;
  a proposed meeting's number is right when an annotated meeting has it.
- party: a proposal whose ``name`` or ``acronym`` (folded as searches fold names) equals one of an annotated
  party's names, or holds it or is held in it as whole words; or whose ``key`` (from the gazetteer) equals
  the party's first name (its ISO 3166 code or acronym). Each annotated party is matched at most once.
- follow-up: a proposed follow-up whose session number equals the annotated one, or whose due falls in the
  annotated year, and whose city or venue names the annotated city (not checked when the annotation has
  none). Each annotated follow-up is matched at most once.
- commitment, agreement, follow-up sentence: an annotated sentence is found when a proposal of its kind
  overlaps at least half of it; a proposal is right when it overlaps at least half of an annotated sentence
  of its kind, or lies at least half inside one (a clause of it).

Each report is read with no registered parties, and with ``names=load_gazetteer()`` when
``infrastructure.gazetteer`` provides it and the reader takes ``names``. Run from the project root, or with
the project's modules on ``PYTHONPATH``: the scorer imports only the reader and the name folding, so it can
measure another copy of the code (``PYTHONPATH=COPY python bench/real_reports.py``)."""

import argparse
import hashlib
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.parties.party import folded
from domain.reading.report import read_report

ANNOTATIONS = Path(__file__).resolve().with_name("real_reports.json")
TEXTS = Path("/tmp/real-reports")
SENTENCE_KINDS = {"commitment": "commitment", "agreement": "agreement", "follow_up": "follow-up sentence"}
# the sets, in the order they were annotated: ``dev`` the rules were written against; the others kept out
# of writing them, each scored once before its misses were looked at
SPLITS = ("dev", "held", "held2", "held3")
LINES = ["meeting", "session number", "party", "follow-up", "commitment", "agreement", "follow-up sentence"]
# English spellings of one city that annotations and readings may each use
SAME_CITY = {
    "marrakech": "marrakesh",
    "new york city": "new york",
    "jedda": "jeddah",
    "mecca": "makkah",
    "hong kong sar": "hong kong",
}


@dataclass
class Count:
    """``right`` of ``proposed`` proposals were right; ``found`` of ``annotated`` annotations were found."""

    right: int = 0
    proposed: int = 0
    found: int = 0
    annotated: int = 0

    def add(self, other: "Count") -> None:
        self.right += other.right
        self.proposed += other.proposed
        self.found += other.found
        self.annotated += other.annotated

    @property
    def precision(self) -> float | None:
        return self.right / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.found / self.annotated if self.annotated else None


@dataclass
class Scored:
    """One report's counts per line, and what was missed or wrongly proposed (for ``--misses``)."""

    counts: dict[str, Count] = field(default_factory=lambda: {line: Count() for line in LINES})
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _names_keyword() -> dict[str, Any]:
    """``names=load_gazetteer()`` when the gazetteer exists and the reader takes it; else nothing."""
    if "names" not in inspect.signature(read_report).parameters:
        return {}
    try:
        gazetteer = importlib.import_module("infrastructure.gazetteer")
    except ImportError:
        return {}
    load: Callable[[], Any] | None = getattr(gazetteer, "load_gazetteer", None)
    if load is None:
        return {}
    try:
        return {"names": load()}
    except Exception as error:  # a gazetteer being built may not load yet: measure without it
        print(f"warning: the gazetteer did not load ({error!r}): reading without it", file=sys.stderr)
        return {}


def _words(text: str) -> tuple[str, ...]:
    return tuple(folded(text).split())


def _holds(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` is a run of whole words of ``longer``."""
    if not shorter or len(shorter) > len(longer):
        return False
    return any(longer[i : i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))


def _party_match(value: dict[str, Any], names: Sequence[str]) -> int:
    """How well a proposed party matches an annotated one: 3 same name, 2 same key, 1 a name held in the
    other, 0 not at all."""
    proposed = [_words(v) for v in (value.get("name"), value.get("acronym")) if isinstance(v, str) and v.strip()]
    annotated = [_words(n) for n in names]
    if any(p == a for p in proposed for a in annotated if p):
        return 3
    key = value.get("key")
    if isinstance(key, str) and key and _words(key) == _words(names[0]):
        return 2
    if any(_holds(p, a) or _holds(a, p) for p in proposed for a in annotated if p and a):
        return 1
    return 0


def _label(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:300]


def _city(name: str | None) -> str:
    spelled = (name or "").strip().lower()
    return SAME_CITY.get(spelled, spelled)


def _meetings(report: dict[str, Any], proposals: list[Any], scored: Scored) -> None:
    annotated: list[dict[str, Any]] = report["meetings"]
    meeting, number = scored.counts["meeting"], scored.counts["session number"]
    meeting.annotated += len(annotated)
    meeting.proposed += len(proposals)
    left = list(range(len(annotated)))
    for proposal in proposals:
        value = proposal.value
        city = _city(value.get("city"))
        hit = next(
            (
                i
                for i in left
                if value.get("starts_on") == annotated[i]["starts_on"] and city == _city(annotated[i]["city"])
            ),
            None,
        )
        if hit is None:
            scored.wrong.append(f"meeting {_label({k: value.get(k) for k in ('starts_on', 'ends_on', 'city')})}")
        else:
            left.remove(hit)
            meeting.right += 1
            meeting.found += 1
    for i in left:
        scored.misses.append(f"meeting {annotated[i]}")
    numbers = [m["session_number"] for m in annotated if m["session_number"] is not None]
    proposed_numbers = [p.value.get("session_number") for p in proposals if p.value.get("session_number") is not None]
    number.annotated += len(numbers)
    number.proposed += len(proposed_numbers)
    number.found += sum(1 for n in numbers if n in proposed_numbers)
    number.right += sum(1 for n in proposed_numbers if n in numbers)
    scored.misses += [f"session number {n}" for n in numbers if n not in proposed_numbers]
    scored.wrong += [f"session number {n}" for n in proposed_numbers if n not in numbers]


def _parties(report: dict[str, Any], proposals: list[Any], scored: Scored) -> None:
    annotated: list[list[str]] = report["parties"]
    count = scored.counts["party"]
    count.annotated += len(annotated)
    count.proposed += len(proposals)
    left = set(range(len(annotated)))
    for proposal in proposals:
        best = max(((_party_match(proposal.value, annotated[i]), -i) for i in left), default=(0, 0))
        if best[0] == 0:
            scored.wrong.append(f"party {_label({k: proposal.value.get(k) for k in ('name', 'acronym', 'key')})}")
            continue
        left.discard(-best[1])
        count.right += 1
        count.found += 1
    scored.misses += [f"party {annotated[i][0]}" for i in sorted(left)]


def _due_year(value: dict[str, Any]) -> int | None:
    due = value.get("due")
    if isinstance(due, dict) and due.get("precision") in ("year", "month", "day"):
        text = str(due.get("value", ""))[:4]
        return int(text) if text.isdigit() else None
    return None


def _follow_ups(report: dict[str, Any], proposals: list[Any], scored: Scored) -> None:
    annotated: list[dict[str, Any]] = report["follow_ups"]
    count = scored.counts["follow-up"]
    count.annotated += len(annotated)
    count.proposed += len(proposals)
    left = list(range(len(annotated)))
    for proposal in proposals:
        value = proposal.value
        number, year = value.get("session_number"), _due_year(value)
        place = str(value.get("city") or value.get("venue") or "").lower()
        place = " ".join([place] + [same for spelled, same in SAME_CITY.items() if spelled in place])

        def fits(wanted: dict[str, Any]) -> bool:
            when = (wanted["session_number"] is not None and number == wanted["session_number"]) or (
                wanted["year"] is not None and year == wanted["year"]
            )
            return when and (wanted["city"] is None or _city(wanted["city"]) in place)

        hit = next((i for i in left if fits(annotated[i])), None)
        if hit is None:
            shown = {"session_number": number, "year": year, "city": value.get("city"), "venue": value.get("venue")}
            scored.wrong.append(f"follow-up {_label(shown)}")
        else:
            left.remove(hit)
            count.right += 1
            count.found += 1
    scored.misses += [f"follow-up {annotated[i]}" for i in left]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _sentences(report: dict[str, Any], reading: Any, text: str, scored: Scored) -> None:
    for kind, line in SENTENCE_KINDS.items():
        count = scored.counts[line]
        wanted = [(c["start"], c["end"]) for c in report["commitments"] if c["kind"] == kind]
        proposed = [(p.start, p.end) for p in reading.of(kind)]
        count.annotated += len(wanted)
        count.proposed += len(proposed)
        for sentence in wanted:
            if any(2 * _overlap(sentence, p) >= sentence[1] - sentence[0] for p in proposed):
                count.found += 1
            else:
                scored.misses.append(f"{line} {sentence[0]}-{sentence[1]}: {text[sentence[0] : sentence[1]]!r}")
        for span in proposed:
            if any(2 * _overlap(s, span) >= min(s[1] - s[0], span[1] - span[0]) for s in wanted):
                count.right += 1
            else:
                scored.wrong.append(f"{line} {span[0]}-{span[1]}: {text[span[0] : span[1]]!r}")


def score(report: dict[str, Any], text: str, names: dict[str, Any]) -> Scored:
    scored = Scored()
    published = date.fromisoformat(report["published_on"])
    try:
        reading = read_report(text, published, [], **names)
    except Exception as error:  # a reader that fails on a real report reads nothing of it
        print(f"warning: {report['file']}: the reader failed: {error!r}", file=sys.stderr)
        reading = None
    if reading is None:
        empty: list[Any] = []
        _meetings(report, empty, scored)
        _parties(report, empty, scored)
        _follow_ups(report, empty, scored)
        for kind, line in SENTENCE_KINDS.items():
            scored.counts[line].annotated += sum(1 for c in report["commitments"] if c["kind"] == kind)
        scored.misses.append("everything: the reader failed")
        return scored
    _meetings(report, reading.of("meeting"), scored)
    _parties(report, reading.of("party"), scored)
    _follow_ups(report, reading.of("follow_up"), scored)
    _sentences(report, reading, text, scored)
    return scored


def load(split: str, texts: Path) -> list[tuple[dict[str, Any], str]]:
    """The annotated reports of ``split`` whose texts are there and unchanged."""
    reports: list[dict[str, Any]] = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    kept: list[tuple[dict[str, Any], str]] = []
    for report in reports:
        if split != "all" and not report["file"].startswith(split + "/"):
            continue
        path = texts / report["file"]
        if not path.is_file():
            print(f"warning: {path} is missing: skipped", file=sys.stderr)
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != report["sha256"]:
            print(f"warning: {path} differs from the annotated text (SHA-256): skipped", file=sys.stderr)
            continue
        kept.append((report, data.decode("utf-8")))
    return kept


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(title: str, counts: dict[str, Count], reports: int) -> str:
    lines = [
        f"{title} ({reports} reports)",
        f"{'kind':<20}{'precision':>10}{'recall':>8}{'right':>7}{'proposed':>10}{'found':>7}{'annotated':>11}",
    ]
    for line in LINES:
        c = counts[line]
        lines.append(
            f"{line:<20}{_ratio(c.precision):>10}{_ratio(c.recall):>8}{c.right:>7}{c.proposed:>10}"
            f"{c.found:>7}{c.annotated:>11}"
        )
    return "\n".join(lines)


def _as_json(counts: dict[str, Count], reports: int) -> dict[str, Any]:
    return {
        "reports": reports,
        "kinds": {
            line: {
                "precision": c.precision,
                "recall": c.recall,
                "right": c.right,
                "proposed": c.proposed,
                "found": c.found,
                "annotated": c.annotated,
            }
            for line, c in counts.items()
        },
    }


def run(splits: Iterable[str], texts: Path, misses: bool, as_json: bool) -> dict[str, Any]:
    names = _names_keyword()
    gazetteer = "with the gazetteer" if names else "without a gazetteer"
    results: dict[str, Any] = {}
    both = {line: Count() for line in LINES}
    read = 0
    for split in splits:
        totals = {line: Count() for line in LINES}
        loaded = load(split, texts)
        read += len(loaded)
        for report, text in loaded:
            scored = score(report, text, names)
            for line, count in scored.counts.items():
                totals[line].add(count)
                both[line].add(count)
            if misses and (scored.misses or scored.wrong) and not as_json:
                print(f"== {report['file']} ({report['address']})")
                for miss in scored.misses:
                    print(f"  missed: {miss}")
                for wrong in scored.wrong:
                    print(f"  wrong:  {wrong}")
        results[split] = _as_json(totals, len(loaded))
        if not as_json:
            print(table(f"{split}, {gazetteer}", totals, len(loaded)))
            print()
    if len(results) > 1:
        results["all"] = _as_json(both, read)
        if not as_json:
            print(table(f"all, {gazetteer}", both, read))
            print()
    if as_json:
        print(json.dumps(results, indent=1))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1] if __doc__ else None)
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="dev")
    parser.add_argument("--texts", type=Path, default=TEXTS, help="where dev/ and held/ texts are")
    parser.add_argument("--misses", action="store_true", help="print each miss and each wrong proposal")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    run(splits, args.texts, args.misses, args.json)


if __name__ == "__main__":
    main()
