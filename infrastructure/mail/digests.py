"""Sending the digests: at each look, every contact whose period's digest is not yet sent gets it.

A digest is claimed before it is sent (a row per contact and period, unique), so two workers never
both send it; a claim a worker left unfinished (it stopped while sending) is taken over when its
lease ends, and a failed sending is tried again at the next looks, up to ``most_attempts``. A
digest with nothing in it is not sent. The same digest sent again carries the same Message-ID.
"""

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import partial
from typing import Any, Protocol
from uuid import UUID

from prometheus_client.metrics_core import Metric
from sqlalchemy import Engine, Select, and_, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from application.notices.digests import ContactLinks, DigestContent, Digests
from domain.parties.action_links import LinkAction
from domain.parties.contact import Contact, DigestTime, Frequency, ask_period, digest_period, immediate_period
from infrastructure.mail.action_links import ActionLinks
from infrastructure.mail.tables import mail_digests
from infrastructure.mail.unsubscribe import UnsubscribeLinks
from infrastructure.operations import metrics
from infrastructure.read_model.tables import party_contacts

DONE = ("sent", "empty")
log = logging.getLogger("commitments.mail")
# The changes an immediate e-mail tells are those recorded at least this long ago: a change being saved while
# the mailer looks (its instant taken before it was committed) falls in the next e-mail, never between two.
SETTLED = timedelta(minutes=1)
LEASE = timedelta(minutes=5)  # longer than one message takes to hand over, however slow the server


WriteDigest = Callable[[DigestContent, Contact, str, ContactLinks, datetime], EmailMessage]


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass
class MailRound:
    sent: int = 0
    empty: int = 0  # nothing to tell: not sent
    failed: int = 0  # tried again at the next looks


class DigestMailer:
    def __init__(
        self,
        engine: Engine,
        digests: Digests,
        write: WriteDigest,
        sender: Sender,
        links: UnsubscribeLinks,
        actions: ActionLinks,
        clock: Callable[[], datetime],
        when: DigestTime,
        lease: timedelta = LEASE,
        most_attempts: int = 5,
    ) -> None:
        self.engine = engine
        self.digests = digests
        self.write = write
        self.sender = sender
        self.links = links
        self.actions = actions
        self.clock = clock
        self.when = when
        self.lease = lease
        self.most_attempts = most_attempts

    def tick(self) -> MailRound:
        done = MailRound()
        now = self.clock()
        self._give_up_abandoned(now)
        try:
            for contact, party_id, period in self._due(now):
                if self._claim(contact, party_id, period, now):
                    content = partial(self.digests.content, party_id, self._last_told(contact, period))
                    outcome = self._send(contact, party_id, period, content)
                    setattr(done, outcome, getattr(done, outcome) + 1)
            for contact, party_id, commitment_id, period in self._asks():
                if self._claim(contact, party_id, period, now):
                    content = partial(self.digests.asking, party_id, commitment_id)
                    outcome = self._send(contact, party_id, period, content)
                    setattr(done, outcome, getattr(done, outcome) + 1)
            for contact, party_id in self._contacts(Frequency.IMMEDIATE):
                told = self._tell_changes(contact, party_id, now)
                if told is not None:
                    setattr(done, told, getattr(done, told) + 1)
        finally:
            metrics.counted(metrics.DIGESTS, {"sent": done.sent, "empty": done.empty, "failed": done.failed})
        return done

    def figures(self) -> list[Metric]:
        """For the metrics (read when they are scraped): how many digests are due."""
        now = self.clock()
        due = 0
        with self.engine.connect() as connection:
            for frequency in (Frequency.DAILY, Frequency.WEEKLY):
                unsettled, _ = self._unsettled(frequency, now)
                due += connection.execute(select(func.count()).select_from(unsettled.subquery())).scalar_one()
        return metrics.digest_figures(due)

    def _unsettled(self, frequency: Frequency, now: datetime) -> tuple[Select[Any], str]:
        """The contacts of this frequency whose digest of the current period is neither done nor being
        sent, nor given up; and that period."""
        period = digest_period(frequency, now, self.when)
        assert period is not None
        settled = exists().where(
            mail_digests.c.contact_id == party_contacts.c.contact_id,
            mail_digests.c.period == period,
            or_(
                mail_digests.c.status.in_(DONE),
                mail_digests.c.attempts >= self.most_attempts,
                and_(mail_digests.c.status == "sending", mail_digests.c.lease_until > now),
            ),
        )
        return select(party_contacts).where(party_contacts.c.frequency == frequency.value, ~settled), period

    def _contacts(self, frequency: Frequency) -> list[tuple[Contact, UUID]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(party_contacts)
                .where(party_contacts.c.frequency == frequency.value)
                .order_by(party_contacts.c.contact_id)
            )
            return [
                (Contact(UUID(row.contact_id), row.name, row.address, row.language, frequency), UUID(row.party_id))
                for row in rows
            ]

    def _asks(self) -> list[tuple[Contact, UUID, UUID, str]]:
        """Each contact (that hears at all) of a party whose word a pending change waits for and that was not
        asked yet: one e-mail per change and contact, at once whatever its frequency."""
        awaiting = self.digests.awaiting_words()
        if not awaiting:
            return []
        parties = {row["party_id"] for row in awaiting}
        row = mail_digests.c
        with self.engine.connect() as connection:
            contacts = connection.execute(
                select(party_contacts).where(
                    party_contacts.c.party_id.in_(parties), party_contacts.c.frequency != Frequency.NONE.value
                )
            ).all()
            asked = {
                (r.contact_id, r.period)
                for r in connection.execute(
                    select(row.contact_id, row.period).where(
                        row.party_id.in_(parties), row.period.like("ask:%"), row.status.in_(DONE)
                    )
                )
            }
        found = []
        for wanted in awaiting:
            period = ask_period(wanted["commitment_id"], wanted["declared_at"])
            for c in contacts:
                if c.party_id == wanted["party_id"] and (c.contact_id, period) not in asked:
                    contact = Contact(UUID(c.contact_id), c.name, c.address, c.language, Frequency(c.frequency))
                    found.append((contact, UUID(c.party_id), UUID(wanted["commitment_id"]), period))
        return found

    def _tell_changes(self, contact: Contact, party_id: UUID, now: datetime) -> str | None:
        """An immediate contact's e-mail of the changes since its last one, if there are any (None: nothing
        sent). Its e-mails are numbered: the first worker to claim the next number sends it, with the window
        of changes it claimed; a failed one is tried again, with its own window, before any newer one."""
        row = mail_digests.c
        with self.engine.connect() as connection:
            told = connection.execute(
                select(row.period, row.status, row.attempts, row.lease_until, row.since, row.through).where(
                    row.contact_id == str(contact.id), row.period.like("immediate:%")
                )
            ).all()
        if not told:  # it has just chosen to be told at once: the changes from now on
            self._mark_start(contact, party_id, now - SETTLED)
            return None
        latest = max(told, key=lambda r: int(r.period.split(":")[1]))
        unfinished = latest.status == "failed" or (latest.status == "sending" and latest.lease_until <= now)
        if unfinished and latest.attempts < self.most_attempts:
            if not self._claim(contact, party_id, latest.period, now):
                return None
            since, through, period = latest.since, latest.through, latest.period
        elif latest.status == "sending" and latest.lease_until > now:
            return None  # another worker is sending it
        else:
            since, through = latest.through, now - SETTLED
            if through <= since:
                return None
            if self.digests.changes(party_id, since, through).empty:
                return None
            period = immediate_period(int(latest.period.split(":")[1]) + 1)
            if not self._claim(contact, party_id, period, now, since=since, through=through):
                return None
        return self._send(contact, party_id, period, partial(self.digests.changes, party_id, since, through))

    def _mark_start(self, contact: Contact, party_id: UUID, now: datetime) -> None:
        with suppress(IntegrityError), self.engine.begin() as connection:
            connection.execute(
                insert(mail_digests).values(
                    contact_id=str(contact.id),
                    period=immediate_period(0),
                    party_id=str(party_id),
                    address=contact.address,
                    status="empty",
                    attempts=0,
                    lease_until=now,
                    updated_at=now,
                    through=now,
                )
            )

    def _due(self, now: datetime) -> list[tuple[Contact, UUID, str]]:
        """The contacts whose digest of the current period is neither done nor being sent, nor given up."""
        found: list[tuple[Contact, UUID, str]] = []
        for frequency in (Frequency.DAILY, Frequency.WEEKLY):
            unsettled, period = self._unsettled(frequency, now)
            with self.engine.connect() as connection:
                rows = connection.execute(unsettled.order_by(party_contacts.c.contact_id))
                found.extend(
                    (
                        Contact(UUID(row.contact_id), row.name, row.address, row.language, frequency),
                        UUID(row.party_id),
                        period,
                    )
                    for row in rows
                )
        return found

    def _claim(self, contact: Contact, party_id: UUID, period: str, now: datetime, **window: datetime | None) -> bool:
        """True if this worker is now the one sending the digest (``window``: an immediate e-mail's)."""
        held = {"status": "sending", "lease_until": now + self.lease, "updated_at": now, "address": contact.address}
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(mail_digests).values(
                        contact_id=str(contact.id), period=period, party_id=str(party_id), attempts=1, **held, **window
                    )
                )
            return True
        except IntegrityError:
            pass
        row = mail_digests.c
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(mail_digests)
                .where(
                    row.contact_id == str(contact.id),
                    row.period == period,
                    row.attempts < self.most_attempts,
                    or_(row.status == "failed", and_(row.status == "sending", row.lease_until <= now)),
                )
                .values(attempts=row.attempts + 1, **held)
            )
            return taken.rowcount == 1

    def _send(self, contact: Contact, party_id: UUID, period: str, content_of: Callable[[], DigestContent]) -> str:
        """The digest written and handed over; whatever stops either (the server refuses it, or a
        contact's record cannot be written to) makes this digest ``failed`` with the reason, and the
        round goes on with the others."""
        try:
            content = content_of()
            if content.empty:
                self._finish(contact, period, status="empty")
                return "empty"
            message = self.write(content, contact, period, self.contact_links(party_id, contact), self.clock())
            self.sender.send(message)
        except Exception as error:  # noqa: BLE001 - one contact's digest never stops the others'
            # The kind of error only: an SMTP refusal's text names the recipient's address (kept in the row).
            log.warning("the digest of contact %s for %s failed: %s", contact.id, period, type(error).__name__)
            self._finish(contact, period, status="failed", error=f"{type(error).__name__}: {error}"[:1000])
            return "failed"
        self._finish(contact, period, status="sent", message_id=message["Message-ID"], error=None)
        return "sent"

    def contact_links(self, party_id: UUID, contact: Contact) -> ContactLinks:
        now = self.clock()
        issued: dict[tuple[LinkAction, str], str] = {}  # one link per action and commitment, in both parts

        def act(action: LinkAction, commitment_id: str) -> str:
            if (action, commitment_id) not in issued:
                link = self.actions.issue(action, party_id, contact.id, UUID(commitment_id), now)
                issued[action, commitment_id] = self.actions.url(link)
            return issued[action, commitment_id]

        return ContactLinks(str(party_id), self.links.url(party_id, contact.id), act)

    def _last_told(self, contact: Contact, period: str) -> datetime | None:
        """When the contact's last digest before this period was done (sent, or found empty); None: never."""
        row = mail_digests.c
        with self.engine.connect() as connection:
            found: datetime | None = connection.execute(
                select(func.max(row.updated_at)).where(
                    row.contact_id == str(contact.id),
                    row.period != period,
                    row.period.notlike("immediate:%"),
                    row.status.in_(("sent", "empty")),
                )
            ).scalar()
        return found

    def _give_up_abandoned(self, now: datetime) -> None:
        """A digest whose last attempt a worker left unfinished (it stopped while sending) is
        ``failed``, with that reason, rather than left ``sending``."""
        row = mail_digests.c
        with self.engine.begin() as connection:
            connection.execute(
                update(mail_digests)
                .where(
                    row.status == "sending",
                    row.lease_until <= now,
                    row.attempts >= self.most_attempts,
                )
                .values(
                    status="failed",
                    updated_at=now,
                    error=f"given up after {self.most_attempts} attempts: the "
                    f"worker sending it stopped before it finished",
                )
            )

    def _finish(self, contact: Contact, period: str, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(mail_digests)
                .where(mail_digests.c.contact_id == str(contact.id), mail_digests.c.period == period)
                .values(updated_at=self.clock(), **values)
            )

    def sent(self, party_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The digests of the latest periods, newest first (of one party's contacts if given)."""
        statement = select(mail_digests).order_by(mail_digests.c.updated_at.desc()).limit(limit)
        if party_id is not None:
            statement = statement.where(mail_digests.c.party_id == party_id)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(statement)]
