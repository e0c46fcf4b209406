"""Keys that act in tests calling the use cases directly (tests through HTTP or the pages act with keys
that sign in)."""

from domain.access import Principal, Role


def acting(key_id: str, role: Role = Role.ADMIN, parties: frozenset[str] | None = None) -> Principal:
    """A key (an admin's of every party, unless told otherwise) whose id is the actor of what it records."""
    return Principal(id=key_id, name=key_id, role=role, party_scope=parties)
