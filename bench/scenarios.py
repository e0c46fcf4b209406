"""The benchmark scenarios. Each returns Figures: a measured value beside a baseline from the same run."""

import json
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from sqlalchemy import insert, text

from api.bootstrap import Services
from application.inputs import DueInput, TextInput
from application.listing.queries import CommitmentFilter, terms
from application.notices.scanner import BATCH
from application.views import CommitmentView
from bench.http_load import memory_under_load, read_one, receiver, record_many
from bench.measure import Figure, rate, seconds, summary
from bench.seeding import BENCH, clone_commitments, database, followed, seed_meeting, services
from domain.access import Role
from domain.commitments.commitment import Commitment
from domain.search import index_terms
from infrastructure.persistence.database import event_store_env
from infrastructure.persistence.driver import TO_THE_DRIVER
from infrastructure.read_model import search_index
from infrastructure.read_model.tables import commitments_view
from infrastructure.webhooks.outbox import delivery_row
from infrastructure.webhooks.tables import deliveries

UTC = UTC


class Note(Aggregate):
    """The baseline's plain aggregate: one event with a text, as a commitment's first event has."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


def recording(s: Services, acronym: str = "SESRIC") -> tuple[Callable[[], object], int]:
    """One commitment recorded through the application (led by a new party, ``acronym``, in a new
    meeting), and the size of its first stored event."""
    party_id, meeting_id = seed_meeting(s, acronym)
    lead, held_at = uuid.UUID(party_id), uuid.UUID(meeting_id)
    text_in = TextInput({"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the joint matrix"}, "ar")

    def record() -> CommitmentView:
        return s.tracker.commitments.record(BENCH, text_in, lead, held_at, due=DueInput("year", "2030"))

    sample = record()
    return record, len(next(iter(s.store.recorder.select_events(uuid.UUID(sample.id)))).state)


def _plain_recording(app: Application[uuid.UUID], size: int) -> Callable[[], object]:
    """The library doing a recording's work: load two aggregates (the lead party and the meeting,
    each with one event), then save a new aggregate with one event of ``size`` bytes."""
    party, meeting = Note(text="SESRIC"), Note(text="General meeting")
    app.save(party, meeting)
    sample = Note(text="")
    app.save(sample)
    padding = "x" * max(0, size - len(next(iter(app.recorder.select_events(sample.id))).state))

    def record() -> object:
        app.repository.get(party.id)
        app.repository.get(meeting.id)
        return app.save(Note(text=padding))

    return record


def recording_fresh(engine: str, count: int) -> tuple[float, int]:
    """Commitments recorded per second one at a time into a fresh database, and the size of their
    first stored event."""
    with database(engine) as url:
        s = services(url)
        record, size = recording(s)
        recorded = rate(count, lambda: [record() for _ in range(count)])
        s.close()
    return recorded, size


def record_commitments(engine: str, count: int, runs: int) -> list[Figure]:
    ours, baseline = [], []
    for _ in range(runs):
        recorded, size = recording_fresh(engine, count)
        ours.append(recorded)
        with database(engine) as url:
            app: Application[uuid.UUID] = Application(env=event_store_env(url))
            plain = _plain_recording(app, size)
            baseline.append(rate(count, lambda: [plain() for _ in range(count)]))
            app.close()
    value, low, high = summary(ours)
    return [
        Figure(
            "record one command at a time (application layer)",
            engine,
            "commitments/s",
            value,
            low,
            high,
            "eventsourcing: load the same two aggregates, save one event of the same size",
            summary(baseline)[0],
            "≥ 0.6 × baseline",
        )
    ]


def record_in_threads(engine: str, count: int, runs: int, threads: int = 16) -> list[Figure]:
    """``threads`` threads of one process recording ``count`` commitments between them, beside the
    same process recording them one at a time."""
    together, alone = [], []
    for _ in range(runs):
        with database(engine) as url:
            s = services(url)
            record, _ = recording(s)
            alone.append(rate(count, lambda: [record() for _ in range(count)]))
            with ThreadPoolExecutor(max_workers=threads) as pool:
                together.append(rate(count, lambda: list(pool.map(lambda _: record(), range(count)))))
            s.close()
    value, low, high = summary(together)
    return [
        Figure(
            f"record from {threads} threads in one process",
            engine,
            "commitments/s",
            value,
            low,
            high,
            "the same process recording one at a time",
            summary(alone)[0],
            "≥ 2 × baseline",
        )
    ]


def _seed_commitment_rows(s: Services, count: int, overdue_share: float, now: datetime) -> None:
    """Read-model rows only: the scan reads nothing else."""
    late_every = max(1, round(1 / overdue_share))
    rows = []
    for n in range(count):
        due = now - timedelta(days=1) if n % late_every == 0 else now + timedelta(days=30 + n % 300)
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "seq": n + 1_000_000,
                "version": 1,
                "kind": "action",
                "status": "agreed",
                "lead_party_id": "p",
                "meeting_id": "m",
                "agreement_id": None,
                "row_number": None,
                "due_at": due,
                "due_order": due,
                "overdue": False,
                "due_soon": False,
                "review_due": False,
                "can_be_late": True,
                "next_reminder_at": due - timedelta(days=30),
                "document": "{}",
            }
        )
        if len(rows) == 20_000 or n == count - 1:
            with s.engine.begin() as connection:
                connection.execute(insert(commitments_view), rows)
            rows = []


def find_overdue(engine: str, sizes: list[int], runs: int) -> list[Figure]:
    """The scanner's question (which commitments became overdue?) over archives of growing size, 1%
    of them overdue. The cost should follow the overdue found, not the archive: the figure is the
    time to find them all divided by how many were found, beside the same at the smallest size."""
    figures = []
    per_found: dict[int, float] = {}
    now = datetime.now(UTC)
    for size in sizes:
        with database(engine) as url:
            s = services(url)
            _seed_commitment_rows(s, size, 0.01, now)
            if engine == "postgresql":
                with s.engine.begin() as connection:
                    connection.execute(text("ANALYZE commitments_view"))
            found = len(s.catalogue.overdue_candidates(now, size))
            everything = [seconds(lambda: s.catalogue.overdue_candidates(now, size)) for _ in range(runs * 3)]
            # The scanner asks for one batch at a time (application.notices.scanner.BATCH) and marks it.
            batch = [seconds(lambda: s.catalogue.overdue_candidates(now, BATCH)) for _ in range(runs * 3)]
            s.close()
        per_found[size] = summary(everything)[0] / found
        figures.append(
            Figure(
                f"find the {found:,} overdue among {size:,} (1% overdue), time per overdue found",
                engine,
                "µs",
                per_found[size] * 1e6,
                min(everything) / found * 1e6,
                max(everything) / found * 1e6,
                f"the same at {sizes[0]:,}",
                per_found[sizes[0]] * 1e6,
                f"at the largest ≤ 2 × the time at {sizes[0]:,}",
                {"found": found, "all_ms": summary(everything)[0] * 1000, "one_batch_ms": summary(batch)[0] * 1000},
            )
        )
    return figures


def verify_chain(engine: str, events: int, runs: int) -> list[Figure]:
    with database(engine) as url:
        s = services(url)
        clone_commitments(s, events - 2)  # and a party and a meeting: ``events`` in all
        s.audit.catch_up()
        ours = [rate(events, lambda: s.audit.verify()) for _ in range(runs)]
        baseline = [rate(events, lambda: [None for _ in s.audit.events()]) for _ in range(runs)]
        intact = s.audit.verify().intact
        s.close()
    value, low, high = summary(ours)
    return [
        Figure(
            f"verify the hash chain over {events:,} events",
            engine,
            "events/s",
            value,
            low,
            high,
            "reading the same rows without hashing",
            summary(baseline)[0],
            "≥ 0.5 × baseline",
            {"intact": float(intact)},
        )
    ]


def load_long_history(engine: str, events: int, runs: int) -> list[Figure]:
    with database(engine) as url:
        s = services(url, snapshot_interval=100)
        party_id, meeting_id = seed_meeting(s)
        lead, held_at = uuid.UUID(party_id), uuid.UUID(meeting_id)
        short = s.tracker.commitments.record(
            BENCH, TextInput({"en": "Short"}), lead, held_at, due=DueInput("year", "2030"), status="agreed"
        )
        long = s.tracker.commitments.record(
            BENCH, TextInput({"en": "Long"}), lead, held_at, due=DueInput("year", "2030"), status="agreed"
        )
        for commitment_id, target in ((short.id, 10), (long.id, events)):
            aggregate: Commitment = s.store.repository.get(uuid.UUID(commitment_id))
            while aggregate.version < target:
                for _ in range(min(250, target - aggregate.version)):
                    aggregate.report_progress(aggregate.version % 101, None, (), "bench", datetime.now(UTC))
                s.tracker.records.save(aggregate)
        ours = [seconds(lambda: s.tracker.commitments.get(long.id)) for _ in range(runs * 5)]
        baseline = [seconds(lambda: s.tracker.commitments.get(short.id)) for _ in range(runs * 5)]
        s.close()
    value, low, high = summary(ours)
    return [
        Figure(
            f"load a commitment with {events:,} events (snapshots every 100)",
            engine,
            "ms",
            value * 1000,
            low * 1000,
            high * 1000,
            "loading one with 10 events",
            summary(baseline)[0] * 1000,
            "≤ 3 × baseline",
        )
    ]


QUERIES = [
    "مصفوفة الأنشطة",
    "الانشطه المشتركه",
    "الأمن الغذائي",
    "regional framework",
    "capacity building",
    "statistical training",
]
TEXTS = [
    "تنفيذ مصفوفة الأنشطة المشتركة رقم {n}",
    "Regional framework on food security, item {n}",
    "بناء القدرات الإحصائية في الدولة {n}",
    "Statistical capacity building programme {n}",
    "الأمن الغذائي والتنمية الزراعية {n}",
    "Joint training on data {n}",
]


def search(engine: str, size: int, runs: int) -> list[Figure]:
    with database(engine) as url:
        s = services(url)
        now = datetime.now(UTC)
        _seed_commitment_rows(s, size, 0.01, now)
        with s.engine.begin() as connection:
            rows = connection.execute(text("SELECT id, seq FROM commitments_view ORDER BY seq")).all()
            search_index.add(
                connection,
                TO_THE_DRIVER,
                [
                    ("commitment", row.id, row.seq, index_terms(TEXTS[n % len(TEXTS)].format(n=n)))
                    for n, row in enumerate(rows)
                ],
            )
            if engine == "postgresql":
                connection.execute(text("ANALYZE search_index"))
        latencies = []
        for _ in range(runs * 10):
            for query in QUERIES:
                started = time.perf_counter()
                s.catalogue.find_commitments(CommitmentFilter(words=terms(query), limit=20))
                latencies.append(time.perf_counter() - started)
        s.close()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    median = latencies[len(latencies) // 2]
    return [
        Figure(
            f"search {size:,} commitments (Arabic and English), p95",
            engine,
            "ms",
            p95 * 1000,
            latencies[0] * 1000,
            latencies[-1] * 1000,
            None,
            None,
            "p95 ≤ 50 ms",
            {"median_ms": median * 1000},
        )
    ]


def to_json(figures: list[Figure]) -> str:
    return json.dumps([{**f.__dict__, "ratio": f.ratio} for f in figures], indent=2, ensure_ascii=False)


def mark_overdue(engine: str, count: int, runs: int) -> list[Figure]:
    """The scanner marking ``count`` commitments overdue, each creating a delivery for one subscriber, in a
    fresh process state, as a worker that did not record them."""
    rates = []
    for _ in range(runs):
        with database(engine) as url:
            s = services(url, webhook_allow_http=True, webhook_allow_loopback=True)
            s.subscriptions.create("http://127.0.0.1:9/hooks", ["overdue"], [], "bench (never sent)")
            party_id, meeting_id = seed_meeting(s)
            for _ in range(count):
                s.tracker.commitments.record(
                    BENCH,
                    TextInput({"en": "Due long ago"}),
                    uuid.UUID(party_id),
                    uuid.UUID(meeting_id),
                    due=DueInput("year", "2024"),
                    status="agreed",
                )
            # The scanner runs in a worker that did not record them (and holds none of them in memory).
            s.close()
            s = services(url, webhook_allow_http=True, webhook_allow_loopback=True)
            rates.append(rate(count, s.scanner.tick))
            deliveries = s.delivery_log.count(event_type="commitment.overdue")
            s.close()
            if deliveries != count:
                raise AssertionError(f"{deliveries} deliveries for {count} overdue commitments")
    value, low, high = summary(rates)
    return [
        Figure(
            f"mark {count:,} commitments overdue and create their deliveries",
            engine,
            "commitments/s",
            value,
            low,
            high,
            None,
            None,
            "≥ 2,000/s",
        )
    ]


def read_via_api(engine: str, total: int, runs: int) -> list[Figure]:
    return _median_of_runs(read_one, engine, total, runs)


def record_via_api(engine: str, total: int, runs: int) -> list[Figure]:
    return _median_of_runs(record_many, engine, total, runs)


def _median_of_runs(scenario: Callable[..., list[Figure]], engine: str, total: int, runs: int) -> list[Figure]:
    """Each figure of the scenario once per run, each run on a fresh database; the run with the median
    value is reported, with the others' range. wrk runs ``total`` / 3,200 seconds a figure (at least 1)."""
    by_name: dict[str, list[Figure]] = {}
    for _ in range(runs):
        with database(engine) as url:
            for figure in scenario(engine, url, total, max(1, total // 3_200)):
                by_name.setdefault(figure.scenario, []).append(figure)
    reported = []
    for figures in by_name.values():
        values = sorted(f.value for f in figures)
        middle = figures[[f.value for f in figures].index(values[len(values) // 2])]
        middle.low, middle.high = values[0], values[-1]
        reported.append(middle)
    return reported


def deliver_webhooks(engine: str, count: int, runs: int) -> list[Figure]:
    """One dispatcher sending ``count`` pending deliveries to a receiver in another process, against a
    load generator with the same concurrency (one keep-alive client) posting the same bodies to it."""
    ours, baseline = [], []
    for _ in range(runs):
        with database(engine) as url, receiver() as hook_url:
            s = services(url, webhook_allow_http=True, webhook_allow_loopback=True)
            subscription = s.subscriptions.create(hook_url, ["overdue"], [], "bench")
            now = datetime.now(UTC)
            body = json.dumps(
                {
                    "type": "commitment.overdue",
                    "timestamp": now.isoformat(),
                    "data": {
                        "commitment": {
                            "text": {"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the joint matrix"}
                        },
                        "padding": "x" * 1_000,
                    },
                },
                ensure_ascii=False,
            )
            with s.engine.begin() as connection:
                connection.execute(
                    insert(deliveries),
                    [
                        delivery_row(subscription.id, "commitment.overdue", body, now, position=n + 1)
                        for n in range(count)
                    ],
                )
            with httpx.Client(headers={"content-type": "application/json"}) as client:
                baseline.append(
                    rate(count, lambda: [client.post(hook_url, content=body.encode()) for _ in range(count)])
                )
            ours.append(rate(count, s.dispatcher.tick))
            sent = s.delivery_log.count(status="succeeded")
            s.close()
            if sent != count:
                raise AssertionError(f"{sent} of {count} deliveries succeeded")
    value, low, high = summary(ours)
    return [
        Figure(
            f"deliver {count:,} webhooks to a local receiver (one dispatcher)",
            engine,
            "deliveries/s",
            value,
            low,
            high,
            "a load generator posting the same bodies to the receiver",
            summary(baseline)[0],
            "≥ 0.5 × baseline",
        )
    ]


def api_memory(engine: str, commitments: int, runs: int) -> list[Figure]:
    """Peak resident memory of the API process (one worker) serving reads, lists and searches
    over ``commitments`` commitments."""
    with database(engine) as url:
        s = services(url)
        followed(s, commitments)
        _, key = s.keys.create(Role.COORDINATOR, "bench")
        s.close()
        peaks = [memory_under_load(url, key) for _ in range(runs)]
    value, low, high = summary(peaks)
    return [
        Figure(
            f"peak RSS of the API process at {commitments:,} commitments",
            engine,
            "MB",
            value,
            low,
            high,
            None,
            None,
            "< 500 MB",
        )
    ]


def import_matrix(engine: str, count: int, runs: int) -> list[Figure]:
    """A matrix of ``count`` rows imported in one call (the file read, every row checked, stored in
    batches of 500), beside recording the same commitments one call each through the application,
    as a script of ``POST /commitments`` would, on the same engine in the same run."""
    from application.intake.tables import Table

    def world(s: Services) -> tuple[str, str, str]:
        party_id, meeting_id = seed_meeting(s)
        agreement = s.tracker.agreements.adopt(
            BENCH, uuid.UUID(meeting_id), TextInput({"en": "Matrix"}), "action_matrix", [uuid.UUID(party_id)]
        )
        return party_id, meeting_id, agreement.id

    rows = tuple((n + 2, (str(n + 1), f"نشاط رقم {n + 1}", "SESRIC", f"{2026 + n % 4}")) for n in range(count))
    table = Table("bench.csv", ("الرقم", "النشاط", "الجهة المسؤولة", "الإطار الزمني"), rows)
    ours, baseline = [], []
    for _ in range(runs):
        with database(engine) as url:
            s = services(url)
            _, _, agreement_id = world(s)
            ours.append(rate(count, lambda: s.imports.run(BENCH, agreement_id, table, dry_run=False)))
            s.close()
        with database(engine) as url:
            s = services(url)
            party_id, meeting_id, agreement_id = world(s)
            baseline.append(
                rate(
                    count,
                    lambda: [
                        s.tracker.commitments.record(
                            BENCH,
                            TextInput({"ar": f"نشاط رقم {n}"}),
                            uuid.UUID(party_id),
                            uuid.UUID(meeting_id),
                            agreement_id=uuid.UUID(agreement_id),
                            due=DueInput("year", str(2026 + n % 4)),
                        )
                        for n in range(count)
                    ],
                )
            )
            s.close()
    value, low, high = summary(ours)
    return [
        Figure(
            f"import a matrix of {count:,} rows (one call, batches of 500)",
            engine,
            "rows/s",
            value,
            low,
            high,
            "recording the same commitments one call each",
            summary(baseline)[0],
            "≥ 1 × baseline",
        )
    ]


def time_ordered_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, version 7, variant 10."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(uuid.uuid4().bytes[6:], "big") & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return uuid.UUID(int=value)


def new_ids(engine: str, count: int, runs: int) -> list[Figure]:
    """Saving ``count`` new aggregates (one small event each) under time-ordered ids (UUIDv7), beside
    the same under random ids (UUIDv4, what the aggregates use today), each on a fresh database
    already holding ``count`` events under random ids: index inserts that stay local, or not."""

    def measured(make_id: Callable[[], uuid.UUID]) -> float:
        with database(engine) as url:
            app: Application[uuid.UUID] = Application(env=event_store_env(url))
            for _ in range(count // 1_000):  # what is stored already, under random ids, 1,000 a save
                app.save(
                    *(
                        Note._create(Note.Written, id=uuid.uuid4(), text="x")  # type: ignore[attr-defined]  # the event decorator makes Note.Written
                        for _ in range(1_000)
                    )
                )
            made = [
                Note._create(Note.Written, id=make_id(), text="تنفيذ مصفوفة الأنشطة المشتركة")  # type: ignore[attr-defined]  # the event decorator makes Note.Written
                for _ in range(count)
            ]
            value = rate(count, lambda: [app.save(*made[i : i + 100]) for i in range(0, count, 100)])
            app.close()
        return value

    ordered = [measured(time_ordered_id) for _ in range(runs)]
    random_ids = [measured(uuid.uuid4) for _ in range(runs)]
    value, low, high = summary(ordered)
    return [
        Figure(
            f"save {count:,} new aggregates under time-ordered ids (UUIDv7), 100 a save, beside {count:,} stored",
            engine,
            "aggregates/s",
            value,
            low,
            high,
            "the same under random ids (UUIDv4)",
            summary(random_ids)[0],
            "≥ 1 × baseline to adopt",
        )
    ]
