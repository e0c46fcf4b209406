"""Settings, read from the environment (``COMMITMENTS_*``) or given explicitly."""

import os
from dataclasses import dataclass

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

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        values: dict[str, object] = {
            "database_url": os.environ.get("COMMITMENTS_DATABASE_URL", DEFAULT_DATABASE_URL),
            "host": os.environ.get("COMMITMENTS_HOST", "127.0.0.1"),
            "port": int(os.environ.get("COMMITMENTS_PORT", "8000")),
            "snapshot_interval": int(os.environ.get("COMMITMENTS_SNAPSHOT_INTERVAL", "100")),
            "scan_interval": float(os.environ.get("COMMITMENTS_SCAN_INTERVAL", "60")),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
