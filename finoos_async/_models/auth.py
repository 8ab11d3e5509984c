"""The token pair the Authenticate and Refresh endpoints answer with."""

from __future__ import annotations

import attrs

__all__ = ["TokenPair"]


@attrs.frozen(kw_only=True)
class TokenPair:
    """Access and refresh tokens with their lifetimes in seconds; tokens never in a repr."""

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_in: float
    refresh_expires_in: float
