"""What a person's browser holds between the steps of signing in, for ten minutes, in an HttpOnly cookie signed
with a key of the service: the step their password reached (their authenticator's code, or setting one up,
left), or the state, nonce and PKCE verifier of a sign-in through their organisation. Nothing is stored until
they are signed in, and a cookie made elsewhere, altered or too old names no one."""

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

STEP_COOKIE = "sign_in_step"
ORGANISATION_COOKIE = "sign_in_organisation"
VALID_FOR = timedelta(minutes=10)


class SignInSteps:
    def __init__(self, secret: Callable[[], str], clock: Callable[[], datetime]) -> None:
        self.secret = secret
        self.clock = clock

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    def _tag(self, body: str) -> str:
        mac = hmac.new(self.secret().encode(), body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def seal(self, kind: str, values: dict[str, str]) -> str:
        until = int((self.clock() + VALID_FOR).timestamp())
        body = base64.urlsafe_b64encode(json.dumps({"kind": kind, "until": until, **values}).encode()).decode()
        return f"{body}.{self._tag(body)}"

    def opened(self, token: str, kind: str) -> dict[str, Any] | None:
        """The values sealed for ``kind``; None: another kind, altered, made elsewhere or too old."""
        body, _, tag = token[:4000].rpartition(".")
        if not body or not hmac.compare_digest(self._tag(body), tag):
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(body.encode()))
        except ValueError:
            return None
        if not isinstance(values, dict) or values.get("kind") != kind:
            return None
        if not isinstance(values.get("until"), int) or values["until"] <= self.clock().timestamp():
            return None
        return values

    def issue(self, person_id: str, step: str) -> str:
        return self.seal(step, {"person": person_id})

    def read(self, token: str, step: str) -> str | None:
        """The person whose browser holds this step (``code`` or ``enrol``)."""
        values = self.opened(token, step)
        return None if values is None else str(values.get("person", ""))
