"""The composition root: builds every part of the service from its settings."""

import functools
import logging
from datetime import timedelta
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eventsourcing.persistence import ApplicationRecorder, Recording
from sqlalchemy import Engine

from application.scanner import Scanner
from application.tracker import Clock, Tracker, system_clock
from domain.webhooks import retry_schedule
from infrastructure import aggregate_batches, log_follower, schema
from infrastructure.audit_chain import AuditChain
from infrastructure.audit_watch import ChainWatch
from infrastructure.catalogue import SqlCatalogue
from infrastructure.database import create_table_engine, event_store_env, one_at_a_time
from infrastructure.idempotency import IdempotencyStore
from infrastructure.keys import KeyStore
from infrastructure.delivery_log import DeliveryLog
from infrastructure.denials import DenialLog
from infrastructure.dispatcher import Dispatcher, DispatchSettings
from infrastructure.head_signing import HeadSigner
from infrastructure.outbox import Outbox
from infrastructure.projection import Projector
from infrastructure.readiness import Heartbeats, Readiness
from infrastructure.subscriptions import SubscriptionStore
from infrastructure.url_safety import UrlPolicy, system_resolve
from infrastructure.settings import Settings
from infrastructure.tables import metadata


log = logging.getLogger("commitments.projection")


def _following(engine: Engine, recorder: ApplicationRecorder,
               followers: Sequence[log_follower.Follower]) -> Callable[[Sequence[Recording]], None]:
    """What runs after each command: every follower of the log (read model, webhook outbox, audit
    chain) catches up to the command's events, together in one transaction (decision 0011).

    The command's events are saved whatever happens here. If following them together fails, or
    a follower is far behind, each follower tries on its own, so one failing follower does not
    hold back the others; a failure is logged, not reported as the command's failure, and the
    next command (or a rebuild) catches up.
    """

    def after_save(recordings: Sequence[Recording]) -> None:
        saved = [recording.notification for recording in recordings]
        until = max(n.id for n in saved)
        try:
            if log_follower.follow_together(engine, recorder, followers, saved):
                return
        except Exception:
            log.exception("could not follow events up to %s together; each follower tries alone", until)
        for follower in followers:
            try:
                log_follower.follow(engine, recorder, follower, until)
            except Exception:
                log.exception("could not catch up to event %s", until)

    return after_save


@dataclass
class Services:
    settings: Settings
    tracker: Tracker
    keys: KeyStore
    idempotency: IdempotencyStore
    projector: Projector
    catalogue: SqlCatalogue
    scanner: Scanner
    subscriptions: SubscriptionStore
    outbox: Outbox
    dispatcher: Dispatcher
    delivery_log: DeliveryLog
    audit: AuditChain
    audit_watch: ChainWatch
    denials: DenialLog
    heartbeats: Heartbeats
    readiness: Readiness
    engine: Engine

    def background_jobs(self) -> dict[str, tuple[Callable[[], object], float]]:
        """What the scheduler runs, and every how many seconds; each run leaves a heartbeat."""
        jobs: dict[str, tuple[Callable[[], object], float]] = {}
        for name, job, interval in (("scanner", self.scanner.tick, self.settings.scan_interval),
                                    ("dispatcher", self.dispatcher.tick, self.settings.dispatch_interval),
                                    ("audit", self.audit_watch.tick, self.settings.audit_check_interval)):
            if interval > 0:
                jobs[name] = (functools.partial(self._beating, name, job), interval)
        return jobs

    def _beating(self, name: str, job: Callable[[], object]) -> None:
        job()
        self.heartbeats.beat(name)

    def close(self) -> None:
        self.denials.flush()
        self.dispatcher.close()
        self.tracker.close()
        self.engine.dispose()


def build(settings: Settings, clock: Clock = system_clock, catch_up: bool = True,
          resolve: Callable[[str, int], list[str]] = system_resolve) -> Services:
    """Connect to the database the settings name, creating what is missing. ``resolve`` looks up the
    addresses of a webhook's host (the machine's resolver; DNS is outside the machine).

    The read model is created (or rebuilt, if its shape changed) and brought up to
    date with the event log, then kept up to date by every command.
    """
    engine = create_table_engine(settings.database_url)
    policy = UrlPolicy(allow_http=settings.webhook_allow_http, allow_loopback=settings.webhook_allow_loopback,
                       allow_private=settings.webhook_allow_private, resolve=resolve)
    with one_at_a_time(engine):
        schema.upgrade(engine, metadata)
        tracker = Tracker(event_store_env(settings.database_url), clock, settings.snapshot_interval)
        projector = Projector(engine, tracker)
        projector.prepare()
        subscriptions = SubscriptionStore(engine, clock, policy)
        outbox = Outbox(engine, tracker, subscriptions, clock, settings.public_url)
        outbox.start_at_the_end()
        audit = AuditChain(engine, tracker.recorder, HeadSigner(engine, clock, settings.signing_key_file or None),
                           clock)
        audit.start()
        audit_watch = ChainWatch(engine, audit, outbox, clock, settings.audit_full_check_interval)
        audit_watch.start()
    if catch_up:
        projector.catch_up()
        outbox.catch_up()
        audit.catch_up()
    tracker.read_many = functools.partial(aggregate_batches.read_many, tracker)
    tracker.after_save = _following(engine, tracker.recorder, [projector.follower, outbox.follower, audit.follower])
    catalogue = SqlCatalogue(engine)
    beats = Heartbeats(engine, clock)
    return Services(
        settings=settings,
        tracker=tracker,
        keys=KeyStore(engine, clock),
        idempotency=IdempotencyStore(engine, clock),
        projector=projector,
        catalogue=catalogue,
        scanner=Scanner(tracker, catalogue),
        subscriptions=subscriptions,
        outbox=outbox,
        dispatcher=Dispatcher(engine, outbox, clock, DispatchSettings(
            retry_schedule=retry_schedule(list(settings.webhook_retry_schedule)), timeout=settings.webhook_timeout,
            failure_window=timedelta(seconds=settings.webhook_failure_window),
            lease=timedelta(seconds=max(settings.webhook_lease, settings.webhook_timeout + 1)), policy=policy,
            ca_file=settings.webhook_ca_file)),
        delivery_log=DeliveryLog(engine, clock),
        audit=audit,
        audit_watch=audit_watch,
        denials=DenialLog(engine, clock, limit=settings.denial_limit,
                          retention=timedelta(days=settings.denial_retention_days)),
        heartbeats=beats,
        readiness=Readiness(engine, clock, beats, lambda: (tracker.recorder.max_notification_id() or 0)
                            - projector.position(), audit_watch,
                            {"scanner": settings.scan_interval or 60.0, "dispatcher": settings.dispatch_interval or 2.0}),
        engine=engine,
    )
