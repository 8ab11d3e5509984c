"""Company and logo search (Search Companies, Search Logos; provisional shapes).

Both are bulk searches: one request carries many queries, and each result is tied
to the query it answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._common import extra_field

__all__ = [
    "Address",
    "Company",
    "CompanyLogo",
    "CompanyQuery",
    "CompanySearchResult",
    "LogoQuery",
    "LogoSearchResult",
]


@attrs.frozen(kw_only=True)
class CompanyQuery:
    """One company search (provisional shape).

    Example::

        CompanyQuery(name="fino", city="Kassel")

    Attributes:
        name: Part of the company's name; required and non-empty.
        city: Only companies in this city.
        zip: Only companies with this postal code.
        country: Only companies in this country (ISO 3166 code, e.g. ``"DE"``).
        extra: More query fields, sent as given; on a result, fields this SDK
            version does not model, kept as received.
    """

    name: str
    city: str | None = None
    zip: str | None = None
    country: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Address:
    """A postal address (provisional shape).

    Attributes:
        street: Street and house number.
        zip: Postal code.
        city: City.
        country: Country (ISO 3166 code, e.g. ``"DE"``).
        extra: Fields this SDK version does not model, kept as received.
    """

    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Company:
    """A company found by Search Companies (provisional shape).

    Attributes:
        id: The company's id.
        name: Its registered name.
        legal_form: Its legal form, e.g. ``"GmbH"`` (``legalForm``).
        address: Its registered address.
        register_number: Its commercial register number, e.g. ``"HRB 1234"``
            (``registerNumber``).
        register_court: The court keeping the register (``registerCourt``).
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    name: str | None = None
    legal_form: str | None = None
    address: Address | None = None
    register_number: str | None = None
    register_court: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class CompanySearchResult:
    """The companies found for one ``CompanyQuery`` (provisional shape).

    Attributes:
        query: The query this result answers: as the server echoed it, or the
            query you sent when the server did not echo it.
        companies: The companies found; empty when none matched.
        extra: Fields this SDK version does not model, kept as received.
    """

    query: CompanyQuery
    companies: tuple[Company, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class LogoQuery:
    """One logo search, by company name, by web domain, or both (provisional shape).

    Example::

        LogoQuery(domain="fino.run")

    Attributes:
        name: The company's name.
        domain: The company's web domain, e.g. ``"fino.run"``.
        extra: More query fields, sent as given; on a result, fields this SDK
            version does not model, kept as received.
    """

    name: str | None = None
    domain: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class CompanyLogo:
    """A company's logo (provisional shape).

    Attributes:
        url: Where the logo is served.
        type: Its media type, e.g. ``"image/png"``.
        extra: Fields this SDK version does not model, kept as received.
    """

    url: str | None = None
    type: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class LogoSearchResult:
    """The logos found for one ``LogoQuery`` (provisional shape).

    Attributes:
        query: The query this result answers: as the server echoed it, or the
            query you sent when the server did not echo it.
        logos: The logos found; empty when none matched.
        extra: Fields this SDK version does not model, kept as received.
    """

    query: LogoQuery
    logos: tuple[CompanyLogo, ...] = ()
    extra: Mapping[str, Any] = extra_field()


# What the server answers per query. Its ``query`` echo is optional on the wire, so
# these decode it as such; the resource then ties each one to the query it sent.
@attrs.frozen(kw_only=True)
class _FoundCompanies:
    query: CompanyQuery | None = None
    companies: tuple[Company, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class _FoundLogos:
    query: LogoQuery | None = None
    logos: tuple[CompanyLogo, ...] = ()
    extra: Mapping[str, Any] = extra_field()
