"""The commitment lifecycle: which action is allowed from which state.

This table is the whole rule. Actions that also need a reason, a decision
reference or evidence check it in ``domain.commitments.commitment``.
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


# Where each action leads (an assessment leads to one of the assessed states; progress and dues
# leave the status as it is).
LEADS_TO: dict[Action, Status] = {
    Action.AGREE: Status.AGREED,
    Action.NOTE: Status.NOTED,
    Action.START: Status.IN_PROGRESS,
    Action.STALL: Status.STALLED,
    Action.SUSPEND: Status.SUSPENDED,
    Action.RESUME: Status.IN_PROGRESS,
    Action.DELIVER: Status.DELIVERED,
    Action.REJECT_DELIVERY: Status.IN_PROGRESS,
    Action.REOPEN: Status.IN_PROGRESS,
    Action.CANCEL: Status.CANCELLED,
    Action.SUPERSEDE: Status.SUPERSEDED,
}


def _states(statuses: frozenset[Status]) -> str:
    if statuses == OPEN:
        return "any open state"
    if statuses == ASSESSED:
        return "an assessed state"
    return " or ".join(status.value for status in Status if status in statuses)


# What an action needs besides the states it is allowed from, in words (``domain.commitments.commitment`` checks it).
ALSO_NEEDS: dict[Action, str] = {
    Action.SUSPEND: "the reference of the decision that suspends it",
    Action.DELIVER: "evidence",
    Action.SUPERSEDE: "the new commitment and the meeting that replaced this one",
    Action.REPORT_PROGRESS: "a whole percentage",
}


def describe(action: Action) -> str:
    """The rule of an action in words, from these tables: "draft or noted → agreed; a reason is needed from noted."."""
    if action is Action.ASSESS:
        rule = f"{_states(ALLOWED_FROM[action])} → {' or '.join(s.value for s in Status if s in ASSESSED)}"
    elif action in LEADS_TO:
        rule = f"{_states(ALLOWED_FROM[action])} → {LEADS_TO[action].value}"
    else:
        rule = f"allowed in {_states(ALLOWED_FROM[action])}; the status stays as it is"
    if action in ALSO_NEEDS:
        rule += f"; needs {ALSO_NEEDS[action]}"
    explained = REASON_NEEDED_FROM.get(action, frozenset())
    if explained:
        rule += "; a reason is needed" + ("" if explained == ALLOWED_FROM[action] else f" from {_states(explained)}")
    return rule + "."


def action_to(current: Status, wanted: Status) -> Action | None:
    """The action that moves a commitment from ``current`` to ``wanted`` (None: the lifecycle has none; a
    spreadsheet's status column is read so)."""
    if wanted in ASSESSED and current in ALLOWED_FROM[Action.ASSESS]:
        return Action.ASSESS
    for action, sources in ALLOWED_FROM.items():
        if current in sources and LEADS_TO.get(action) == wanted:
            return action
    return None
