"""Who may do what: the roles an API key can hold."""

from enum import Enum


class Role(Enum):
    ADMIN = "admin"  # everything, including managing keys
    COORDINATOR = "coordinator"  # records and changes meetings, agreements, commitments
    AUDITOR = "auditor"  # reads everything, writes nothing

    @property
    def can_write(self) -> bool:
        return self in (Role.ADMIN, Role.COORDINATOR)

    @property
    def can_administer(self) -> bool:
        return self is Role.ADMIN
