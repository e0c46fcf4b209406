"""Evidence files: kept once by their SHA-256, in a folder beside the SQLite database or in a table of the
PostgreSQL database (``stores``); their type read from their bytes (``detection``); the bytes a focal point's
link may send in a day (``quota``)."""
