"""Webhooks reach only the addresses the policy allows, and connect to the very address that was checked."""

import datetime as dt
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from api.bootstrap import Services, build
from domain.meetings.meeting import Venue
from infrastructure.settings import Settings
from infrastructure.webhooks.url_safety import UnsafeUrl, UrlPolicy, check, pinned
from tests.actors import acting
from tests.fakes import FrozenClock
from tests.receiver import Receiver
from tests.records import UN

STRICT = UrlPolicy()
PRIVATE = UrlPolicy(allow_private=True)
LOOPBACK = UrlPolicy(allow_loopback=True)
OPEN = UrlPolicy(allow_private=True, allow_loopback=True)

# (address, allowed by default, allowed with private ranges allowed, allowed with loopback allowed)
ADDRESSES = [
    ("93.184.215.14", True, True, True),
    ("8.8.8.8", True, True, True),
    ("1.1.1.1", True, True, True),
    ("2606:4700:4700::1111", True, True, True),
    ("2001:4860:4860::8888", True, True, True),
    ("127.0.0.1", False, False, True),
    ("127.1.2.3", False, False, True),
    ("::1", False, False, True),
    ("0.0.0.0", False, False, True),  # reaches this machine
    ("::", False, False, True),
    ("::ffff:127.0.0.1", False, False, True),  # IPv4-mapped
    ("::ffff:7f00:1", False, False, True),
    ("::127.0.0.1", False, False, True),  # the deprecated IPv4-compatible form
    ("::ffff:10.0.0.1", False, True, False),
    ("::ffff:8.8.8.8", True, True, True),
    ("::10.1.2.3", False, True, False),
    ("64:ff9b::127.0.0.1", False, False, True),  # NAT64
    ("64:ff9b::7f00:1", False, False, True),
    ("64:ff9b::10.0.0.1", False, True, False),
    ("64:ff9b::8.8.8.8", True, True, True),
    ("2002:7f00:1::", False, False, True),  # 6to4 embedding 127.0.0.1
    ("2002:c0a8:101::1", False, True, False),  # 6to4 embedding 192.168.1.1
    ("2002:808:808::1", True, True, True),  # 6to4 embedding 8.8.8.8
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False, False, True),  # Teredo, client 127.0.0.1
    ("10.0.0.1", False, True, False),
    ("10.255.255.255", False, True, False),
    ("172.16.0.1", False, True, False),
    ("172.31.255.254", False, True, False),
    ("192.168.1.10", False, True, False),
    ("169.254.169.254", False, True, False),  # link-local: a cloud's metadata service
    ("100.64.0.1", False, True, False),  # shared address space
    ("192.0.0.8", False, True, False),
    ("192.0.2.1", False, True, False),  # documentation
    ("198.18.0.1", False, True, False),  # benchmarking
    ("198.51.100.7", False, True, False),
    ("203.0.113.9", False, True, False),
    ("240.0.0.1", False, True, False),  # reserved
    ("255.255.255.255", False, True, False),
    ("fc00::1", False, True, False),  # unique local
    ("fd12:3456:789a::1", False, True, False),
    ("fe80::1", False, True, False),  # link-local
    ("2001:db8::1", False, True, False),  # documentation
    ("100::1", False, True, False),  # discard-only
    ("224.0.0.1", False, False, False),  # multicast: never
    ("239.255.255.250", False, False, False),
    ("ff02::1", False, False, False),
    ("ff05::2", False, False, False),
    ("::ffff:224.0.0.251", False, False, False),
    ("::ffff:169.254.169.254", False, True, False),
    ("64:ff9b::169.254.169.254", False, True, False),
    ("192.0.0.9", True, True, True),  # global by its registry, which Python 3.11 does not know
    ("2001:2::1", False, True, False),  # benchmarking
    ("3fff::1", False, True, False),  # documentation (2024)
]


def test_the_table_holds_at_least_fifty_addresses_and_forms() -> None:
    assert len(ADDRESSES) >= 50


@pytest.mark.parametrize(
    ("address", "by_default", "with_private", "with_loopback"), ADDRESSES, ids=[a[0] for a in ADDRESSES]
)
def test_the_address_policy_decides_from_the_embedded_ipv4(
    address: str, by_default: bool, with_private: bool, with_loopback: bool
) -> None:
    host = f"[{address}]" if ":" in address else address
    for policy, allowed in ((STRICT, by_default), (PRIVATE, with_private), (LOOPBACK, with_loopback)):
        if allowed:
            assert check(f"https://{host}/hooks", policy)
        else:
            with pytest.raises(UnsafeUrl):
                check(f"https://{host}/hooks", policy)


@pytest.mark.parametrize("host", ["0", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "localhost"])
def test_odd_spellings_of_this_machine_are_loopback(host: str) -> None:
    with pytest.raises(UnsafeUrl):
        check(f"https://{host}/hooks", PRIVATE)


class Resolver:
    """DNS is outside the machine: a resolver that gives these answers in turn (the last repeats)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def resolver(*answers: list[str]) -> Resolver:
    return Resolver(*answers)


def test_a_name_that_also_points_inside_is_refused() -> None:
    with pytest.raises(UnsafeUrl):
        check("https://hooks.example.org/x", UrlPolicy(resolve=resolver(["93.184.215.14", "10.0.0.7"])))


def test_an_attempt_goes_to_the_address_checked_with_the_name_as_host() -> None:
    target = pinned("https://hooks.example.org:8443/in?x=1", UrlPolicy(resolve=resolver(["93.184.215.14"])))
    assert (target.url, target.host, target.server_name) == (
        "https://93.184.215.14:8443/in?x=1",
        "hooks.example.org:8443",
        "hooks.example.org",
    )
    six = pinned("https://hooks.example.org/in", UrlPolicy(resolve=resolver(["2606:4700:4700::1111"])))
    assert (six.url, six.host) == ("https://[2606:4700:4700::1111]:443/in", "hooks.example.org")


# -- a real dispatch, against receivers on loopback -----------------------------------------------------


@dataclass
class Dispatching:
    services: Services
    dns: Resolver


@pytest.fixture
def dispatching(database_url: str, clock: FrozenClock, request: pytest.FixtureRequest) -> Iterator[Dispatching]:
    settings = dict(request.param)
    dns = Resolver(*settings.pop("answers"))
    services = build(
        Settings(
            database_url=database_url,
            scan_interval=0,
            dispatch_interval=0,
            audit_check_interval=0,
            webhook_retry_schedule=(0.01,),
            **settings,
        ),
        clock=clock,
        resolve=dns,
    )
    yield Dispatching(services, dns)
    services.close()


def overdue_commitment(services: Services, clock: FrozenClock) -> None:
    from application.inputs import DueInput, PeriodInput, TextInput

    tracker = services.tracker
    names = UN["names"]
    assert isinstance(names, dict)  # UN is inferred as dict[str, Collection[str]]
    party = tracker.parties.register(
        acting("key_a"), TextInput(names["texts"], "en"), "UN", "international_organisation"
    )
    held = tracker.meetings.record(
        acting("key_a"),
        TextInput({"en": "Talks"}),
        "bilateral_talk",
        PeriodInput(dt.date(2022, 7, 18)),
        Venue("Cairo", "Africa/Cairo"),
    )
    tracker.commitments.record(
        acting("key_a"),
        TextInput({"en": "Report"}),
        UUID(party.id),
        UUID(held.id),
        due=DueInput("day", "2022-07-19"),
        status="agreed",
    )
    services.scanner.tick()


@pytest.mark.parametrize(
    "dispatching",
    [{"webhook_allow_http": True, "webhook_allow_loopback": True, "answers": [["127.0.0.1"]]}],
    indirect=True,
)
def test_a_delivery_connects_to_the_checked_address_without_a_second_lookup(
    dispatching: Dispatching, clock: FrozenClock, receiver: Receiver
) -> None:
    services = dispatching.services
    port = receiver.url.split(":")[2].split("/")[0]
    services.subscriptions.create(f"http://hooks.example.org:{port}/hooks", ["overdue"], [], None)
    calls_before = len(dispatching.dns.calls)
    overdue_commitment(services, clock)
    assert services.dispatcher.tick() == 1
    assert len(receiver.received) == 1
    assert receiver.received[0].headers["host"] == f"hooks.example.org:{port}"
    # One lookup for the attempt, by the guard: the name does not resolve here, so the HTTP
    # client could not have looked it up again and reached the receiver.
    assert len(dispatching.dns.calls) == calls_before + 1


@pytest.mark.parametrize(
    "dispatching", [{"webhook_allow_http": True, "answers": [["93.184.215.14"], ["127.0.0.1"]]}], indirect=True
)
def test_a_name_rebound_to_loopback_after_subscribing_is_refused_before_the_attempt(
    dispatching: Dispatching, clock: FrozenClock, receiver: Receiver
) -> None:
    services = dispatching.services
    port = receiver.url.split(":")[2].split("/")[0]
    services.subscriptions.create(f"http://hooks.example.org:{port}/hooks", ["overdue"], [], None)
    overdue_commitment(services, clock)
    services.dispatcher.tick()
    assert receiver.received == []
    [delivery] = services.delivery_log.find()[0]
    attempts = services.delivery_log.get(delivery["id"])["attempt_log"]
    assert attempts[0]["error"].startswith("refused: webhooks are not sent to loopback addresses")


def certificate_authority(tmp_path: Path, name: str) -> tuple[Path, ssl.SSLContext]:
    """A CA of the test's own, and a server certificate for ``name`` signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "server.pem").write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem")
    return tmp_path / "ca.pem", context


class TlsReceiver:
    """An HTTPS receiver on loopback, recording the TLS server name each client asked for."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.received: list[dict[str, Any]] = []
        self.server_names: list[str | None] = []
        context.sni_callback = lambda sock, server_name, _: self.server_names.append(server_name)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.received.append({"host": self.headers["host"], "body": json.loads(body)})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_over_https_the_checked_address_is_reached_with_the_name_for_tls(
    database_url: str, clock: FrozenClock, tmp_path: Path
) -> None:
    ca_file, context = certificate_authority(tmp_path, "hooks.example.org")
    receiver = TlsReceiver(context)
    services = build(
        Settings(
            database_url=database_url,
            scan_interval=0,
            dispatch_interval=0,
            audit_check_interval=0,
            webhook_allow_loopback=True,
            webhook_ca_file=str(ca_file),
        ),
        clock=clock,
        resolve=resolver(["127.0.0.1"]),
    )
    try:
        services.subscriptions.create(f"https://hooks.example.org:{receiver.port}/in", ["overdue"], [], None)
        overdue_commitment(services, clock)
        assert services.dispatcher.tick() == 1
        assert receiver.server_names == ["hooks.example.org"]  # the name, not the address, for TLS
        assert receiver.received[0]["host"] == f"hooks.example.org:{receiver.port}"
        assert receiver.received[0]["body"]["type"] == "commitment.overdue"
        [delivery] = services.delivery_log.find()[0]
        assert delivery["status"] == "succeeded"
    finally:
        services.close()
        receiver.close()
