"""Telling people and systems: the facts the clock brings (the scanner), digests to contacts, webhook subscriptions
and deliveries."""
