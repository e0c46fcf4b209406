"""Recording and changing each kind of record: parties, meetings, agreements, commitments, series (their rhythm),
recurring commitments, themes."""
