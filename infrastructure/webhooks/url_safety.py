"""Where webhooks may go: public HTTPS addresses, unless the operator allows more.

Checked when a subscription is made or changed, and again before every attempt (a name may
resolve elsewhere later). An attempt connects to the very address that was checked
(``pinned``): the name is resolved once, every address it gives must be allowed, and the request
goes to the first of them with the name as its Host and TLS server name. A second lookup by the
HTTP client, which DNS rebinding would answer with 127.0.0.1, never happens.

Whether an address is allowed is decided from the IPv4 address an IPv6 form embeds, where there is
one (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo): Python 3.11 does not say that
``::ffff:127.0.0.1`` is loopback.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from domain.errors import InvalidValue

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Not globally reachable by the IANA special-purpose registries, though Python 3.11 calls them global.
_ALSO_NOT_GLOBAL = [
    ipaddress.ip_network(n)
    for n in ("192.0.0.0/24", "64:ff9b:1::/48", "2001:2::/48", "2001:10::/28", "2001:20::/28", "3fff::/20", "5f00::/16")
]
_GLOBAL_AFTER_ALL = [ipaddress.ip_network(n) for n in ("192.0.0.9/32", "192.0.0.10/32")]  # PCP anycast, TURN


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the machine's resolver gives for a name, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class UrlPolicy:
    allow_http: bool = False
    allow_loopback: bool = False
    allow_private: bool = False  # private, link-local, shared, reserved and other non-public ranges
    resolve: Callable[[str, int], list[str]] = field(default=system_resolve, compare=False)


class UnsafeUrl(InvalidValue):
    pass


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, if it is one of the forms that carry one."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are not IPv4-compatible forms
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def refusal(ip: IPAddress, policy: UrlPolicy) -> str | None:
    """Why webhooks are not sent to this address; None if they may be."""
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        why = refusal(embedded, policy)
        return None if why is None else f"{why} (embedded in {ip})"
    if ip.is_multicast:
        return f"webhooks are not sent to multicast addresses ({ip})"
    if ip.is_unspecified or ip.is_loopback:  # 0.0.0.0 and :: reach this machine, as 127.0.0.1 does
        if policy.allow_loopback:
            return None
        return f"webhooks are not sent to loopback addresses ({ip}); COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK=1 allows them"
    if not _is_global(ip) and not policy.allow_private:
        return (
            f"webhooks are not sent to private, link-local or reserved addresses ({ip}); on a closed network, "
            "COMMITMENTS_WEBHOOK_ALLOW_PRIVATE=1 allows them"
        )
    return None


def _is_global(ip: IPAddress) -> bool:
    if any(ip.version == network.version and ip in network for network in _GLOBAL_AFTER_ALL):
        return True
    return ip.is_global and not any(ip.version == network.version and ip in network for network in _ALSO_NOT_GLOBAL)


@dataclass(frozen=True)
class Pinned:
    """Where an attempt connects: ``url`` names the checked address; ``host`` is the Host header and
    ``server_name`` the TLS server name (None for an address written as such)."""

    url: str
    host: str
    server_name: str | None


def pinned(url: str, policy: UrlPolicy, field_name: str = "url") -> Pinned:
    """Check the URL and resolve its host once; the request must go to the address returned."""
    if not isinstance(url, str) or len(url) > 2000 or any(ch.isspace() for ch in url):
        raise UnsafeUrl("a webhook URL is an absolute http(s) URL of at most 2000 characters", field_name)
    parts = urlsplit(url)
    try:
        hostname, port = parts.hostname, parts.port
    except ValueError:  # a port out of range or not a number
        raise UnsafeUrl("the port of a webhook URL is a number from 1 to 65535", field_name) from None
    if parts.scheme not in ("https", "http") or not hostname:
        raise UnsafeUrl("a webhook URL starts with https:// and names a host", field_name)
    if parts.scheme == "http" and not policy.allow_http:
        raise UnsafeUrl(
            "webhooks are sent over HTTPS only; on a closed network, "
            "COMMITMENTS_WEBHOOK_ALLOW_HTTP=1 allows http:// addresses",
            field_name,
        )
    if parts.username or parts.password:
        raise UnsafeUrl("put no credentials in a webhook URL; verify the signature instead", field_name)
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(hostname.split("%")[0])
    except ValueError:
        literal = None
    try:
        addresses = [str(literal)] if literal is not None else policy.resolve(hostname, port)
        ips = [ipaddress.ip_address(address.split("%")[0]) for address in addresses]
    except (OSError, UnicodeError, ValueError):
        raise UnsafeUrl(f"the host {hostname!r} cannot be resolved", field_name) from None
    if not ips:
        raise UnsafeUrl(f"the host {hostname!r} cannot be resolved", field_name)
    for ip in ips:  # every address the name gives: a name that also points inside is refused
        why = refusal(ip, policy)
        if why is not None:
            raise UnsafeUrl(why, field_name)
    first = ips[0]
    address = f"[{first}]" if first.version == 6 else str(first)
    target = parts._replace(netloc=f"{address}:{port}").geturl()
    default_port = port == (443 if parts.scheme == "https" else 80)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    if default_port and parts.port is not None:
        host_header = host_header.rsplit(":", 1)[0]
    return Pinned(target, host_header, None if literal is not None else hostname)


def check(url: str, policy: UrlPolicy, field_name: str = "url") -> str:
    """The URL, if webhooks may be sent to it now."""
    pinned(url, policy, field_name)
    return url
