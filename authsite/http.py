"""Request helpers shared by every door."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the audit log records it.

    ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` proxies stand in front of us; then the
    address the outermost trusted proxy saw, counted from the right of ``X-Forwarded-For``
    so a client cannot choose its own address by sending the header itself.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return _valid_ip(remote)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return _valid_ip(remote)
    return _valid_ip(forwarded[-hops])


def rate_limit_key(ip: str | None) -> str | None:
    """The bucket a client address counts in: the address itself, or its /64 for IPv6.

    One IPv6 customer usually holds a whole /64, so counting single addresses would give
    them 2^64 fresh buckets.
    """
    if ip is None:
        return None
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None
