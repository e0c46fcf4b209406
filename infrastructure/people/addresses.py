"""Which account an e-mail address signs in to. A person's id is random (it says nothing of their address), so
the address is looked up here; erasing the person deletes the row, and then nothing links the id that stays in
the events to an address (decision 0075)."""

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from infrastructure.people.tables import person_addresses


class Addresses:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def find(self, address: str) -> str | None:
        with self.engine.connect() as connection:
            found: str | None = connection.execute(
                select(person_addresses.c.person_id).where(person_addresses.c.address == address.casefold())
            ).scalar_one_or_none()
        return found

    def claim(self, address: str, person_id: str) -> bool:
        """The address is the person's; False if it is another's already."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(person_addresses).values(address=address.casefold(), person_id=person_id))
        except IntegrityError:
            return False
        return True

    def forget(self, person_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(person_addresses).where(person_addresses.c.person_id == person_id))
