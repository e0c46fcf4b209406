"""Business rules of the commitment tracker: aggregates, value objects, domain errors.

Only the standard library and ``eventsourcing.domain`` may be imported here.
"""
