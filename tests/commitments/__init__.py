"""A commitment's rules: its lifecycle, due, lateness, escalation, corrections, recurrence, roll-ups, themes."""
