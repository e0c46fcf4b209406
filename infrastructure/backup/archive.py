"""What a backup holds, as lines of JSON: a header with the signed head of the audit chain, the rows
of the tables no event can rebuild (API keys, the service's own secrets but its signing key, webhook
subscriptions and their secrets, calendar feeds), then every stored event with its position in the
log, then each evidence file the events cite (its bytes, checked against its hash when restored), then an
end line. Restoring writes them into an empty database of either engine at the same
positions, follows the log again (the audit chain must end at the same position and link, the read
model is rebuilt) and leaves the outbox at the end: the restored past is not news to any subscriber.

Where a backup came from is proven by its head's signature, checked against a public key the
operator trusts (``trusted_key``), never against the key inside the backup: the key that signs the
audit head does not travel in backups (decision 0045), so whoever can open a backup still cannot
sign a forged one."""

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, insert, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from application.records.evidence_files import EvidenceFiles
from application.storage.store import EventStore
from application.views import plain
from infrastructure.audit.bundle_verifier import CITED
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.head_signing import PURPOSE as SIGNING_KEY
from infrastructure.audit.head_signing import check_signature, fingerprint
from infrastructure.log.aggregates import table_recorder
from infrastructure.people.tables import (
    person_accounts,
    person_addresses,
    person_credentials,
    person_recovery_codes,
)
from infrastructure.persistence.tables import (
    UTCDateTime,
    api_keys,
    calendar_feeds,
    follower_positions,
    service_keys,
)
from infrastructure.personal.keys import PersonalKeys
from infrastructure.personal.tables import personal_erasures, personal_keys
from infrastructure.read_model.projector import Projector
from infrastructure.webhooks.outbox import Outbox
from infrastructure.webhooks.tables import subscriptions


class Services(Protocol):
    """The parts of a running service a backup reads and a restore writes (the composition root's
    ``Services`` has them)."""

    engine: Engine
    store: EventStore
    audit: AuditChain
    projector: Projector
    outbox: Outbox
    files: EvidenceFiles
    personal_keys: PersonalKeys


FORMAT = 2  # 1: the same, its signing key included (a restore leaves it out)
READABLE = (1, 2)
TABLES: tuple[Table, ...] = (
    api_keys,
    service_keys,
    subscriptions,
    calendar_feeds,
    personal_keys,  # without them, the personal data sealed in the events could not be read again
    personal_erasures,
    person_addresses,  # which account each address signs in to (people's ids are random)
    person_accounts,  # people's second factors and recovery codes, and their passwords' hashes (decision 0075)
    person_recovery_codes,
    person_credentials,
)
BATCH = 1_000


class NotRestorable(Exception):
    """The backup is malformed or not signed by the trusted key, the target holds events already, or
    the restored record does not end where the backup did."""


@dataclass(frozen=True)
class Restored:
    events: int
    position: int
    link: str
    rows: dict[str, int]
    signed_by: str  # the fingerprint of the key that signed the backup's head
    signs_with: str  # the fingerprint of the key the restored deployment signs its heads with
    files: int = 0  # the evidence files restored
    erasures: int = 0  # the people erased again after loading


def _travels(table: Table, row: dict[str, Any]) -> bool:
    """Whether a row goes into backups and comes out of them: all but the audit head's signing key."""
    return not (table is service_keys and row.get("purpose") == SIGNING_KEY)


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _value(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return plain(value) if isinstance(value, datetime) else value


def lines(services: Services) -> Iterator[bytes]:
    """The backup's lines, the events up to the head taken at the start."""
    services.audit.catch_up()
    head = services.audit.head()
    yield _line({"kind": "backup", "format": FORMAT, "head": head, "engine": services.engine.dialect.name})
    with services.engine.connect() as connection:
        for table in TABLES:
            for row in connection.execute(select(table)).mappings():
                if _travels(table, dict(row)):
                    yield _line({"kind": "row", "table": table.name, "row": {k: _value(v) for k, v in row.items()}})
    recorder, start, count = services.store.recorder, 1, 0
    cited: dict[str, None] = {}
    while batch := list(recorder.select_notifications(start, BATCH, stop=head["position"])):
        for n in batch:
            state = n.state if isinstance(n.state, bytes) else bytes(n.state)
            cited.update((found.decode(), None) for found in CITED.findall(state))
            yield _line(
                {
                    "kind": "event",
                    "n": n.id,
                    "id": str(n.originator_id),
                    "v": n.originator_version,
                    "topic": n.topic,
                    "state": base64.b64encode(state).decode("ascii"),
                }
            )
            count += 1
        start = batch[-1].id + 1
    files = 0
    for sha256 in cited:
        data = services.files.store.get(sha256)
        if data is not None:  # a file no longer kept: the audit of the deployment says so
            yield _line({"kind": "file", "sha256": sha256, "data": base64.b64encode(data).decode("ascii")})
            files += 1
    yield _line({"kind": "end", "events": count, "files": files})


def _row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            if value is not None and isinstance(table.c[name].type, UTCDateTime)
            else base64.b64decode(value["base64"])
            if isinstance(value, dict) and set(value) == {"base64"}
            else value
        )
        for name, value in row.items()
    }


def _insert_events(connection: Connection, table: str, engine: str, events: list[dict[str, Any]]) -> None:
    if engine == "sqlite":
        statement = text(
            f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (:n, :id, :v, :topic, :state)"
        )
        # eventsourcing's SQLite recorder keeps an originator id as its 32 hex digits
        values = [{**e, "id": uuid.UUID(e["id"]).hex, "state": base64.b64decode(e["state"])} for e in events]
    else:
        statement = text(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state, notification_id) "
            "VALUES (:id, :v, :topic, :state, :n)"
        )
        values = [{**e, "id": uuid.UUID(e["id"]), "state": base64.b64decode(e["state"])} for e in events]
    connection.execute(statement, [{k: v for k, v in e.items() if k != "kind"} for e in values])


def header_of(line: bytes | None) -> dict[str, Any]:
    """A backup's first line, checked: its format, and a head with a position, link and signature."""
    try:
        header = json.loads(line or b"null")
        if not isinstance(header, dict):
            raise TypeError("not an object")
        head = header["head"]
        if header.get("kind") != "backup" or header.get("format") not in READABLE:
            raise NotRestorable(
                "this file is not a backup this version can read (format "
                f"{header.get('format')!r}; this version reads {', '.join(map(str, READABLE))})"
            )
        int(head["position"]), str(head["link"]), str(head["signature"]), str(head["public_key"])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise NotRestorable(f"the backup's first line is not a backup's header ({type(error).__name__})") from None
    return header


def trusted(head: dict[str, Any], trusted_key: str | None) -> None:
    """Refused unless ``trusted_key`` (None: not checked) signed the head."""
    if trusted_key is None:
        return
    if head["public_key"] != trusted_key or not check_signature(
        trusted_key, head["signature"], head["position"], head["link"]
    ):
        raise NotRestorable(
            f"the backup's head is not signed by the trusted key {fingerprint(trusted_key)} (it "
            f"names {fingerprint(head['public_key'])}): it is not restored"
        )


def restore(
    services: Services, source: Iterable[bytes], trusted_key: str | None, erasures: Iterable[str] = ()
) -> Restored:
    """Load a backup's lines into the services' database, which must hold no event yet; its head must
    be signed by ``trusted_key`` (None: its origin is not checked, as the operator accepted). The people
    erased in this database (its erasures outlive its events), and ``erasures`` (the people erased in the
    deployment the backup came from, since it was taken), are erased again once it is loaded: a backup taken
    before an erasure does not bring a person back."""
    recorder = services.store.recorder
    if recorder.max_notification_id():
        raise NotRestorable("the database already holds events: restore into an empty one")
    erased_here = {erasure["person_id"] for erasure in services.personal_keys.erasures()} | set(erasures)
    lines = iter(source)
    header = header_of(next((line for line in lines if line.strip()), None))
    trusted(header["head"], trusted_key)
    try:
        loaded = _load(services, (json.loads(line) for line in lines if line.strip()), header["head"])
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise NotRestorable(f"the backup is malformed ({type(error).__name__}): nothing was restored") from None
    except (IntegrityError, DataError) as error:
        raise NotRestorable(
            f"the backup's rows do not fit this database ({type(error.orig).__name__}): nothing was restored"
        ) from None
    services.audit.catch_up()
    head = services.audit.head()
    expected = header["head"]
    if (head["position"], head["link"]) != (expected["position"], expected["link"]):
        raise NotRestorable(
            f"the restored chain ends at {head['position']} {head['link'][:12]}…, the backup's at "
            f"{expected['position']} {expected['link'][:12]}…: the backup does not hold the record"
        )
    for person in sorted(erased_here):
        services.personal_keys.erase(person)
    services.projector.catch_up()  # the read model made after the erasures: it never holds what they erased
    return Restored(
        loaded[0],
        head["position"],
        head["link"],
        loaded[1],
        fingerprint(expected["public_key"]),
        fingerprint(head["public_key"]),
        loaded[2],
        len(erased_here),
    )


def _load(
    services: Services, records: Iterator[dict[str, Any]], head: dict[str, Any]
) -> tuple[int, dict[str, int], int]:
    """The rows and events written in one transaction, and the files kept: the events' count, the rows' per
    table, the files'."""
    recorder = services.store.recorder
    tables = {table.name: table for table in TABLES}
    engine, table_name = services.engine.dialect.name, table_recorder(recorder).events_table_name
    rows: dict[str, int] = {}
    events: list[dict[str, Any]] = []
    ended, files = None, 0
    with services.engine.begin() as connection:
        for table in TABLES:  # the rows a new database made for itself give way to the restored ones
            if table is service_keys:  # but its signing key, which no backup holds
                connection.execute(table.delete().where(service_keys.c.purpose != SIGNING_KEY))
            else:
                connection.execute(table.delete())
        for record in records:
            if record["kind"] == "row":
                table = tables[record["table"]]
                if _travels(table, record["row"]):
                    connection.execute(insert(table).values(_row(table, record["row"])))
                    rows[table.name] = rows.get(table.name, 0) + 1
            elif record["kind"] == "event":
                events.append(record)
                if len(events) >= BATCH:
                    _insert_events(connection, table_name, engine, events)
                    events.clear()
            elif record["kind"] == "file":
                data = base64.b64decode(record["data"], validate=True)
                if hashlib.sha256(data).hexdigest() != record["sha256"]:
                    raise NotRestorable(f"the backup's file {record['sha256']} is not the one its hash names")
                services.files.store.put(data)  # kept by its hash: written again, it is the same file
                files += 1
            elif record["kind"] == "end":
                ended = record
        if events:
            _insert_events(connection, table_name, engine, events)
        if ended is None:
            raise NotRestorable("the backup ends before its last line: it is cut off")
        last = int(head["position"])
        if engine == "postgresql" and last:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'notification_id'), {last})")
            )
        # The restored past is not news: no webhook is sent for it again.
        connection.execute(
            update(follower_positions).where(follower_positions.c.name == services.outbox.name).values(position=last)
        )
    return int(ended["events"]), rows, files
