"""Parties (identified by acronym or by name) and their contacts."""
