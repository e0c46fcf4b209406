"""Errors raised when a business rule refuses a request.

Each error names the input ``field`` it concerns (a dotted path such as
``due.value``), so that the API can tell the user exactly what to correct.
"""


class DomainError(Exception):
    """A rule of the domain refused the request."""

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidValue(DomainError):
    """A value is malformed, out of range, empty or too long."""


class IllegalTransition(DomainError):
    """The lifecycle does not allow this change from the current state."""

    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} a commitment that is {current}", "status")
        self.current = current
        self.action = action


class ReasonRequired(DomainError):
    """This change must be explained."""

    def __init__(self, action: str) -> None:
        super().__init__(f"a reason is required to {action}", "reason")


class EvidenceRequired(DomainError):
    """A claim of delivery must be supported by evidence."""

    def __init__(self) -> None:
        super().__init__("delivery needs at least one piece of evidence", "evidence")


class DecisionReferenceRequired(DomainError):
    """Suspending a commitment needs the reference of the decision that suspends it."""

    def __init__(self) -> None:
        super().__init__(
            "suspension needs the reference of the decision that suspends it",
            "decision_reference",
        )
