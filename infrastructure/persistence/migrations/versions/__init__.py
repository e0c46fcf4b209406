"""The revisions, oldest first by their number (``0001_baseline``, ``0002_…``). A revision, once released,
is never edited: a later change is a new revision."""
