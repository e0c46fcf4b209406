"""``import`` (an action matrix into an agreement) and ``draft`` (a meeting report read into a draft
record): records entered from files."""

import argparse
import json
import sys
from typing import Any

from api.cli.common import Refused, _say, _services, operator


def import_matrix(args: argparse.Namespace) -> int:
    """A dry run unless ``--apply``; a progress bar on the terminal (standard error) as rows are
    checked and stored."""
    from pathlib import Path

    from tqdm import tqdm

    from application.errors import ApplicationError
    from domain.errors import DomainError

    path = Path(args.file)
    if not path.is_file():
        raise Refused(f"no file {args.file}")
    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            bar = bars[phase] = tqdm(total=total, desc=phase, unit="row", file=sys.stderr, disable=args.json)
        bar.update(done - bar.n)

    with _services(args) as services:
        try:
            report = services.imports.run(
                operator(),
                args.agreement_id,
                services.spreadsheets.read(path.read_bytes(), path.name),
                dry_run=not args.apply,
                language=args.language,
                status=args.status,
                expected_plan=args.plan,
                progress=progress,
            )
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
        finally:
            for bar in bars.values():
                bar.close()
    from dataclasses import asdict

    lines = [
        f"{c['column']}\t{c['header']}\t-> {c['field']}" + (f" ({c['language']})" if c["language"] else "")
        for c in report.columns
    ]
    lines += [f"ignored column: {name}" for name in report.ignored_columns]
    lines += [
        f"line {o.line}\t{o.key}\t{o.outcome}"
        + (f": {', '.join(o.changed)}" if o.changed else "")
        + "".join(f"; {r['field']}: {r['reason']}" for r in o.refused)
        for o in report.rows
        if o.outcome != "unchanged"
    ]
    lines += [f"no party named {u['name']!r} (lines {', '.join(map(str, u['lines']))})" for u in report.unknown_parties]
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    if report.dry_run:
        lines.append(f"dry run: {counts}; nothing stored. Store it with --apply --plan {report.plan}")
    else:
        lines.append(f"stored {report.batches_stored} of {report.batches} batches: {counts}")
    if report.stopped:
        lines.append(
            f"stopped at batch {report.stopped['batch']} (lines {report.stopped['first_line']}-"
            f"{report.stopped['last_line']}): {report.stopped['detail']}; {report.stopped['resume']}"
        )
    _say(args, "\n".join(lines), asdict(report))
    return 0 if report.stopped is None else 1


def draft(args: argparse.Namespace) -> int:
    """Read a report into a draft (nothing stored); with ``--confirm FILE``, record a confirmation
    (the draft's ``confirmation``, edited) instead."""
    from datetime import date
    from pathlib import Path

    from application.errors import ApplicationError
    from domain.errors import DomainError

    with _services(args) as services:
        try:
            if args.confirm:
                body = json.loads(Path(args.confirm).read_text(encoding="utf-8"))
                recorded = services.drafts.confirm(operator(), body)
                _say(
                    args,
                    f"recorded meeting {recorded.meeting_id}: {len(recorded.commitments)} commitments, "
                    f"{len(recorded.follow_ups)} follow-up sessions, {len(recorded.agreements)} agreements"
                    + (
                        f"; already recorded: {', '.join(recorded.already_recorded)}"
                        if recorded.already_recorded
                        else ""
                    ),
                    vars(recorded),
                )
                return 0
            if not args.file or not args.published_on:
                raise Refused("give the report's file and --published-on (or --confirm FILE)")
            text = Path(args.file).read_text(encoding="utf-8")
            found = services.drafts.read(text, date.fromisoformat(args.published_on))
        except (ApplicationError, DomainError, ValueError, OSError) as error:
            raise Refused(str(error)) from None
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    meeting = found["meeting"]["value"]
    lines = [
        f"meeting: {meeting.get('kind')} {meeting.get('session_number') or ''} "
        f"{meeting.get('starts_on') or '?'}–{meeting.get('ends_on') or '?'} {meeting.get('city') or ''} "
        f"{meeting.get('time_zone') or ''}".rstrip()
    ]
    for name in ("parties", "participants", "agreements", "commitments", "follow_ups", "recurrences"):
        for proposal in found[name]:
            span = proposal["span"]
            lines.append(
                f"{name[:-1] if name != 'parties' else 'party'} [{span['start']}-{span['end']}] "
                f"({proposal['confidence']:.2f}): {proposal['quote'][:100]}"
            )
    lines.append("nothing is stored: edit the confirmation (--json shows it) and record it with --confirm FILE")
    print("\n".join(lines))
    return 0
