"""Errors of the application layer (the domain's own are in ``domain.errors``)."""

from uuid import UUID

from domain.errors import N_, Refusal


class ApplicationError(Refusal):
    """A use case refused the request (its words kept apart from their values: ``domain.errors.Refusal``)."""


class NotAllowed(ApplicationError):
    """The caller's role or party scope does not allow this use case."""


class NotFound(ApplicationError):
    """The resource named in the path does not exist."""

    def __init__(
        self, kind: str, identifier: UUID | str, template: str = N_("no {kind} with id {identifier}"), **values: object
    ) -> None:
        super().__init__(template, None, kind=kind, identifier=identifier, **values)
        self.kind = kind


class NotPublic(NotFound):
    """No such public record: unpublished, withdrawn, or never there (the public cannot tell which)."""

    def __init__(self) -> None:
        super().__init__("public record", "", N_("no such public record"))


class UnknownReference(ApplicationError):
    """A field of the request names something that does not exist."""

    BY = {
        "id": N_("no {kind} with id {identifier}"),
        "acronym or name": N_("no {kind} with acronym or name {identifier}"),
    }

    def __init__(self, kind: str, identifier: UUID | str | int, field: str, by: str = "id") -> None:
        super().__init__(self.BY[by], field, kind=kind, identifier=identifier)


class AlreadyExists(ApplicationError):
    """Something that must be unique is already recorded."""


class TooLarge(ApplicationError):
    """A file or a text is larger than the service reads: nothing of it was used."""

    def __init__(self, template: str, field: str = "file", **values: object) -> None:
        super().__init__(template, field, **values)


class VersionMismatch(ApplicationError):
    """The client's copy (``If-Match``) is older than the stored one."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            "the resource is at version {actual}, not {expected}; fetch it again",
            None,
            actual=actual,
            expected=expected,
        )
        self.actual = actual


class ConcurrentUpdate(ApplicationError):
    """Another request changed the same resource at the same moment."""

    def __init__(self) -> None:
        super().__init__("another request changed this resource at the same time; fetch it and try again")


class Busy(ApplicationError):
    """The database's write lock was not free within the time the service waits for it: nothing was stored."""

    def __init__(self, waited: float) -> None:
        super().__init__(
            "the database was busy for {seconds:g} s; nothing was stored; retry shortly", None, seconds=waited
        )


class ReadersBusy(ApplicationError):
    """Every process that reads uploaded files (or reports) was busy for as long as a request waits for one."""

    def __init__(self, what: str = "files") -> None:
        if what == "reports":
            super().__init__("every reader of reports is busy; nothing was read; retry shortly", "text")
        else:
            super().__init__("every reader of files is busy; nothing was stored; retry shortly", "file")


class MakersBusy(ApplicationError):
    """Every maker of public pages of this process was busy for as long as a request waits for one."""

    headers = {"Retry-After": "2"}

    def __init__(self) -> None:
        super().__init__("the public pages asked for are being made for other readers; retry in a moment", None)


class PlanChanged(ApplicationError):
    """An import's rows would now have other outcomes than the dry run the caller confirmed."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(
            "the records changed since the dry run (plan {expected}, now {actual}): run the dry run again "
            "and confirm what it says now",
            "plan",
            expected=expected,
            actual=actual,
        )


class StillInProgress(RuntimeError):
    """A request retried with the same Idempotency-Key while the first is still being carried out; the
    client may retry later."""


class ProviderRefused(Exception):
    """The organisation's identity provider, or what it sent, cannot be trusted for this sign-in (its words are for
    the log: the person is told only that the sign-in failed)."""
