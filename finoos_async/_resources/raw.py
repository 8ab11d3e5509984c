"""``fino.with_raw_response``: every method, answering a ``RawResponse`` instead.

The raw view holds resources in raw mode; the wrappers below only retype their
methods (same parameters, ``RawResponse[T]`` instead of ``T``), so each method
is written once.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

from .._response import RawResponse
from .banking import Banking
from .settings import SettingsResource
from .users import Users

if TYPE_CHECKING:
    from .._client import AsyncFino
    from .companies import Companies
    from .documents import Documents

__all__ = ["WithRawResponse"]

P = ParamSpec("P")
T = TypeVar("T")


def _raw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    return cast(Callable[P, Awaitable[RawResponse[T]]], method)


class RawUsers:
    """``fino.users`` returning raw responses."""

    def __init__(self, users: Users) -> None:
        self.create = _raw(users.create)
        self.get = _raw(users.get)
        self.delete = _raw(users.delete)
        self.add_scope = _raw(users.add_scope)


class RawBanking:
    """``fino.banking`` returning raw responses."""

    def __init__(self, banking: Banking) -> None:
        self.connect = _raw(banking.connect)
        self.set_logins = _raw(banking.set_logins)
        self.get_logins = _raw(banking.get_logins)


class RawSettings:
    """``fino.settings`` returning raw responses."""

    def __init__(self, settings: SettingsResource) -> None:
        self.get = _raw(settings.get)


class RawCompanies:
    """``fino.companies`` returning raw responses."""

    def __init__(self, companies: Companies) -> None:
        self.search = _raw(companies.search)
        self.search_logos = _raw(companies.search_logos)


class RawDocuments:
    """``fino.documents`` returning raw responses."""

    def __init__(self, documents: Documents) -> None:
        self.send_fax = _raw(documents.send_fax)
        self.send_letter = _raw(documents.send_letter)
        self.get = _raw(documents.get)


class WithRawResponse:
    """Every resource of the client, answering ``RawResponse`` objects."""

    def __init__(self, client: AsyncFino) -> None:
        self.users = RawUsers(Users(client, raw=True))
        self.banking = RawBanking(Banking(client, raw=True))
        self.settings = RawSettings(SettingsResource(client, raw=True))
        self._client = client

    @functools.cached_property
    def companies(self) -> RawCompanies:
        """``fino.companies`` returning raw responses (provisional)."""
        from .companies import Companies  # loaded on first use, like fino.companies

        return RawCompanies(Companies(self._client, raw=True))

    @functools.cached_property
    def documents(self) -> RawDocuments:
        """``fino.documents`` returning raw responses (provisional)."""
        from .documents import Documents  # loaded on first use, like fino.documents

        return RawDocuments(Documents(self._client, raw=True))
