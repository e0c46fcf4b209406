"""Settings, read from the environment (``COMMITMENTS_*``) or given explicitly."""

import os
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite:///var/commitments.db"


@dataclass(frozen=True)
class Settings:
    # One URL decides where everything is stored: the event store and every table.
    # sqlite:///var/commitments.db (relative to the working directory), sqlite:////abs/path.db,
    # or postgresql+psycopg://user:password@host:5432/dbname
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Snapshot an aggregate every this many events, so long histories load fast (0: never).
    snapshot_interval: int = 100
    # Seconds between two looks for overdue and due-soon commitments (0: the API does not look;
    # run 'commitments worker' instead, or nothing is ever found late).
    scan_interval: float = 60.0
    # Webhooks
    dispatch_interval: float = 2.0  # seconds between two looks for deliveries to send (0: none)
    webhook_retry_schedule: tuple[float, ...] = field(default=(5, 30, 120, 600, 3600, 10800, 21600, 43200))
    webhook_timeout: float = 10.0  # seconds for connecting, and again for the answer
    webhook_failure_window: float = 3 * 24 * 3600.0  # failing this many seconds disables a subscription
    webhook_secret_overlap: float = 24 * 3600.0  # seconds the old secret keeps signing after a rotation
    webhook_lease: float = 60.0  # seconds a dispatcher holds a delivery it is sending
    webhook_allow_http: bool = False
    webhook_allow_loopback: bool = False
    webhook_allow_private: bool = False
    signing_key_file: str = ""  # Ed25519 PEM signing the audit head; empty: a key kept in the database
    # The audit chain is checked without anyone asking: its new links every this many seconds (0: not in
    # this process), and the whole chain again every audit_full_check_interval seconds.
    audit_check_interval: float = 60.0
    audit_full_check_interval: float = 24 * 3600.0
    public_url: str = ""  # prefix of the links in webhook payloads, e.g. https://commitments.example.org

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        values: dict[str, object] = {
            "database_url": os.environ.get("COMMITMENTS_DATABASE_URL", DEFAULT_DATABASE_URL),
            "host": os.environ.get("COMMITMENTS_HOST", "127.0.0.1"),
            "port": int(os.environ.get("COMMITMENTS_PORT", "8000")),
            "snapshot_interval": int(os.environ.get("COMMITMENTS_SNAPSHOT_INTERVAL", "100")),
            "scan_interval": float(os.environ.get("COMMITMENTS_SCAN_INTERVAL", "60")),
            "dispatch_interval": float(os.environ.get("COMMITMENTS_DISPATCH_INTERVAL", "2")),
            "webhook_timeout": float(os.environ.get("COMMITMENTS_WEBHOOK_TIMEOUT", "10")),
            "webhook_failure_window": float(os.environ.get("COMMITMENTS_WEBHOOK_FAILURE_WINDOW", str(3 * 24 * 3600))),
            "webhook_secret_overlap": float(os.environ.get("COMMITMENTS_WEBHOOK_SECRET_OVERLAP", str(24 * 3600))),
            "webhook_lease": float(os.environ.get("COMMITMENTS_WEBHOOK_LEASE", "60")),
            "webhook_allow_http": _flag("COMMITMENTS_WEBHOOK_ALLOW_HTTP"),
            "webhook_allow_loopback": _flag("COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK"),
            "webhook_allow_private": _flag("COMMITMENTS_WEBHOOK_ALLOW_PRIVATE"),
            "public_url": os.environ.get("COMMITMENTS_PUBLIC_URL", ""),
            "signing_key_file": os.environ.get("COMMITMENTS_SIGNING_KEY_FILE", ""),
            "audit_check_interval": float(os.environ.get("COMMITMENTS_AUDIT_CHECK_INTERVAL", "60")),
            "audit_full_check_interval": float(os.environ.get("COMMITMENTS_AUDIT_FULL_CHECK_INTERVAL",
                                                              str(24 * 3600))),
        }
        schedule = os.environ.get("COMMITMENTS_WEBHOOK_RETRY_SCHEDULE")
        if schedule:
            values["webhook_retry_schedule"] = tuple(float(part) for part in schedule.split(","))
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
