"""Meetings and what they adopt: the meeting aggregate, meeting series (sessions held, follow-ups awaited, rhythm),
agreements with their action matrices, and how a matrix file is read."""
