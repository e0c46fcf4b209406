"""The Alembic environment of the tables beside the read model (``env.py``, the revisions in
``versions/``), inside the package so that an installed service has it; run it through
``infrastructure.persistence.migrating``, which configures Alembic without an ``alembic.ini``."""

from pathlib import Path

LOCATION = Path(__file__).resolve().parent  # Alembic's script_location
