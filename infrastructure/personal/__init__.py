"""Personal data sealed with a key per person, kept outside the event log: erasing the person deletes the key,
and what the events hold of them can no longer be read, while the chain still verifies."""
