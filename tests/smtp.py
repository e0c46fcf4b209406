"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts."""

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """A message as it came over the wire: its envelope and its bytes."""

    sender: str
    recipients: list[str]
    options: list[str]  # the MAIL FROM parameters (SMTPUTF8, BODY=8BITMIME)
    raw: bytes


class Mailbox:
    """Accepts mail (or refuses the next ``refuse`` messages with a temporary failure) and keeps it;
    ``smtputf8``: whether it offers SMTPUTF8 (internationalised addresses)."""

    def __init__(self, smtputf8: bool = True) -> None:
        self.messages: list[EmailMessage] = []
        self.received: list[Received] = []
        self.refuse = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=smtputf8)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                list(envelope.mail_options),
                envelope.original_content or envelope.content,
            )
        )
        return "250 OK"

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def __enter__(self) -> "Mailbox":
        self.controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.controller.stop()
