"""Checks on caller input, made before anything is sent."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit

from ._exceptions import InvalidInputError

__all__ = [
    "check_absolute_url",
    "check_header_value",
    "check_ip",
    "is_loopback_host",
    "path_segment",
]

# Control characters would let a caller's value split or forge headers.
_FORBIDDEN_IN_HEADER = re.compile(r"[\x00-\x1f\x7f]")


def check_header_value(name: str, value: str) -> str:
    """Refuse a header value that is not a string or carries CR, LF or other controls."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a str, not {type(value).__name__}")
    if _FORBIDDEN_IN_HEADER.search(value):
        raise InvalidInputError(f"{name} must not contain control characters (CR, LF, ...)")
    return value


def check_ip(value: str) -> str:
    """Refuse a ``user_ip`` that is not an IPv4 or IPv6 address."""
    if not isinstance(value, str):
        raise InvalidInputError(f"user_ip must be a str, not {type(value).__name__}")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise InvalidInputError(f"user_ip {value!r} is not an IPv4 or IPv6 address") from None
    return value


def check_absolute_url(name: str, value: str) -> str:
    """Refuse a URL that is not absolute ``http``/``https`` with a host."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a str, not {type(value).__name__}")
    check_header_value(name, value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"{name} must be an absolute http(s) URL, got {value!r}")
    return value


def path_segment(name: str, value: str) -> str:
    """Percent-encode an id so it stays one path segment (``../auth`` cannot escape)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a str, not {type(value).__name__}")
    if value.strip() in ("", ".", ".."):
        raise InvalidInputError(f"{name} must be a non-empty id, got {value!r}")
    return quote(value, safe="")


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine (``localhost``, ``*.localhost``, 127/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
