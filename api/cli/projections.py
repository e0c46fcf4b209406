"""``projections rebuild`` and ``projections status``: the read model."""

import argparse
import sys

from api.cli.common import _say, _services


def projections_rebuild(args: argparse.Namespace) -> int:
    """A progress bar on the terminal (standard error): events projected, events/s, time left."""
    from tqdm import tqdm

    from infrastructure.read_model import rebuilding

    with (
        _services(args, catch_up=False) as services,
        tqdm(
            total=services.store.recorder.max_notification_id() or 0,
            unit="event",
            desc="rebuilding",
            file=sys.stderr,
            disable=args.json,
        ) as bar,
    ):
        position = rebuilding.rebuild(
            services.settings.database_url,
            services.projector,
            args.workers,
            lambda reached, latest: bar.update(reached - bar.n),
        )
    _say(args, f"rebuilt the read model from {position} events", {"position": position})
    return 0


def projections_status(args: argparse.Namespace) -> int:
    with _services(args, catch_up=False) as services:
        position = services.projector.position()
        latest = services.store.recorder.max_notification_id() or 0
    _say(args, f"read model at event {position} of {latest}", {"position": position, "latest": latest})
    return 0
