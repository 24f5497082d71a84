"""The client's address, taken from a forwarded header only when a trusted proxy sent it.

Behind a reverse proxy every request arrives from the proxy's address, so rate limits and
login lockouts would count everybody as one client. The proxy names the real client in
`X-Forwarded-For`, but any client can send that header too. So the header is believed only
when the connection comes from an address in `settings.TRUSTED_PROXIES` (env
`TRUSTED_PROXIES`, the same list gunicorn's `forwarded_allow_ips` reads in gunicorn.conf.py):
walking the header from the right, the first address that is not a trusted proxy is the
client.

`TrustedProxyMiddleware` (first in MIDDLEWARE) writes the result into REMOTE_ADDR, so that
Django, django-ratelimit, django-axes, allauth and `foundation.ratelimits` all count the
same address, and removes the forwarded headers of an untrusted peer, so that nobody can
claim HTTPS (`SECURE_PROXY_SSL_HEADER`) without going through the proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Headers only a trusted proxy may set; dropped from requests of anybody else.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
)

#: The address the connection really came from, kept beside the resolved REMOTE_ADDR.
PEER_ADDR_META_KEY = "mitreden.peer_addr"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[2001:db8::1]:443"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "192.0.2.1:443"
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def is_trusted_proxy(address: str, networks: Iterable[Network] | None = None) -> bool:
    """Whether `address` is one of the trusted proxies.

    An empty address is a connection over a Unix socket, which only processes on this
    machine can open; gunicorn trusts those too.
    """
    if address == "":
        return True
    parsed = _parse(address)
    if parsed is None:
        return False
    return any(parsed in network for network in networks or trusted_networks())


def resolve_client_ip(peer: str, forwarded_for: str) -> str:
    """The client's address, given the connection's peer and its X-Forwarded-For header."""
    networks = trusted_networks()
    if not is_trusted_proxy(peer, networks):
        return peer
    client = peer
    for hop in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        parsed = _parse(hop)
        if parsed is None:  # garbage in the header: stop at the last address we can vouch for
            return client
        client = str(parsed)
        if not any(parsed in network for network in networks):
            return client
    return client


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits and lockouts (REMOTE_ADDR after the middleware).

    Named as `AXES_CLIENT_IP_CALLABLE` and `RATELIMIT_IP_META_KEY`, and used by the allauth
    adapter, so that every counter asks the same function.
    """
    if PEER_ADDR_META_KEY in request.META:
        return request.META.get("REMOTE_ADDR", "")
    return resolve_client_ip(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: REMOTE_ADDR becomes the client's address (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        meta[PEER_ADDR_META_KEY] = peer
        if is_trusted_proxy(peer):
            meta["REMOTE_ADDR"] = resolve_client_ip(peer, meta.get("HTTP_X_FORWARDED_FOR", ""))
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
