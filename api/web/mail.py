"""A digest as its contact reads it: an e-mail in the contact's language (Arabic right to left),
with an HTML part and a plain-text part made from the same templates' words, and the headers that
let mail programs offer to unsubscribe in one click (RFC 8058).

What a contact's record says cannot change who receives the message: the display name is written
as RFC 5322 says (a quoted string; in an encoded word, which cannot be quoted, without the
characters that separate addresses), on one line whatever an old record holds; the address goes
as email-validator gives it in ASCII when it has an ASCII form (an international domain in
Punycode), else as written, and then only to a server that offers SMTPUTF8 (``smtplib`` refuses
the others, and the digest is ``failed`` with that reason). Headers are folded only beyond RFC
5322's 998 characters, so that ``List-Unsubscribe`` stays the one unencoded line RFC 8058 reads."""

import logging
import re
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

from email_validator import EmailNotValidError, validate_email

from api.web import i18n
from api.web.labels import labeller
from api.web.rendering import render
from application.notices.digests import ContactLinks, DigestContent
from application.ports import AccountLink
from domain.parties.action_links import DEFAULT_LINK_DAYS
from domain.parties.contact import Contact

log = logging.getLogger("commitments.mail")
HEADERS = policy.default.clone(max_line_length=998)  # RFC 5322's limit; the parts keep 78 (set before)
SEPARATORS = re.compile(r'[\s<>@,;:"\\()\[\]]+')


def display_name(name: str) -> str:
    """A contact's name as a display name: one line; if it is not ASCII (an encoded word, which
    cannot be a quoted string), without the characters that separate or name addresses."""
    line = " ".join(name.split())
    return line if line.isascii() else " ".join(SEPARATORS.sub(" ", line).split())


def sendable_address(address: str) -> str:
    """The address in ASCII where it has an ASCII form (its domain in Punycode), else as written."""
    try:
        return validate_email(address, check_deliverability=False).ascii_email or address
    except EmailNotValidError:
        return address


def interface_language(language: str) -> str:
    """The contact's language if the interface speaks it (``ar-EG`` speaks ``ar``), else English."""
    primary = language.split("-")[0]
    return primary if primary in i18n.LANGUAGES else i18n.LANGUAGES[0]


class DigestWriter:
    def __init__(self, sender: str, base_url: str, link_days: int = DEFAULT_LINK_DAYS) -> None:
        self.sender = sender  # the From: address, as "Name <address>" or an address
        self.base_url = base_url.rstrip("/")
        self.link_days = link_days  # how long its links to act work

    def __call__(
        self, content: DigestContent, contact: Contact, period: str, links: ContactLinks, now: datetime
    ) -> EmailMessage:
        language = interface_language(contact.language)
        gettext = i18n.translations(language)
        total = sum(section.total for section in content.sections)
        party = content.party
        values = {
            "lang": language,
            "dir": i18n.direction(language),
            "f": i18n.Formats(language),
            "t": lambda text: i18n.shown(text, language),
            "label": labeller(gettext.gettext),
            "content": content,
            "contact": contact,
            "party": party,
            "total": total,
            "period": period,
            "base": self.base_url,
            "unsubscribe_url": links.unsubscribe,
            "links": links,
            "link_days": self.link_days,
        }
        message = EmailMessage()
        if content.asks:
            subject = gettext.gettext("%(party)s: a change waits for your confirmation")
        elif content.changes:
            total = content.changes_total
            subject = gettext.ngettext(
                "%(party)s: %(num)s change to its commitments", "%(party)s: %(num)s changes to its commitments", total
            )
        elif total:
            subject = gettext.ngettext(
                "%(party)s: %(num)s commitment needs attention", "%(party)s: %(num)s commitments need attention", total
            )
        else:
            subject = gettext.gettext("%(party)s: records made public")
        message["Subject"] = subject % {"party": party.label, "num": i18n.Formats(language).number(total)}
        message["From"] = self.sender
        mailbox, _, domain = sendable_address(contact.address).rpartition("@")  # (an addr_spec is parsed as ASCII)
        message["To"] = Address(display_name=display_name(contact.name), username=mailbox, domain=domain)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = f"<digest.{period.replace(':', '.')}.{contact.id}@{self._domain()}>"
        message["Auto-Submitted"] = "auto-generated"
        message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(render(language, "mail/digest.txt", values))
        message.add_alternative(render(language, "mail/digest.html", values), subtype="html")
        message["Content-Language"] = language  # (after the parts: setting the content drops Content-* headers)
        message.policy = HEADERS
        return message

    def _domain(self) -> str:
        """The sender's domain: the same digest sent again carries the same Message-ID."""
        return _domain_of(self.sender)


class Sender(Protocol):
    """The mail server (``infrastructure.mail.smtp``): hands a message over, or raises."""

    def send(self, message: EmailMessage) -> None: ...


class AccountLetters:
    """The e-mails of people's accounts (``application.ports.Letters``): an invitation or a link to choose a new
    password, in the person's language, handed to the mail server at once or, when asked, in the background."""

    def __init__(self, sender: str, base_url: str, server: Sender, clock: Callable[[], datetime]) -> None:
        self.sender = sender
        self.base_url = base_url.rstrip("/")
        self.server = server
        self.clock = clock
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="account-mail")

    def account_link(self, link: AccountLink, wait: bool = True) -> None:
        message = self.written(link)
        if wait:
            self._send(message, link.kind)
        else:
            self.background.submit(self._send, message, link.kind, False)

    def _send(self, message: EmailMessage, kind: str, raising: bool = True) -> None:
        try:
            self.server.send(message)
        except Exception as error:
            log.warning("an account's %s e-mail was not handed to the mail server: %s", kind, type(error).__name__)
            if raising:
                raise

    def written(self, link: AccountLink) -> EmailMessage:
        language = interface_language(link.language)
        gettext = i18n.translations(language)
        service = display_name(self.sender.rsplit("<", 1)[0].strip().strip('"')) or _domain_of(self.sender)
        if link.kind == "reset":
            subject = gettext.gettext("%(service)s: choose a new password") % {"service": service}
        else:
            subject = gettext.gettext("%(service)s: your invitation") % {"service": service}
        values = {
            "lang": language,
            "dir": i18n.direction(language),
            "f": i18n.Formats(language),
            "label": labeller(gettext.gettext),
            "link": link,
            "service": service,
            "days": link.valid_for.days,
            "url": f"{self.base_url}/app/welcome/{link.token}",
            "sign_in": f"{self.base_url}/app/sign-in",
            "subject": subject,
        }
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.sender
        mailbox, _, domain = sendable_address(link.address).rpartition("@")
        message["To"] = Address(display_name=display_name(link.name), username=mailbox, domain=domain)
        message["Date"] = format_datetime(self.clock())
        message["Message-ID"] = f"<account.{secrets.token_hex(12)}@{_domain_of(self.sender)}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(render(language, "mail/account_link.txt", values))
        message.add_alternative(render(language, "mail/account_link.html", values), subtype="html")
        message["Content-Language"] = language
        message.policy = HEADERS
        return message


def _domain_of(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"
