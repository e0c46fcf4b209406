"""Settings, persistence wiring, key and idempotency stores, and the composition root."""
