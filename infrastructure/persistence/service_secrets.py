"""The service's own secrets (the audit head's signing key, the unsubscribe links' key), kept in the
database: made on first use, by whichever process asks first, and the same for every process after."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from infrastructure.persistence.tables import service_keys


def kept_secret(engine: Engine, clock: Callable[[], datetime], purpose: str, make: Callable[[], str]) -> str:
    """The secret kept for ``purpose``; ``make`` makes it when there is none yet."""

    def stored() -> str | None:
        with engine.connect() as connection:
            return connection.execute(
                select(service_keys.c.private_key).where(service_keys.c.purpose == purpose)
            ).scalar()

    secret = stored()
    if secret is None:
        try:
            with engine.begin() as connection:
                connection.execute(insert(service_keys).values(purpose=purpose, private_key=make(), created_at=clock()))
        except IntegrityError:
            pass  # another process made it first: use theirs
        secret = stored()
        assert secret is not None
    return secret
