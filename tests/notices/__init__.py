"""Telling people and systems: webhooks, their addresses and deliveries, digests, the scanner, leases."""
