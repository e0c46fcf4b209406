"""The composition root: builds every part of the service from its settings, once, and hands each
part what it needs in its constructor."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine

from api.public.copies import PublicCopies
from api.web.mail import AccountLetters, DigestWriter
from api.web.sign_in_steps import SignInSteps
from application.access.audit import AuditRecord
from application.access.keys import Keys
from application.access.people import People
from application.intake.drafts import Drafts
from application.intake.imports import MatrixImports
from application.listing.calendars import CalendarFeeds
from application.listing.figures import Figures
from application.listing.lists import Lists
from application.listing.standing import Overview
from application.notices.digests import Digests, DigestsSent
from application.notices.scanner import Scanner
from application.notices.webhooks import Webhooks
from application.participation.focal_points import FocalPoints
from application.participation.update_sheets import UpdateSheets
from application.publishing.public import PublicRecords
from application.publishing.publications import Publishing
from application.records.evidence_files import EvidenceFiles, FileLimits
from application.storage.saving import Clock, Records, system_clock
from application.storage.store import EventStore
from application.tracker import Tracker
from domain.commitments.escalation import Ladder
from domain.parties.contact import DigestTime
from domain.people.organisation import ClaimRule, claim_rules
from domain.webhooks import retry_schedule
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.denials import DenialLog
from infrastructure.audit.head_signing import HeadSigner
from infrastructure.audit.integrity import BrokenRecords
from infrastructure.audit.trail import AuditTrail
from infrastructure.audit.watch import ChainWatch
from infrastructure.audit.witnesses import Witnesses
from infrastructure.files.checks import FileChecks
from infrastructure.files.detection import detected_type
from infrastructure.files.quota import UploadCounts
from infrastructure.files.stores import files_for
from infrastructure.gazetteer import WhenAsked
from infrastructure.log.aggregates import BatchReader, table_recorder
from infrastructure.log.writer import SqlWriter
from infrastructure.mail.action_links import ActionLinks, UsedActionLinks
from infrastructure.mail.digests import DigestMailer
from infrastructure.mail.smtp import SmtpSender, SmtpSettings
from infrastructure.mail.unsubscribe import UnsubscribeLinks
from infrastructure.operations import metrics
from infrastructure.operations.readiness import Heartbeats, Readiness, worker_jobs
from infrastructure.pdf import PdfRenderer
from infrastructure.people.accounts import Accounts
from infrastructure.people.addresses import Addresses
from infrastructure.people.credentials import Credentials, is_common
from infrastructure.people.holds import Holds
from infrastructure.people.organisation import OrganisationProvider, ProviderSettings
from infrastructure.persistence import migrating
from infrastructure.persistence.calendar_feeds import SqlFeedStore
from infrastructure.persistence.database import (
    create_reading_engine,
    create_table_engine,
    event_store_env,
    one_at_a_time,
)
from infrastructure.persistence.idempotency import IdempotencyStore
from infrastructure.persistence.keys import KeyStore
from infrastructure.persistence.service_secrets import kept_secret
from infrastructure.persistence.web_sessions import WebSessions
from infrastructure.personal.keys import PersonalKeys
from infrastructure.read_model.catalogue import SqlCatalogue
from infrastructure.read_model.projector import Projector
from infrastructure.read_model.rebuilding import InBackground, RebuildProgress, RebuildWhileServing
from infrastructure.reports.reader import ReportReader
from infrastructure.settings import Settings, read
from infrastructure.spreadsheets.reader import SpreadsheetReader
from infrastructure.webhooks.delivery_log import DeliveryLog
from infrastructure.webhooks.dispatcher import Dispatcher, DispatchSettings
from infrastructure.webhooks.outbox import Outbox
from infrastructure.webhooks.subscriptions import SubscriptionStore
from infrastructure.webhooks.url_safety import UrlPolicy, system_resolve
from infrastructure.witness.store import WitnessStore


@dataclass(frozen=True)
class OrganisationSignIn:
    """The deployment's OpenID Connect provider, who it lets in, and where the provider sends people back."""

    provider: OrganisationProvider
    rules: tuple[ClaimRule, ...]
    redirect_uri: str
    name: str
    create_accounts: bool
    trust_second_factor: bool
    groups_claim: str
    verified_email_only: bool = True


@dataclass
class Services:
    """Every part of a running service; close it (or use it in a ``with``) when done."""

    settings: Settings
    store: EventStore
    tracker: Tracker
    imports: MatrixImports
    spreadsheets: SpreadsheetReader
    reports: ReportReader
    drafts: Drafts
    figures: Figures
    overview: Overview  # where things stand for a key's scope, for every door that shows it
    publishing: Publishing  # what is published, deciding it, and its history
    public: PublicRecords  # what a published record shows anyone, without a key
    keys: KeyStore
    keyring: Keys  # the keys' use cases (make, list, revoke), for every door
    web_sessions: WebSessions
    sign_in_steps: SignInSteps  # a person's password right, their second factor left (a signed cookie)
    organisation: OrganisationSignIn | None  # signing in through the people's identity provider; None: not set
    calendar_feeds: CalendarFeeds
    idempotency: IdempotencyStore
    projector: Projector
    catalogue: SqlCatalogue
    lists: Lists  # the lists of records, for every door
    scanner: Scanner
    mailer: DigestMailer
    digests_sent: DigestsSent  # what the party's contacts were sent, for every door
    unsubscribe: UnsubscribeLinks
    focal_points: FocalPoints  # what a contact does from its e-mail, through a signed link
    update_sheets: UpdateSheets  # a party's commitments updated by spreadsheet, for every door
    subscriptions: SubscriptionStore
    outbox: Outbox
    dispatcher: Dispatcher
    delivery_log: DeliveryLog
    webhooks: Webhooks  # the subscriptions' and deliveries' use cases, for every door
    audit: AuditChain
    audit_watch: ChainWatch
    denials: DenialLog
    audit_record: AuditRecord  # the audit's use cases, for every door
    witnesses: Witnesses  # the organisations that hold the signed heads, and their receipts
    files: EvidenceFiles  # the evidence files, kept by their SHA-256
    file_checks: FileChecks  # whether every file the record cites is still kept, byte for byte
    personal_keys: PersonalKeys  # each person's key, outside the event log; erasing deletes it
    people: People  # people's accounts: invited, a password chosen, found by address and password
    heartbeats: Heartbeats
    readiness: Readiness
    engine: Engine
    writing_engine: Engine  # the events and their followers' tables are written through it (decision 0030)
    reading_engine: Engine  # the catalogue reads the read model through it (decision 0039)
    # How far the read model's rebuild beside the service has come (not running: none; decision 0059).
    rebuilding: RebuildProgress = field(default_factory=RebuildProgress)
    rebuild: RebuildWhileServing | None = None
    pdf: PdfRenderer = field(default_factory=PdfRenderer)  # the reports' PDFs; its engine is imported when asked
    public_copies: PublicCopies = field(default_factory=PublicCopies)  # the public pages made, kept while fresh

    def background_jobs(self) -> dict[str, tuple[Callable[[], object], float]]:
        """What the scheduler runs, and every how many seconds; each run leaves a heartbeat."""
        ticks: dict[str, Callable[[], object]] = {
            "scanner": self.scanner.tick,
            "dispatcher": self.dispatcher.tick,
            "digests": self.mailer.tick,
            "audit": self._audit,
            "witnesses": self.witnesses.tick,
        }
        return {
            name: (functools.partial(self._beating, name, ticks[name]), interval)
            for name, interval in worker_jobs(self.settings).items()  # the jobs these settings run (and --health asks)
        }

    def _audit(self) -> None:
        """The chain's new links (and all of them once per interval), then the files the record cites."""
        self.audit_watch.tick()
        self.file_checks.tick()

    def _beating(self, name: str, job: Callable[[], object]) -> None:
        if name in READ_THE_READ_MODEL and self.rebuilding.running:
            return  # what it would find is incomplete until the rebuild is done: the next tick after it
        job()
        self.heartbeats.beat(name)

    def connections_lost(self) -> None:
        """The database closed connections (it restarted, the network dropped them): every pool starts
        afresh, so that the next request meets no other closed connection a pool still trusts."""
        for engine in {id(e): e for e in (self.engine, self.writing_engine, self.reading_engine)}.values():
            engine.dispose(close=False)

    def close(self) -> None:
        if self.rebuild is not None:
            self.rebuild.stop()  # between two steps: the next start goes on from there
        self.reports.close()
        self.denials.flush()
        self.dispatcher.close()
        self.store.close()
        self.writing_engine.dispose()
        self.reading_engine.dispose()
        self.engine.dispose()

    def __enter__(self) -> "Services":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def organisation_sign_in(settings: Settings, public_url: str) -> OrganisationSignIn | None:
    if not settings.oidc_issuer:
        return None
    provider = OrganisationProvider(
        ProviderSettings(
            settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_scopes
        )
    )
    return OrganisationSignIn(
        provider,
        claim_rules(settings.oidc_rules),
        f"{public_url.rstrip('/')}/app/sign-in/organisation/back",
        settings.oidc_name,
        settings.oidc_create_accounts,
        settings.oidc_trust_second_factor,
        settings.oidc_groups_claim,
        settings.oidc_verified_email_only,
    )


def build_witness(database_url: str, clock: Clock = system_clock) -> WitnessStore:
    """A witness of other deployments' heads (``commitments witness serve``), on a database of its own."""
    if database_url.startswith("sqlite:///./"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return WitnessStore(create_table_engine(database_url), clock)


READ_THE_READ_MODEL = frozenset({"scanner", "digests"})  # the background jobs that wait for a rebuild
SERVING = InBackground()  # how a serving process rebuilds its read model (decision 0059)


def build(
    settings: Settings,
    clock: Clock = system_clock,
    catch_up: bool = True,
    resolve: Callable[[str, int], list[str]] = system_resolve,
    rebuild_in_background: InBackground | None = None,
    pdf: PdfRenderer | None = None,
) -> Services:
    """Connect to the database the settings name, creating what is missing and migrating the tables
    beside the read model (``migrating``). ``resolve`` looks up the addresses of a webhook's host (the
    machine's resolver; DNS is outside the machine).

    The read model is created (or dropped and created again, if its shape changed) and brought up to
    date with the event log, then kept up to date by every command (``catch_up=False``: left as it
    is). ``rebuild_in_background`` (a serving process: ``SERVING``): a read model that far behind the
    log is brought up to date in a thread of its own after ``build`` returns, ``Services.rebuilding``
    saying how far it has come; otherwise before ``build`` returns. ``pdf``: what makes the reports' PDFs
    (WeasyPrint, imported when a PDF is first asked for).
    """
    pool_size, pool_overflow = settings.pool_size, settings.pool_overflow  # PostgreSQL's connections, per engine
    engine = create_table_engine(
        settings.database_url,
        idle_before_ping=settings.pool_ping_after,
        pool_size=pool_size,
        pool_overflow=pool_overflow,
    )
    sqlite = engine.dialect.name == "sqlite"
    writing_engine = (
        create_table_engine(settings.database_url, durable=True, lock_wait=settings.write_wait) if sqlite else engine
    )
    reading_engine = (
        engine
        if sqlite
        else create_reading_engine(settings.database_url, settings.pool_ping_after, pool_size, pool_overflow)
    )
    policy = UrlPolicy(
        allow_http=settings.webhook_allow_http,
        allow_loopback=settings.webhook_allow_loopback,
        allow_private=settings.webhook_allow_private,
        resolve=resolve,
    )
    with one_at_a_time(engine):
        migrating.upgrade(engine)
        personal_keys = PersonalKeys(engine, clock)
        store = EventStore(
            event_store_env(settings.database_url, pool_size, pool_overflow), settings.snapshot_interval, personal_keys
        )
        reader = BatchReader(store)
        decode = store.mapper.to_domain_event
        projector = Projector(engine, store.recorder, decode, reader)
        projector.prepare()
        subscriptions = SubscriptionStore(engine, clock, policy)
        outbox = Outbox(engine, store.recorder, decode, reader, subscriptions, clock, settings.public_url)
        outbox.start(at_the_end=True)  # the events stored before it are not news to anyone
        audit = AuditChain(engine, store.recorder, HeadSigner(engine, clock, settings.signing_key_file or None), clock)
        audit.start()
        audit_watch = ChainWatch(engine, audit, outbox, clock, settings.audit_full_check_interval)
        audit_watch.start()
    rebuild = None
    if catch_up:
        behind = (store.recorder.max_notification_id() or 0) - projector.position()
        if rebuild_in_background is not None and behind >= max(rebuild_in_background.behind, 1):
            rebuild = RebuildWhileServing(projector, RebuildProgress(), rebuild_in_background)
        for follower in (projector, outbox, audit):
            if follower is not projector or rebuild is None:
                follower.catch_up()
    records = Records(
        store, clock, SqlWriter(writing_engine, store, [projector, outbox, audit], settings.write_wait), reader
    )
    catalogue = SqlCatalogue(reading_engine, events_table=table_recorder(store.recorder).events_table_name)
    beats = Heartbeats(engine, clock)
    keys = KeyStore(engine, clock)
    delivery_log = DeliveryLog(engine, clock)
    denials = DenialLog(
        engine, clock, limit=settings.denial_limit, retention=timedelta(days=settings.denial_retention_days)
    )
    ladder = Ladder.parse(settings.escalation_ladder)
    file_store = files_for(engine, clock)
    file_checks = FileChecks(engine, audit, file_store, clock, settings.audit_full_check_interval)
    files = EvidenceFiles(
        file_store,
        detected_type,
        FileLimits(
            settings.evidence_file_max_bytes, settings.link_upload_files_per_day, settings.link_upload_bytes_per_day
        ),
        UploadCounts(engine, clock),
    )
    tracker = Tracker.on(
        records, ladder, BrokenRecords(reading_engine), WhenAsked(), keys.scoped_parties, files, personal_keys
    )
    public_url = settings.public_url or f"http://{settings.host}:{settings.port}"
    publishing = Publishing(records, tracker.histories, catalogue)
    reports = ReportReader(settings.report_readers)
    unsubscribe = UnsubscribeLinks(
        functools.partial(kept_secret, engine, clock, "unsubscribe-links", UnsubscribeLinks.new_secret), public_url
    )
    action_links = ActionLinks(
        functools.partial(kept_secret, engine, clock, "action-links", UnsubscribeLinks.new_secret), public_url
    )
    mail_server = SmtpSender(
        SmtpSettings(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_security,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_timeout,
            settings.smtp_ca_file,
        )
    )
    mailer = DigestMailer(
        engine,
        Digests(records, catalogue, publishing),
        DigestWriter(settings.mail_from, public_url, settings.action_link_days),
        mail_server,
        unsubscribe,
        action_links,
        clock,
        DigestTime(settings.digest_hour, settings.digest_weekday, settings.digest_time_zone),
    )
    witnesses = Witnesses(engine, audit, clock, policy)
    people = People(
        records,
        Credentials(engine, clock),
        Accounts(engine, clock),
        Addresses(engine),
        Holds(engine, clock),
        is_common,
        AccountLetters(settings.mail_from, public_url, mail_server, clock),
        personal_keys,
        keys.revoke_held_by,
        key_sign_in=settings.key_sign_in,
    )
    figures = Figures(tracker.histories, catalogue)
    lists = Lists(tracker.histories, catalogue)
    services = Services(
        settings=settings,
        store=store,
        tracker=tracker,
        imports=MatrixImports(records, tracker.histories, catalogue),
        spreadsheets=SpreadsheetReader(settings.spreadsheet_readers),
        reports=reports,
        drafts=Drafts(tracker, catalogue, reports),
        figures=figures,
        overview=Overview(figures, lists),
        publishing=publishing,
        public=PublicRecords(records, tracker.histories, catalogue, publishing, files),
        keys=keys,
        keyring=Keys(keys, tracker.parties, people.role_of),
        web_sessions=WebSessions(
            engine,
            keys,
            clock,
            idle=timedelta(minutes=settings.web_session_idle_minutes),
            lifetime=timedelta(hours=settings.web_session_hours),
            people=people.principal,
        ),
        calendar_feeds=CalendarFeeds(SqlFeedStore(engine, keys, clock), tracker.parties, tracker.histories, catalogue),
        idempotency=IdempotencyStore(engine, clock),
        projector=projector,
        catalogue=catalogue,
        lists=lists,
        scanner=Scanner(records, catalogue, ladder, report=metrics.scanned),
        mailer=mailer,
        digests_sent=DigestsSent(mailer, records),
        unsubscribe=unsubscribe,
        update_sheets=UpdateSheets(records, tracker.commitments, catalogue),
        focal_points=FocalPoints(
            records, tracker.commitments, action_links, UsedActionLinks(engine), settings.action_link_days
        ),
        subscriptions=subscriptions,
        outbox=outbox,
        dispatcher=Dispatcher(
            engine,
            outbox,
            clock,
            DispatchSettings(
                retry_schedule=retry_schedule(list(settings.webhook_retry_schedule)),
                timeout=settings.webhook_timeout,
                failure_window=timedelta(seconds=settings.webhook_failure_window),
                lease=timedelta(seconds=max(settings.webhook_lease, settings.webhook_timeout + 1)),
                policy=policy,
                ca_file=settings.webhook_ca_file,
            ),
        ),
        delivery_log=delivery_log,
        webhooks=Webhooks(
            subscriptions,
            delivery_log,
            tracker.parties,
            tracker.commitments,
            timedelta(seconds=settings.webhook_secret_overlap),
        ),
        audit=audit,
        audit_watch=audit_watch,
        denials=denials,
        audit_record=AuditRecord(
            AuditTrail(audit, audit_watch, file_store, personal_keys), denials, witnesses, file_checks
        ),
        witnesses=witnesses,
        organisation=organisation_sign_in(settings, public_url),
        sign_in_steps=SignInSteps(
            functools.partial(kept_secret, engine, clock, "sign-in-steps", SignInSteps.new_secret), clock
        ),
        files=files,
        file_checks=file_checks,
        personal_keys=personal_keys,
        people=people,
        heartbeats=beats,
        readiness=Readiness(
            engine,
            clock,
            beats,
            lambda: (store.recorder.max_notification_id() or 0) - projector.position(),
            audit_watch,
            {"scanner": settings.scan_interval or 60.0, "dispatcher": settings.dispatch_interval or 2.0},
        ),
        engine=engine,
        writing_engine=writing_engine,
        reading_engine=reading_engine,
        rebuilding=RebuildProgress() if rebuild is None else rebuild.progress,
        rebuild=rebuild,
        pdf=pdf or PdfRenderer(),
    )
    # What the metrics read from the database when scraped, from the parts that own the readers (decision 0057).
    metrics.FIGURES.offer("webhooks", services.dispatcher.figures)
    metrics.FIGURES.offer("digests", services.mailer.figures)
    metrics.FIGURES.offer("log", services.audit_watch.figures)
    if rebuild is not None:
        rebuild.start()  # requests meanwhile are answered 503 (``api.rebuilding``)
    return services


def migrate(database_url: str | None = None) -> migrating.Migrated:
    """``commitments migrate``: the tables beside the read model brought to the latest revision on the
    database the settings name (or ``database_url``), as every start does first."""
    engine = create_table_engine(read(database_url=database_url).database_url)
    try:
        return migrating.upgrade(engine)
    finally:
        engine.dispose()
