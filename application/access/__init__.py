"""Who calls and what they may prove: API keys, web sessions, the audit record (the rules of who may do what are
application/policy.py)."""
