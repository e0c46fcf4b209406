"""How records are kept: loading and saving aggregates (saving.py), in turns with their followers (turns.py), the
event store (store.py) and the stored form of values (transcodings.py)."""
