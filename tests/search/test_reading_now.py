"""A record read as it is now comes from the read model's document when that holds the record's
latest version (one indexed read), and from the event log when the read model is behind it."""

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from api.bootstrap import Services
from domain.commitments.commitment import Commitment
from tests.conftest import Api
from tests.world import World


def test_a_record_read_now_is_what_its_history_says_it_is(api: Api, world: World) -> None:
    for path in (f"/commitments/{world.commitment}", f"/parties/{world.sesric}", f"/meetings/{world.meeting}"):
        now = api.get(path)
        version = int(now.headers["ETag"].strip('"'))
        replayed = api.get(path, version=version)
        assert now.status_code == 200 and now.json() == replayed.json(), path
        assert now.headers["ETag"] == replayed.headers["ETag"]


def test_a_record_the_read_model_is_behind_on_is_read_from_the_event_log(
    api: Api, services: Services, world: World
) -> None:
    commitment: Aggregate = services.store.repository.get(UUID(world.commitment))
    assert isinstance(commitment, Commitment)
    commitment.reweigh(5, "saved without its followers, as when they failed", "test", datetime.now(UTC))
    services.store.save(commitment)  # the event log moves; the read model does not
    read = api.get(f"/commitments/{world.commitment}")
    assert read.json()["weight"] == 5 and read.headers["ETag"] == f'"{commitment.version}"'
    assert api.get("/commitments", lead_party=world.sesric).json()["items"][0]["weight"] is None  # the lists lag
    services.projector.catch_up()
    assert api.get("/commitments", lead_party=world.sesric).json()["items"][0]["weight"] == 5
