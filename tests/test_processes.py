"""Several server processes write to one database at once: no event is lost, the read model holds."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

import httpx
from sqlalchemy import create_engine, text

from application.inputs import TextInput
from application.queries import CommitmentFilter
from domain.access import Role
from domain.commitment import Commitment
from infrastructure.bootstrap import build
from infrastructure.persistence.database import parse
from infrastructure.persistence.scratch import scratch_database
from infrastructure.settings import Settings
from tests.records import OIC, UN, commitment, meeting
from tests.server import Server
from tests.test_projection import dump

WRITES_PER_CLIENT = 30


def test_a_burst_of_writes_to_sqlite_from_32_clients_all_succeed(tmp_path: Path) -> None:
    """Two workers, 32 clients at once on one SQLite file: every request is answered 201 (they
    used to wait on the file's write lock until the event store's pool gave up, with a 500)."""
    url = f"sqlite:///{tmp_path / 'burst.db'}"
    setup = build(Settings(database_url=url))
    _, key = setup.keys.create(Role.COORDINATOR, "load")
    setup.close()
    server = Server(url, cwd=tmp_path, workers=2, env={"COMMITMENTS_SCAN_INTERVAL": "0"})
    try:
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            un = client.post("/parties", json=UN).json()["id"]
            oic = client.post("/parties", json=OIC).json()["id"]
            meeting_id = client.post("/meetings", json=meeting([un, oic])).json()["id"]

        def client_writes(index: int) -> list[int]:
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
                return [client.post("/commitments", json=commitment(meeting_id, oic)).status_code for _ in range(10)]

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = [status for statuses in pool.map(client_writes, range(32)) for status in statuses]
    finally:
        server.stop()
    assert statuses == [201] * 320
    services = build(Settings(database_url=url))
    try:
        assert services.catalogue.find_commitments(CommitmentFilter(limit=1)).total == 320
        assert services.audit.verify().intact
    finally:
        services.close()


def test_two_servers_write_concurrently_without_losing_an_event(tmp_path: Path) -> None:
    with scratch_database("postgresql", "test") as url:
        setup = build(Settings(database_url=url))
        _, key = setup.keys.create(Role.COORDINATOR, "load")
        setup.close()
        quiet = {"COMMITMENTS_SCAN_INTERVAL": "0"}  # only the clients write: the scanner stays out of the count
        servers = [Server(url, cwd=tmp_path, env=quiet), Server(url, cwd=tmp_path, workers=2, env=quiet)]
        try:
            headers = {"Authorization": f"Bearer {key}"}
            first = httpx.Client(base_url=servers[0].url, headers=headers, timeout=30)
            def create(path: str, body: object) -> str:
                response = first.post(path, json=body)
                assert response.status_code == 201, response.text
                return str(response.json()["id"])

            un = create("/parties", UN)
            oic = create("/parties", OIC)
            meeting_id = create("/meetings", meeting([un, oic]))
            shared = create("/commitments", commitment(meeting_id, oic))

            def client_writes(index: int) -> tuple[list[str], int, int]:
                server = servers[index % 2]
                created: list[str] = []
                changed = conflicts = 0
                with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
                    for n in range(WRITES_PER_CLIENT):
                        response = client.post("/commitments", json=commitment(meeting_id, un if n % 2 else oic))
                        assert response.status_code == 201, response.text
                        created.append(response.json()["id"])
                        # everybody reports progress on one shared commitment: some lose the race
                        progress = client.post(f"/commitments/{shared}/progress", json={"percent": n})
                        assert progress.status_code in (200, 409), progress.text
                        changed += progress.status_code == 200
                        conflicts += progress.status_code == 409
                        listed = client.get("/commitments", params={"limit": 1, "lead_party": oic})
                        assert listed.status_code == 200
                return created, changed, conflicts

            with ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(client_writes, range(4)))
        finally:
            for server in servers:
                server.stop()

        created = [cid for ids, _, _ in results for cid in ids]
        progress_reports = sum(changed for _, changed, _ in results)
        assert len(set(created)) == 4 * WRITES_PER_CLIENT
        services = build(Settings(database_url=url))
        try:
            tracker = services.tracker
            for cid in created:
                assert tracker.commitments.get(cid).version == 1
            shared_history = tracker.histories.events(Commitment, UUID(shared))
            assert len(shared_history) == 1 + progress_reports
            listed = services.catalogue.find_commitments(CommitmentFilter(limit=200))
            assert listed.total == 1 + len(created)
            assert services.projector.position() == services.store.recorder.max_notification_id()
            incremental = dump(services.engine)
            services.projector.rebuild()
            assert dump(services.engine) == incremental
        finally:
            services.close()


def test_services_starting_together_on_a_new_database_all_start(database_url: str) -> None:
    """Two API workers and a scanner process, say, started at the same moment on an empty database."""
    start = threading.Barrier(4)

    def start_one(n: int) -> str:
        start.wait()
        services = build(Settings(database_url=database_url, scan_interval=0, dispatch_interval=0))
        try:
            return services.tracker.parties.register("key_a", TextInput({"en": f"Party {n}"}), f"P{n}", "ngo").id
        finally:
            services.close()

    for _ in range(3):  # the race is narrow: give it a few chances on a fresh schema each time
        with ThreadPoolExecutor(4) as pool:
            parties = list(pool.map(start_one, range(4)))
        assert len(set(parties)) == 4
        reset(database_url)


def reset(database_url: str) -> None:
    """Drop everything the services created, so the next start finds an empty database again."""
    url = parse(database_url)
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
