"""The client's address behind the reverse proxy, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind the proxy every request comes from the proxy's address, so keying lock-outs on REMOTE_ADDR alone would
let anyone lock any account for everyone. The real address is in X-Forwarded-For, but anyone can send that
header: it is read only when the request comes from a proxy named in TRUSTED_PROXIES (environment
DJANGO_TRUSTED_PROXIES: addresses or networks, comma-separated; empty, the default, trusts nothing). Each
trusted proxy appends the address it was connected from, so the list is read from the right: the first
address that is not a trusted proxy is the client; what stands left of it the client wrote itself.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def trusted_networks() -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks (a bad entry fails loudly, at start-up through the settings' check)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the nearest untrusted hop it reports."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    networks = trusted_networks()
    if peer is None or not _trusted(peer, networks):
        return str(peer) if peer else None
    address = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        hop_address = _address(hop)
        if hop_address is None:
            break  # garbage the client wrote: the last proxy's word is all there is
        address = hop_address
        if not _trusted(hop_address, networks):
            break
    return str(address)
