"""A digest as its contact reads it: an e-mail in the contact's language (Arabic right to left),
with an HTML part and a plain-text part made from the same templates' words, and the headers that
let mail programs offer to unsubscribe in one click (RFC 8058)."""

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from api.web import i18n
from api.web.labels import labeller
from api.web.rendering import render
from application.digests import DigestContent
from domain.contact import Contact


def interface_language(language: str) -> str:
    """The contact's language if the interface speaks it (``ar-EG`` speaks ``ar``), else English."""
    primary = language.split("-")[0]
    return primary if primary in i18n.LANGUAGES else i18n.LANGUAGES[0]


class DigestWriter:
    def __init__(self, sender: str, base_url: str) -> None:
        self.sender = sender  # the From: address, as "Name <address>" or an address
        self.base_url = base_url.rstrip("/")

    def __call__(self, content: DigestContent, contact: Contact, period: str, unsubscribe_url: str,
                 now: datetime) -> EmailMessage:
        language = interface_language(contact.language)
        gettext = i18n.translations(language)
        total = sum(section.total for section in content.sections)
        party = content.party
        values = {
            "lang": language, "dir": i18n.direction(language), "f": i18n.Formats(language),
            "t": lambda text: i18n.shown(text, language), "label": labeller(gettext.gettext),
            "content": content, "contact": contact, "party": party, "total": total, "period": period,
            "base": self.base_url, "unsubscribe_url": unsubscribe_url,
        }
        message = EmailMessage()
        message["Subject"] = gettext.ngettext(
            "%(party)s: %(num)s commitment needs attention", "%(party)s: %(num)s commitments need attention",
            total) % {"party": party.label, "num": i18n.Formats(language).number(total)}
        message["From"] = self.sender
        message["To"] = Address(display_name=contact.name, addr_spec=contact.address)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = f"<digest.{period.replace(':', '.')}.{contact.id}@{self._domain()}>"
        message["Auto-Submitted"] = "auto-generated"
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(render(language, "mail/digest.txt", values))
        message.add_alternative(render(language, "mail/digest.html", values), subtype="html")
        message["Content-Language"] = language  # (after the parts: setting the content drops Content-* headers)
        return message

    def _domain(self) -> str:
        """The sender's domain: the same digest sent again carries the same Message-ID."""
        address = self.sender.rsplit("<", 1)[-1].rstrip(">")
        return address.rsplit("@", 1)[-1] or "localhost"
