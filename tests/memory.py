"""The use cases on the library's in-memory event store: where the rules of the application are
tested, fast, with nothing else running (no database, no read model)."""

from application.ports import Followers, NoFollowers
from application.storage.saving import Clock, Records, StoreWriter
from application.storage.store import EventStore
from application.tracker import Tracker


def tracker_in_memory(clock: Clock, followers: Followers = NoFollowers(), snapshot_interval: int = 0) -> Tracker:
    return Tracker.on(
        Records(store := EventStore(snapshot_interval=snapshot_interval), clock, StoreWriter(store, followers))
    )
