"""Sending a message over SMTP: plain (a relay on the machine or the network), STARTTLS, or TLS
from the first byte, with credentials when the server asks for them."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

SECURITY = ("none", "starttls", "tls")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: str = "starttls"  # none | starttls | tls
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    ca_file: str = ""  # certificate authorities to trust instead of the system's


class SmtpSender:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file or None)

    def send(self, message: EmailMessage) -> None:
        """Hand the message to the server; an ``smtplib.SMTPException`` or ``OSError`` if it is refused
        or cannot be reached."""
        s = self.settings
        if s.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.security == "starttls":
                client.starttls(context=self._context())
            if s.username:
                client.login(s.username, s.password)
            client.send_message(message)
