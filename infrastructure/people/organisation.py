"""Signing in through one's organisation with OpenID Connect (the authorization code flow with PKCE, a state and
a nonce): the provider's discovery document and keys, the address to send the person to, and the person's claims
once the provider sends them back, read from an ID token whose signature, issuer, audience, expiry and nonce are
all checked. Authlib makes the PKCE pair and the tokens; joserfc (Authlib's JOSE library) reads the ID token;
httpx speaks to the provider, with time limits and sizes bounded."""

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from application.errors import ProviderRefused

ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")  # never "none", never a shared secret's HS256
MAX_DOCUMENT_BYTES = 1_000_000
KEYS_KEPT_SECONDS = 3600
LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Started:
    """What the browser holds until the provider sends the person back (in a signed cookie)."""

    url: str  # where to send the person
    state: str
    nonce: str
    verifier: str  # PKCE's code verifier


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    timeout: float = 10.0


class OrganisationProvider:
    def __init__(self, settings: ProviderSettings) -> None:
        self.settings = settings
        self._discovery: dict[str, Any] | None = None
        self._keys: tuple[float, KeySet] | None = None

    def _get(self, url: str) -> dict[str, Any]:
        try:
            with httpx.Client(timeout=self.settings.timeout, follow_redirects=False) as client:
                response = client.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as error:
            raise ProviderRefused(f"the provider does not answer: {type(error).__name__}") from error
        return _document(response)

    def discovery(self) -> dict[str, Any]:
        if self._discovery is None:
            found = self._get(self.settings.issuer.rstrip("/") + "/.well-known/openid-configuration")
            if found.get("issuer") != self.settings.issuer:
                raise ProviderRefused("the provider's discovery document names another issuer")
            for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(found.get(needed), str):
                    raise ProviderRefused(f"the provider's discovery document has no {needed}")
            self._discovery = found
        return self._discovery

    def _key_set(self, fresh: bool = False) -> KeySet:
        if fresh or self._keys is None or time.monotonic() - self._keys[0] > KEYS_KEPT_SECONDS:
            try:
                published: Any = self._get(self.discovery()["jwks_uri"])  # a JWK set, checked by joserfc as it reads it
                keys = KeySet.import_key_set(published)
            except (JoseError, ValueError, TypeError) as error:
                raise ProviderRefused("the provider's keys cannot be read") from error
            self._keys = (time.monotonic(), keys)
        return self._keys[1]

    def start(self, redirect_uri: str) -> Started:
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        query = {
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.settings.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        endpoint = self.discovery()["authorization_endpoint"]
        return Started(f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}", state, nonce, verifier)

    def finish(self, code: str, redirect_uri: str, verifier: str, nonce: str) -> dict[str, Any]:
        """The code exchanged for tokens (with PKCE's verifier), and the ID token's claims once checked."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        try:
            with httpx.Client(timeout=self.settings.timeout, follow_redirects=False) as client:
                response = client.post(
                    self.discovery()["token_endpoint"],
                    data=form,
                    auth=(self.settings.client_id, self.settings.client_secret),
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as error:
            raise ProviderRefused(f"the provider does not answer: {type(error).__name__}") from error
        tokens = _document(response)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise ProviderRefused("the provider sent no ID token")
        return self.claims_of(id_token, nonce)

    def claims_of(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims, if it is signed by the provider's key, for this client, still valid, and
        carries the nonce this sign-in sent; refused otherwise."""
        if len(id_token) > 20_000:
            raise ProviderRefused("the ID token is too large")
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=ALGORITHMS)
            except JoseError:
                token = jwt.decode(id_token, self._key_set(fresh=True), algorithms=ALGORITHMS)  # keys rotated
            claims = dict(token.claims)
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self.settings.issuer},
                aud={"essential": True, "value": self.settings.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except (JoseError, ValueError) as error:
            raise ProviderRefused(f"the ID token is refused: {type(error).__name__}: {error}"[:300]) from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.client_id:
            raise ProviderRefused("the ID token was issued to another client")
        return claims


def _document(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise ProviderRefused(f"the provider answered {response.status_code}")
    if len(response.content) > MAX_DOCUMENT_BYTES:
        raise ProviderRefused("the provider's answer is too large")
    try:
        found = json.loads(response.content)
    except ValueError as error:
        raise ProviderRefused("the provider's answer is not JSON") from error
    if not isinstance(found, dict):
        raise ProviderRefused("the provider's answer is not a JSON object")
    return found
