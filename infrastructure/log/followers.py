"""The followers of the log, told what each command saved (the application's ``Followers`` port).

Every follower (read model, webhook outbox, audit chain) catches up to the command's events
together, in one transaction (decision 0011). The command's events are saved whatever happens
here. If following them together fails, or a follower is far behind, each follower tries on its
own, so one failing follower does not hold back the others; a failure is logged, not reported as
the command's failure, and the next command (or a rebuild) catches up.
"""

import logging
from collections.abc import Sequence

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Engine

from application.ports import Saved
from infrastructure.log.follower import LogFollower, follow_together

log = logging.getLogger("commitments.projection")


class LogFollowers:
    def __init__(self, engine: Engine, recorder: ApplicationRecorder, followers: Sequence[LogFollower]) -> None:
        """``followers``: in the order their positions are claimed (the same in every process)."""
        self.engine = engine
        self.recorder = recorder
        self.followers = list(followers)

    def follow(self, saved: Saved) -> None:
        until = saved.until
        try:
            if follow_together(self.engine, self.recorder, self.followers, saved):
                return
        except Exception:
            log.exception("could not follow events up to %s together; each follower tries alone", until)
        for follower in self.followers:
            try:
                follower.catch_up(until)
            except Exception:
                log.exception("could not catch up to event %s", until)
