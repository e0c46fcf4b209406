"""A real OpenID Connect provider on loopback for the tests of signing in through one's organisation: the
certified ``oidc-provider`` npm package on the machine's Node.js (``identity_provider/server.mjs``), with the
accounts, clients and redirect address a test gives it; and a person at its pages, who signs in as one of them."""

import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.server import stop
from tests.smtp import free_port

SERVER = Path(__file__).parent / "identity_provider" / "server.mjs"


class IdentityProvider:
    def __init__(
        self, client_id: str, client_secret: str, redirect_uri: str, accounts: dict[str, dict[str, Any]], **more: str
    ) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        env = {
            **os.environ,
            "PORT": str(self.port),
            "ISSUER": self.issuer,
            "CLIENT_ID": client_id,
            "CLIENT_SECRET": client_secret,
            "REDIRECT_URI": redirect_uri,
            "ACCOUNTS": json.dumps(accounts),
            **more,
        }
        self.process = subprocess.Popen(
            ["node", str(SERVER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        lines: queue.Queue[str] = queue.Queue()

        def read() -> None:
            for line in self.process.stdout or ():
                lines.put(line)

        threading.Thread(target=read, daemon=True).start()
        said: list[str] = []
        while True:  # its first lines, until it says it is ready (or stops)
            try:
                line = lines.get(timeout=30)
            except queue.Empty as error:
                self.stop()
                raise RuntimeError(f"the identity provider did not start: {''.join(said)}") from error
            said.append(line)
            if line.strip() == f"ready {self.issuer}":
                break

    def stop(self) -> None:
        stop(self.process)

    def sign_in_at(self, authorization_url: str, account: str) -> str:
        """A person at the provider's pages signs in as ``account``: where the provider sends them back."""
        with httpx.Client(timeout=10) as browser:
            url = authorization_url
            for _ in range(10):
                answer = browser.get(url)
                if answer.status_code == 200 and 'name="login"' in answer.text:  # the provider's sign-in form
                    answer = browser.post(url, data={"login": account})
                assert answer.status_code in (302, 303), answer.text
                url = urljoin(url, answer.headers["location"])
                if url.startswith(self.redirect_uri):
                    return url
        raise AssertionError("the provider never sent the person back")

    def id_token(self, account: str, nonce: str, client_id: str | None = None, client_secret: str | None = None) -> str:
        """A genuine ID token the provider signs for ``account`` and the client (the deployment's, or another's)."""
        from authlib.common.security import generate_token
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        client_id, client_secret = client_id or self.client_id, client_secret or self.client_secret
        verifier, state = generate_token(64), generate_token(16)
        query = httpx.QueryParams(
            response_type="code",
            client_id=client_id,
            redirect_uri=self.redirect_uri,
            scope="openid email profile groups",
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        back = httpx.URL(self.sign_in_at(f"{self.issuer}/auth?{query}", account))
        tokens = httpx.post(
            f"{self.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": back.params["code"],
                "redirect_uri": self.redirect_uri,
                "code_verifier": verifier,
            },
            auth=(client_id, client_secret),
            timeout=10,
        )
        assert tokens.status_code == 200, tokens.text
        return str(tokens.json()["id_token"])
