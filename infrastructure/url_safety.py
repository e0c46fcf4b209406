"""Where webhooks may go: public HTTPS addresses, unless the operator allows more.

Checked when a subscription is made or changed, and again before every attempt (a
name may resolve elsewhere later).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import InvalidValue


@dataclass(frozen=True)
class UrlPolicy:
    allow_http: bool = False
    allow_loopback: bool = False
    allow_private: bool = False  # private, link-local and other non-public ranges


class UnsafeUrl(InvalidValue):
    pass


def check(url: str, policy: UrlPolicy, field_name: str = "url") -> str:
    if not isinstance(url, str) or len(url) > 2000 or any(ch.isspace() for ch in url):
        raise UnsafeUrl("a webhook URL is an absolute http(s) URL of at most 2000 characters", field_name)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeUrl("a webhook URL starts with https:// and names a host", field_name)
    if parts.scheme == "http" and not policy.allow_http:
        raise UnsafeUrl("webhooks are sent over HTTPS only; on a closed network, "
                        "COMMITMENTS_WEBHOOK_ALLOW_HTTP=1 allows http:// addresses", field_name)
    if parts.username or parts.password:
        raise UnsafeUrl("put no credentials in a webhook URL; verify the signature instead", field_name)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeUrl(f"the host {parts.hostname!r} cannot be resolved", field_name) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback:
            if not policy.allow_loopback:
                raise UnsafeUrl(f"webhooks are not sent to loopback addresses ({ip}); "
                                "COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK=1 allows them", field_name)
        elif not ip.is_global and not policy.allow_private:
            raise UnsafeUrl(f"webhooks are not sent to private, link-local or reserved addresses ({ip}); on a "
                            "closed network, COMMITMENTS_WEBHOOK_ALLOW_PRIVATE=1 allows them", field_name)
    return url
