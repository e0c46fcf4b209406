"""The record over time: as of any instant, replay, the audit chain, stored events that outlive the code, backups."""
