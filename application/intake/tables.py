"""A spreadsheet as read, before anything in it is checked: what the reading process answers and an
import takes. Kept apart, with nothing but the standard library, so that the reading process (a new
interpreter for each file) starts without loading the use cases."""

from dataclasses import dataclass

MAX_ROWS = 20_000  # the rows one file may bring (``domain.meetings.agreement.MAX_MATRIX_ROWS``: as many)


@dataclass(frozen=True)
class Table:
    """A spreadsheet as read: its name, the header row, and each data row with its line in the file."""

    name: str
    headers: tuple[str | None, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
