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

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
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
from domain.parties.action_links import DEFAULT_LINK_DAYS
from domain.parties.contact import Contact

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
    password, in the person's language, handed to the mail server at once."""

    def __init__(self, sender: str, base_url: str, server: Sender, clock: Callable[[], datetime]) -> None:
        self.sender = sender
        self.base_url = base_url.rstrip("/")
        self.server = server
        self.clock = clock

    def account_link(self, kind: str, name: str, address: str, language: str, token: str, valid_for: timedelta) -> None:
        language = interface_language(language)
        gettext = i18n.translations(language)
        subject = gettext.gettext("Choose a new password") if kind == "reset" else gettext.gettext("Your invitation")
        values = {
            "lang": language,
            "dir": i18n.direction(language),
            "f": i18n.Formats(language),
            "kind": kind,
            "name": name,
            "days": valid_for.days,
            "link": f"{self.base_url}/app/welcome/{token}",
            "subject": subject,
        }
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.sender
        mailbox, _, domain = sendable_address(address).rpartition("@")
        message["To"] = Address(display_name=display_name(name), username=mailbox, domain=domain)
        message["Date"] = format_datetime(self.clock())
        message["Message-ID"] = f"<account.{secrets.token_hex(12)}@{_domain_of(self.sender)}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(render(language, "mail/account_link.txt", values))
        message.add_alternative(render(language, "mail/account_link.html", values), subtype="html")
        message["Content-Language"] = language
        message.policy = HEADERS
        self.server.send(message)


def _domain_of(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"
