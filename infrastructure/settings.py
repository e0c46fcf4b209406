"""Settings, declared once: each is read from ``COMMITMENTS_<NAME>`` (or given explicitly), checked,
and refused with a one-line message naming it (``commitments: COMMITMENTS_PORT: …``)."""

import ipaddress
import os
from typing import Annotated, Any, Literal, TypedDict

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.commitments.due import time_zone
from domain.commitments.escalation import Ladder
from domain.errors import InvalidValue
from domain.people.organisation import claim_rules

DEFAULT_DATABASE_URL = "sqlite:///var/commitments.db"
ENV_PREFIX = "COMMITMENTS_"
Seconds = Annotated[float, Field(ge=0)]  # 0: not in this process, where it is an interval
Positive = Annotated[float, Field(gt=0)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    # One URL decides where everything is stored: the event store and every table.
    # sqlite:///var/commitments.db (relative to the working directory), sqlite:////abs/path.db,
    # or postgresql+psycopg://user:password@host:5432/dbname
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # Snapshot an aggregate every this many events, so long histories load fast (0: never).
    snapshot_interval: Annotated[int, Field(ge=0)] = 100
    # Seconds a write waits for the database's write lock (another process writing) before the
    # request is answered 503 with nothing stored.
    write_wait: Positive = 30.0
    # PostgreSQL: seconds a pooled connection may rest unused before it is tried (one round trip)
    # before its next use; the server or the network may have closed it meanwhile (decision 0039).
    pool_ping_after: Annotated[float, Field(ge=0)] = 1.0  # 0: tried after any rest
    # Seconds between two looks for overdue, due-soon and review-due commitments (0: the API does not
    # look; run 'commitments worker' instead, or nothing is ever found late).
    scan_interval: Seconds = 60.0
    # The deployment's escalation ladder: steps of days overdue and who is told, separated by commas, as
    # in 0:lead_party,30:parent_organisation,90:meeting_chairs (empty: nothing is escalated; a party may
    # keep a ladder of its own).
    escalation_ladder: str = ""
    # E-mail digests to the parties' contacts, over SMTP (no host: none are sent). Security: none,
    # starttls or tls (from the first byte); credentials when the server asks for them.
    smtp_host: str = ""
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout: Positive = 30.0
    smtp_ca_file: str = ""  # a PEM file of certificate authorities to trust instead of the system's
    mail_from: str = "Commitment tracker <commitments@localhost>"  # the digests' From:
    # Seconds between two looks for digests to send (0: not in this process); they are sent from
    # digest_hour o'clock in digest_time_zone, the weekly ones on digest_weekday (0: Monday).
    digest_interval: Seconds = 300.0
    digest_hour: Annotated[int, Field(ge=0, le=23)] = 7
    digest_weekday: Annotated[int, Field(ge=0, le=6)] = 0
    digest_time_zone: str = "UTC"
    # Days a focal point's link of a digest works (acknowledge, report progress, ask for a new due, deliver).
    action_link_days: Annotated[int, Field(ge=1, le=365)] = 14
    # Evidence files: the largest file kept (bytes), and what the links of one party's focal points may send
    # in a day (files, bytes). Files are kept beside a SQLite database (<database>.files) or in PostgreSQL.
    evidence_file_max_bytes: Annotated[int, Field(ge=1024, le=1024**3)] = 25 * 1024 * 1024
    link_upload_files_per_day: Annotated[int, Field(ge=0, le=10_000)] = 20
    link_upload_bytes_per_day: Annotated[int, Field(ge=0)] = 100 * 1024 * 1024
    # Webhooks
    dispatch_interval: Seconds = 2.0  # seconds between two looks for deliveries to send (0: none)
    webhook_retry_schedule: Annotated[tuple[Positive, ...], NoDecode, Field(min_length=1, max_length=30)] = (
        5,
        30,
        120,
        600,
        3600,
        10800,
        21600,
        43200,
    )  # seconds before each retry, separated by commas
    webhook_timeout: Positive = 10.0  # seconds for connecting, and again for the answer
    webhook_failure_window: Positive = 3 * 24 * 3600.0  # failing this many seconds disables a subscription
    webhook_secret_overlap: Seconds = 24 * 3600.0  # seconds the old secret keeps signing after a rotation
    webhook_lease: Positive = 60.0  # seconds a dispatcher holds a delivery it is sending
    webhook_allow_http: bool = False
    webhook_allow_loopback: bool = False
    webhook_allow_private: bool = False
    webhook_ca_file: str = ""  # a PEM file of certificate authorities to trust instead of the system's
    signing_key_file: str = ""  # Ed25519 PEM signing the audit head; empty: a key kept in the database
    public_url: str = ""  # prefix of the links in webhook payloads, e.g. https://commitments.example.org
    # The audit chain is checked without anyone asking: its new links every this many seconds (0: not in
    # this process), and the whole chain again every audit_full_check_interval seconds.
    audit_check_interval: Seconds = 60.0
    witness_interval: Seconds = 3600.0  # seconds between two sendings of the head to the witnesses (0: none)
    audit_full_check_interval: Positive = 24 * 3600.0
    # Refused requests are kept this many days for auditors; a client refused for bad keys more
    # than denial_limit times in a minute is answered 429 until the minute is over.
    denial_retention_days: Positive = 90.0
    denial_limit: Annotated[int, Field(ge=1)] = 30
    # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or
    # networks, comma-separated ("127.0.0.1" for a proxy on the same host). Empty (the default): the
    # client's address is the one the connection comes from, whatever a header claims.
    trusted_proxies: str = ""
    # Uploaded spreadsheets are read by processes of their own: at most this many at once per service
    # process (each may take 1 GB of memory and 30 s of processor time; more wait, then get 503).
    spreadsheet_readers: Annotated[int, Field(ge=1, le=16)] = 2
    # Meeting reports (drafting) are read by worker processes kept for it, started at the first report:
    # at most this many at once per service process; more wait, then get 503.
    report_readers: Annotated[int, Field(ge=1, le=16)] = 1
    # The API's interactive documentation at /docs (Swagger UI, served from the installed package).
    api_docs: bool = True
    # A web page session ends after this many idle minutes, and this many hours after signing in.
    web_session_idle_minutes: Positive = 30.0
    web_session_hours: Positive = 12.0
    # Whether the sign-in page takes an API key (for service accounts): "auto" (the default) until the first
    # person account exists, then no; "on" or "off" always. Keys always work for the JSON API.
    key_sign_in: Literal["auto", "on", "off"] = "auto"
    # Signing in through the people's organisation (OpenID Connect): the provider's issuer (its address, as its
    # discovery document names it), this deployment's client id and secret there, the scopes asked, the claim
    # holding the person's groups, and who is let in with which role (domain.people.organisation: e.g.
    # "group:oic-secretariat=admin; group:sesric-staff=coordinator; domain:isdb.org=auditor"). Empty issuer: off.
    oidc_issuer: Annotated[str, Field(max_length=500)] = ""
    oidc_client_id: Annotated[str, Field(max_length=500)] = ""
    oidc_client_secret: Annotated[str, Field(max_length=2000)] = ""
    oidc_scopes: Annotated[str, Field(max_length=500)] = "openid email profile"
    oidc_groups_claim: Annotated[str, Field(min_length=1, max_length=100)] = "groups"
    oidc_rules: Annotated[str, Field(max_length=10_000)] = ""
    # The button's words on the sign-in page (the organisation's name).
    oidc_name: Annotated[str, Field(max_length=200)] = "your organisation"
    # Make an account at the first sign-in of someone a rule lets in (false: only people already invited).
    oidc_create_accounts: bool = True
    # Whether the provider's own second factor (its "amr" claim) is enough, or this deployment's is asked too.
    oidc_trust_second_factor: bool = True
    # Whether an address the provider does not say is verified ("email_verified") is refused; false for a provider
    # that gives only addresses it manages and does not say so (Microsoft Entra ID).
    oidc_verified_email_only: bool = True
    # Who reports the IATI activities exported: its IATI organisation identifier, type and name.
    iati_reporting_org_ref: Annotated[str, Field(min_length=1, max_length=100)] = "XI-COMMITMENTS"
    iati_reporting_org_type: Annotated[str, Field(pattern=r"^[0-9]{2}$")] = "40"
    iati_reporting_org_name: Annotated[str, Field(min_length=1, max_length=200)] = "Commitment tracker"
    # -- operating the service --
    # PostgreSQL connections each process keeps open, and may open beyond them at busy times (README:
    # "Sizing the database's connections").
    pool_size: Annotated[int, Field(ge=1, le=200)] = 5
    pool_overflow: Annotated[int, Field(ge=0, le=200)] = 5
    # Seconds to wait at start for the database to answer (0: a database that does not answer is refused
    # at once, in one line, exit status 2).
    start_wait: Seconds = 0.0
    # Prometheus metrics at /metrics, for admin and auditor keys (off: not served); metrics_port also
    # serves them without a key on a port of their own, for a scraper (0: no such port).
    metrics: bool = True
    metrics_port: Annotated[int, Field(ge=0, le=65535)] = 0
    # The log: text lines (time, level, component, message) or one JSON object a line.
    log_format: Literal["text", "json"] = "text"
    # The first admin key, made when no key exists, is written to this file (readable by its owner only)
    # instead of being shown on the terminal.
    first_admin_key_file: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for written in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(written, strict=False)
            except ValueError:
                raise ValueError(f"{written!r} is neither an IP address nor a network") from None
        return value

    def proxy_settings(self) -> "ProxySettings":
        """uvicorn's options for the proxy headers: off unless some proxy is trusted."""
        trusted = [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]
        return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _seconds_separated_by_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("escalation_ladder")
    @classmethod
    def _a_ladder(cls, value: str) -> str:
        try:
            return Ladder.parse(value).text()
        except InvalidValue as error:
            raise ValueError(error.detail) from None

    @field_validator("oidc_rules")
    @classmethod
    def _claim_rules(cls, value: str) -> str:
        try:
            claim_rules(value)
        except InvalidValue as error:
            raise ValueError(error.detail) from None
        return value

    @field_validator("digest_time_zone")
    @classmethod
    def _a_time_zone(cls, value: str) -> str:
        try:
            return time_zone(value, "digest_time_zone")
        except InvalidValue as error:
            raise ValueError(error.detail) from None

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """The settings of the environment, with the overrides given (None: not given). A secret may be
        given in a file instead, as container secrets are mounted: ``COMMITMENTS_<NAME>_FILE``."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return cls(**{**secrets_from_files(given), **given})


# The settings that are secrets: each may also be read from the file ``COMMITMENTS_<NAME>_FILE`` names.
SECRETS = ("database_url", "smtp_password", "oidc_client_secret")


def secrets_from_files(given: dict[str, Any]) -> dict[str, str]:
    """The secrets whose ``_FILE`` twin is set (its file's text, without the line end), unless given
    explicitly; refused if both the setting and its twin are in the environment."""
    found: dict[str, str] = {}
    for name in SECRETS:
        if name not in given and os.environ.get(f"{ENV_PREFIX}{name.upper()}_FILE"):
            found[name] = secret_of(name) or ""
    return found


def secret_of(name: str) -> str | None:
    """A secret from the environment: ``COMMITMENTS_<NAME>``, or the text of the file its twin
    ``COMMITMENTS_<NAME>_FILE`` names (without the line end); None if neither is set. Both set, or a file
    that cannot be read, is refused with a line naming the setting."""
    variable = f"{ENV_PREFIX}{name.upper()}"
    twin, value = f"{variable}_FILE", os.environ.get(variable)
    path = os.environ.get(twin)
    if not path:
        return value or None
    if value:
        raise BadSetting(f"{twin}: set either it or {variable}, not both")
    try:
        with open(path, encoding="utf-8") as file:
            return file.read(64 * 1024).rstrip("\r\n")
    except OSError as error:
        raise BadSetting(f"{twin}: cannot read {path!r} ({error.strerror or error})") from None


class ProxySettings(TypedDict):
    """uvicorn's options for the proxy headers."""

    proxy_headers: bool
    forwarded_allow_ips: list[str] | str


class BadSetting(ValueError):
    """A setting's value cannot be used; the message names the setting, in one line."""


def read(**overrides: object) -> Settings:
    """``Settings.from_env``, with a refusal that names the setting instead of a traceback."""
    try:
        return Settings.from_env(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        name = ENV_PREFIX + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        value = first.get("input")
        shown = "" if isinstance(value, (dict, type(None))) else f" (got {value!r})"
        raise BadSetting(f"{name}: {first['msg'].lower()}{shown}") from None
