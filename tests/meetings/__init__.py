"""Meetings and series: a series' rhythm, facts recorded years late."""
