"""Backing the record up to one encrypted file, and restoring it into an empty database of either engine."""
