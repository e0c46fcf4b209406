"""Errors raised when a business rule refuses a request.

Each error names the input ``field`` it concerns (a dotted path such as
``due.value``), so that the API can tell the user exactly what to correct.

Its words are a ``template`` with ``{name}`` placeholders and the ``values`` they take, kept apart:
the API answers them filled in (``detail``, in English), the pages say the same template in the
reader's language (the templates are message ids of the interface's catalogues).
"""


def N_(template: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks words the interface's catalogues hold (a message id there), where no refusal names them."""
    return template


class Refusal(Exception):
    """A request refused, in words: ``template`` filled with ``values`` is the ``detail``."""

    def __init__(self, template: str, field: str | None = None, **values: object) -> None:
        self.template = template
        self.values = values
        self.detail = template.format(**values) if values else template
        self.field = field
        super().__init__(self.detail)


class DomainError(Refusal):
    """A rule of the domain refused the request."""


class InvalidValue(DomainError):
    """A value is malformed, out of range, empty or too long."""


class IllegalTransition(DomainError):
    """The lifecycle does not allow this change from the current state."""

    def __init__(self, current: str, action: str) -> None:
        super().__init__("cannot {action} a commitment that is {status}", "status", action=action, status=current)
        self.current = current
        self.action = action


class ReasonRequired(DomainError):
    """This change must be explained."""

    def __init__(self, action: str) -> None:
        super().__init__("a reason is required to {action}", "reason", action=action)


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
