"""Sessions of the web pages: signing in with an API key opens one; it ends when signed out, when idle too
long, when too old, or when its key is revoked (the key is looked up again on every request).

Signing in is a door open by design (``api.doors``): the key it is given is the credential, and refusals
are counted and logged by the door."""

from dataclasses import dataclass
from typing import Protocol

from domain.access import Principal


@dataclass(frozen=True)
class WebSession:
    token: str  # what the browser holds (in an HttpOnly cookie); only its hash is kept
    principal: Principal
    csrf: str  # the token of the session's forms


class SessionStore(Protocol):
    def open(self, key: str) -> WebSession | None:
        """A new session for a valid key; ``None`` for an unknown or revoked one."""
        ...

    def find(self, token: str) -> WebSession | None:
        """The session the browser's token stands for, while it lasts."""
        ...

    def close(self, token: str) -> None: ...
