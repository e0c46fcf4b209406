"""``migrate``: the tables beside the read model brought to the latest revision (decision 0059)."""

import argparse

from api.cli.common import Refused, _say


def migrate(args: argparse.Namespace) -> int:
    """What every start does first, on its own: an operator may migrate before starting the new version
    (every process of which then finds nothing to do). The read model is not touched: it is rebuilt
    when its version changes (``projections rebuild`` does it beforehand)."""
    from api.bootstrap import migrate as upgrade

    try:
        migrated = upgrade(args.database_url)
    except RuntimeError as error:  # migrated by a newer version; a database that cannot be completed
        raise Refused(str(error)) from None
    _say(
        args,
        migrated.said(),
        {
            "before": migrated.before,
            "after": migrated.after,
            "applied": list(migrated.applied),
            "adopted": migrated.adopted,
            "added": list(migrated.added),
        },
    )
    return 0
