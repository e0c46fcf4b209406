"""The commitment lifecycle: which action is allowed from which state.

This table is the whole rule. Actions that also need a reason, a decision
reference or evidence check it in ``domain.commitment``.
"""

from enum import Enum


class Status(Enum):
    DRAFT = "draft"
    NOTED = "noted"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    SUSPENDED = "suspended"
    DELIVERED = "delivered"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    NOT_FULFILLED = "not_fulfilled"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


OPEN = frozenset(
    {
        Status.DRAFT,
        Status.NOTED,
        Status.AGREED,
        Status.IN_PROGRESS,
        Status.STALLED,
        Status.SUSPENDED,
        Status.DELIVERED,
    }
)
ASSESSED = frozenset({Status.FULFILLED, Status.PARTIALLY_FULFILLED, Status.NOT_FULFILLED})
INITIAL = frozenset({Status.DRAFT, Status.AGREED, Status.NOTED})
# States in which a commitment can be late: open, and not yet claimed as delivered.
CAN_BE_LATE = OPEN - {Status.DELIVERED}


class Action(Enum):
    AGREE = "agree"
    NOTE = "note"
    START = "start"
    STALL = "stall"
    SUSPEND = "suspend"
    RESUME = "resume"
    DELIVER = "deliver"
    REJECT_DELIVERY = "reject_delivery"
    ASSESS = "assess"
    REOPEN = "reopen"
    CANCEL = "cancel"
    SUPERSEDE = "supersede"
    REPORT_PROGRESS = "report_progress"
    REVISE_DUE = "revise_due"
    SCHEDULE_REVIEW = "schedule_review"


ALLOWED_FROM: dict[Action, frozenset[Status]] = {
    Action.AGREE: frozenset({Status.DRAFT, Status.NOTED}),
    Action.NOTE: frozenset({Status.DRAFT, Status.AGREED}),
    Action.START: frozenset({Status.AGREED}),
    Action.STALL: frozenset({Status.AGREED, Status.IN_PROGRESS}),
    Action.SUSPEND: frozenset({Status.AGREED, Status.IN_PROGRESS}),
    Action.RESUME: frozenset({Status.STALLED, Status.SUSPENDED}),
    Action.DELIVER: frozenset({Status.AGREED, Status.IN_PROGRESS}),
    Action.REJECT_DELIVERY: frozenset({Status.DELIVERED}),
    Action.ASSESS: OPEN,
    Action.REOPEN: ASSESSED,
    Action.CANCEL: OPEN,
    Action.SUPERSEDE: OPEN,
    Action.REPORT_PROGRESS: OPEN,
    Action.REVISE_DUE: OPEN,
    Action.SCHEDULE_REVIEW: OPEN,
}

# Moves between these two states must be explained in both directions.
REASON_NEEDED_FROM: dict[Action, frozenset[Status]] = {
    Action.AGREE: frozenset({Status.NOTED}),
    Action.NOTE: frozenset({Status.AGREED}),
    Action.REJECT_DELIVERY: frozenset({Status.DELIVERED}),
    Action.REOPEN: ASSESSED,
    Action.REVISE_DUE: OPEN,
}


def allowed_actions(status: Status) -> list[Action]:
    return [action for action, sources in ALLOWED_FROM.items() if status in sources]
