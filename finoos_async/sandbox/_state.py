"""Everything the sandbox remembers: the account, its tokens, users, connect sessions
and document shipments.

Callers hold :attr:`State.lock` around every read-modify-write: the sandbox may serve
from its own thread while a test changes state from another.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from datetime import datetime, timezone
from typing import Any

import attrs

from ._clock import Clock

__all__ = [
    "CONNECT_SESSION_TTL",
    "EMPTY_LOGINS",
    "SHIPMENT_SEND_SECONDS",
    "ConnectProgress",
    "ConnectSession",
    "Shipment",
    "State",
    "TokenPair",
    "User",
]

EMPTY_LOGINS = b'{"logins":[]}'
#: Seconds of sandbox clock after which a queued shipment counts as sent.
SHIPMENT_SEND_SECONDS = 60.0
#: Default seconds of sandbox clock a Banking UI session can be used for.
CONNECT_SESSION_TTL = 600.0

# Expired tokens are forgotten lazily; this bounds how many may pile up between sweeps.
_SWEEP_AT = 1024


@attrs.define
class User:
    """One finoOS user.

    Attributes:
        id: 24 hex characters, like the real API's ids.
        type: ``"person"`` or ``"company"``.
        scopes: The scopes the user holds, in the order they were granted.
        logins: The stored Get Logins body, already serialised.
    """

    id: str
    type: str
    scopes: list[str]
    logins: bytes = EMPTY_LOGINS


@attrs.define
class ConnectProgress:
    """How far the end user has come in one session's Banking UI flow.

    Attributes:
        bank_code: The bank chosen, once one is.
        failures: Wrong answers (credentials, then TANs) at the current step.
        tan: The TAN the UI shows and expects, once the bank's login succeeded.
        tans_left: TANs still to confirm before the login is connected.
        outcome: ``"redirect"``, ``"error"`` or ``"exit"`` once the flow has ended;
            an ended session cannot be used again.
    """

    bank_code: str | None = None
    failures: int = 0
    tan: str | None = None
    tans_left: int = 0
    outcome: str | None = None


@attrs.frozen
class ConnectSession:
    """A Banking UI session created by Create Connect User Session.

    Attributes:
        id: The session id in the hosted UI's URL.
        user_id: The user connecting a bank login.
        redirect_url: Where the UI sends the user after success.
        error_url: Where the UI sends the user after an error.
        exit_url: Where the UI sends the user who leaves.
        recurring: Whether the connection may be refreshed without the user.
        expires_at: The sandbox clock's reading from which the session is expired.
        progress: The end user's progress through the Banking UI (mutable).
    """

    id: str
    user_id: str
    redirect_url: str
    error_url: str
    exit_url: str
    recurring: bool
    expires_at: float = float("inf")
    progress: ConnectProgress = attrs.field(factory=ConnectProgress, eq=False)


@attrs.frozen
class Shipment:
    """A document sent by Send Document.

    Attributes:
        id: 24 hex characters, like the real API's ids.
        type: ``"fax"`` or ``"letter"``.
        recipient: The recipient object as received.
        content: The decoded PDF.
        created_at: The sandbox clock's reading when it was accepted.
    """

    id: str
    type: str
    recipient: dict[str, Any]
    content: bytes = attrs.field(repr=False)
    created_at: float


@attrs.frozen
class TokenPair:
    """A freshly issued access and refresh token with their lifetimes in seconds.

    Attributes:
        access_token: Sent as ``Authorization`` on every non-auth call.
        refresh_token: Exchanged once for a new pair.
        expires_in: Access token lifetime.
        refresh_expires_in: Refresh token lifetime.
    """

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_in: float
    refresh_expires_in: float


class State:
    """The account and everything created through the API."""

    def __init__(
        self,
        *,
        name: str,
        secret: str,
        clock: Clock,
        access_ttl: float,
        refresh_ttl: float,
        api_version: str,
        scopes: tuple[str, ...],
        connect_session_ttl: float = CONNECT_SESSION_TTL,
    ) -> None:
        self.name = name
        self.secret = secret
        self.clock = clock
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.api_version = api_version
        self.scopes = scopes
        self.connect_session_ttl = connect_session_ttl
        self.lock = threading.Lock()
        # token -> the clock reading at which it stops working
        self._access: dict[str, float] = {}
        self._refresh: dict[str, float] = {}
        self.users: dict[str, User] = {}
        self.sessions: dict[str, ConnectSession] = {}
        self.shipments: dict[str, Shipment] = {}
        # Where the clock's origin falls in wall time, so its readings become dates.
        self._wall_origin = time.time() - clock()

    def credentials_match(self, name: object, secret: object) -> bool:
        """Whether ``name`` and ``secret`` are this account's credentials."""
        if not isinstance(name, str) or not isinstance(secret, str):
            return False
        # compare_digest on both so a wrong name takes as long as a wrong secret.
        name_ok = hmac.compare_digest(name.encode(), self.name.encode())
        secret_ok = hmac.compare_digest(secret.encode(), self.secret.encode())
        return name_ok and secret_ok

    def issue_tokens(self) -> TokenPair:
        """Issue a new access and refresh token, valid from now."""
        now = self.clock()
        access, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
        self._access[access] = now + self.access_ttl
        self._refresh[refresh] = now + self.refresh_ttl
        if len(self._access) > _SWEEP_AT or len(self._refresh) > _SWEEP_AT:
            self._sweep(now)
        return TokenPair(access, refresh, self.access_ttl, self.refresh_ttl)

    def spend_refresh_token(self, token: str) -> bool:
        """Consume ``token`` if it is live; a refresh token works exactly once."""
        expires_at = self._refresh.pop(token, None)
        return expires_at is not None and self.clock() < expires_at

    def access_token_valid(self, token: str) -> bool:
        """Whether ``token`` is a live access token (issued, not revoked, not expired)."""
        expires_at = self._access.get(token)
        if expires_at is None:
            return False
        if self.clock() < expires_at:
            return True
        del self._access[token]
        return False

    def revoke_access_token(self, token: str) -> None:
        """Make ``token`` stop working now."""
        self._access.pop(token, None)

    def revoke_access_tokens(self) -> None:
        """Make every access token stop working now."""
        self._access.clear()

    def create_user(self, user_type: str) -> User:
        """Create a user holding the account's scopes."""
        user = User(secrets.token_hex(12), user_type, list(self.scopes))
        self.users[user.id] = user
        return user

    def delete_user(self, user_id: str) -> None:
        """Forget a user and its connect sessions."""
        del self.users[user_id]
        self.sessions = {k: s for k, s in self.sessions.items() if s.user_id != user_id}

    def create_session(
        self, user_id: str, *, redirect_url: str, error_url: str, exit_url: str, recurring: bool
    ) -> ConnectSession:
        """Store a Banking UI session for ``user_id``, usable for ``connect_session_ttl``."""
        session = ConnectSession(
            secrets.token_urlsafe(16),
            user_id,
            redirect_url,
            error_url,
            exit_url,
            recurring,
            expires_at=self.clock() + self.connect_session_ttl,
        )
        self.sessions[session.id] = session
        return session

    def create_shipment(self, type: str, recipient: dict[str, Any], content: bytes) -> Shipment:
        """Store a document shipment, accepted now."""
        shipment = Shipment(secrets.token_hex(12), type, recipient, content, self.clock())
        self.shipments[shipment.id] = shipment
        return shipment

    def shipment_status(self, shipment: Shipment) -> str:
        """``"queued"`` until :data:`SHIPMENT_SEND_SECONDS` have passed, then ``"sent"``."""
        elapsed = self.clock() - shipment.created_at
        return "sent" if elapsed >= SHIPMENT_SEND_SECONDS else "queued"

    def wall_time(self, reading: float) -> datetime:
        """The aware UTC datetime of a clock reading (the clock itself may be monotonic)."""
        return datetime.fromtimestamp(self._wall_origin + reading, tz=timezone.utc)

    def _sweep(self, now: float) -> None:
        self._access = {t: exp for t, exp in self._access.items() if now < exp}
        self._refresh = {t: exp for t, exp in self._refresh.items() if now < exp}
