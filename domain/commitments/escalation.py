"""The escalation ladder: the longer a commitment stays overdue, the higher it is told.

A ladder is a few steps, each a number of days overdue and who is told when the commitment has
been overdue that long: its lead party, the lead party's parent organisation, or the chairs of the
meeting where it was made. The deployment has one ladder; a party may keep its own for the
commitments it leads. Each step reached is recorded once per due (``Commitment.escalate``); a
delivery or a revised due clears it, and a closed commitment is no longer escalated.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from uuid import UUID

from domain.commitments.due import local_day, start_of_day
from domain.errors import InvalidValue

MOST_STEPS = 10
MOST_DAYS = 3_650  # ten years overdue


class Audience(Enum):
    """Who a step tells."""

    LEAD_PARTY = "lead_party"
    PARENT_ORGANISATION = "parent_organisation"
    MEETING_CHAIRS = "meeting_chairs"  # the parties that chaired or co-chaired its meeting


@dataclass(frozen=True)
class Step:
    days: int  # days overdue
    to: Audience


@dataclass(frozen=True)
class Ladder:
    """Steps in the order they are climbed: each later than the one before. Level ``n`` is the
    ``n``-th step; no steps: nothing is escalated."""

    steps: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))  # stored as a list

    @classmethod
    def of(cls, steps: Sequence[tuple[object, object]], field_name: str = "steps") -> "Ladder":
        if len(steps) > MOST_STEPS:
            raise InvalidValue("a ladder has at most {most} steps", field_name, most=MOST_STEPS)
        checked: list[Step] = []
        for index, (days, to) in enumerate(steps):
            where = f"{field_name}[{index}]"
            if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MOST_DAYS:
                raise InvalidValue("days overdue are a whole number from 0 to {most}", f"{where}.days", most=MOST_DAYS)
            if checked and days <= checked[-1].days:
                raise InvalidValue("each step comes more days overdue than the one before", f"{where}.days")
            try:
                audience = to if isinstance(to, Audience) else Audience(to)
            except ValueError:
                choices = ", ".join(a.value for a in Audience)
                raise InvalidValue("a step tells one of {choices}", f"{where}.to", choices=choices) from None
            checked.append(Step(days, audience))
        return cls(tuple(checked))

    @classmethod
    def parse(cls, text: str, field_name: str = "escalation_ladder") -> "Ladder":
        """``"0:lead_party, 30:parent_organisation, 90:meeting_chairs"``; empty: no ladder."""
        pairs: list[tuple[object, object]] = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            days, _, to = part.partition(":")
            if not days.strip().isdigit():
                raise InvalidValue(
                    "each step is days:audience, as in 30:parent_organisation (got {part!r})", field_name, part=part
                )
            pairs.append((int(days), to.strip()))
        return cls.of(pairs, field_name)

    def text(self) -> str:
        return ",".join(f"{step.days}:{step.to.value}" for step in self.steps)

    def reached(self, due_at: datetime, zone: str, now: datetime, level: int) -> tuple[tuple[int, Step], ...]:
        """The steps above ``level`` that a commitment due at ``due_at`` (local midnight in ``zone``)
        has reached at ``now``, each with its level, lowest first. A step of N days is reached at the
        first instant of the N-th local day after the due, also across a daylight-saving change."""
        return tuple(
            (number, step)
            for number, step in enumerate(self.steps, start=1)
            if number > level and now >= step_falls_due(due_at, zone, step.days)
        )


def step_falls_due(due_at: datetime, zone: str, days: int) -> datetime:
    """The instant a step ``days`` after a due falls due: local midnight, that many calendar days on."""
    return start_of_day(local_day(due_at, zone) + timedelta(days=days), zone)


NO_LADDER = Ladder()


@dataclass(frozen=True)
class Escalation:
    """A step a commitment reached: its level, how many days overdue that is, who was told (the
    parties found for the audience then; none when it has nobody, as a party without a parent
    organisation) and when."""

    level: int
    days: int
    to: Audience
    party_ids: tuple[UUID, ...]
    at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "party_ids", tuple(self.party_ids))  # stored as a list


def told(to: Audience, lead_party_id: UUID, parent_id: UUID | None, chairs: tuple[UUID, ...]) -> tuple[UUID, ...]:
    """The parties a step's audience names: the lead party, its parent organisation (none if it has
    no parent), or the meeting's chairs and co-chairs (none if nobody chaired it)."""
    if to is Audience.LEAD_PARTY:
        return (lead_party_id,)
    if to is Audience.PARENT_ORGANISATION:
        return () if parent_id is None else (parent_id,)
    return tuple(dict.fromkeys(chairs))
