"""Commitments: the aggregate and what it promises (promise.py), its lifecycle, its due (as written, and resolved),
its escalation ladder, roll-ups over many, and recurring commitments."""
