"""Users and the account's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._common import StrEnum, extra_field

__all__ = ["Settings", "User", "UserType"]


class UserType(StrEnum):
    """How finoOS analyses a user's data."""

    PERSON = "person"
    COMPANY = "company"


@attrs.frozen(kw_only=True)
class User:
    """A finoOS user.

    Create User answers with the id only, so ``type`` and ``scopes`` are filled
    by Get User.

    Attributes:
        id: The user's unique id.
        type: ``UserType.PERSON`` or ``UserType.COMPANY`` (or a newer value as ``str``).
        scopes: The scopes the user holds (provisional shape).
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    type: UserType | str | None = None
    scopes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Settings:
    """The account's settings (Get Settings; provisional shape).

    Attributes:
        api_version: The account's API version, a ``YYYY-MM-DD`` date string.
        scopes: The scopes the account holds.
        extra: Fields this SDK version does not model, kept as received.
    """

    api_version: str
    scopes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = extra_field()
