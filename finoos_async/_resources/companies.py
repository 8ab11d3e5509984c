"""``fino.companies``: bulk company and logo search (provisional shapes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .._call import Call, Outcome
from .._decoder import decode_error
from .._exceptions import InvalidInputError
from .._models.companies import (
    CompanyQuery,
    CompanySearchResult,
    LogoQuery,
    LogoSearchResult,
    _FoundCompanies,
    _FoundLogos,
)
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._options import CallOptions

__all__ = ["Companies"]

Q = TypeVar("Q")


class Companies(Resource):
    """Companies: find companies and their logos, many queries per request."""

    async def search(
        self, queries: Sequence[CompanyQuery], **options: Unpack[CallOptions]
    ) -> list[CompanySearchResult]:
        """Search companies, many queries in one request (``POST /companies/search``).

        Provisional shape. Each query's ``name`` matches part of a company's name;
        ``city``, ``zip`` and ``country`` narrow it down::

            [result] = await fino.companies.search([CompanyQuery(name="fino", city="Kassel")])
            for company in result.companies:
                print(company.name, company.register_number)

        The search only reads, so it is retried like a GET.

        Returns:
            One result per query, in the order of ``queries``; ``result.query`` is
            the query it answers (the server's echo when it sends one). Results are
            matched to queries by position.

        Raises:
            InvalidInputError: ``queries`` is empty, or one is not a ``CompanyQuery``
                with a non-empty ``name``.
            DecodeError: The server answered a different number of results than
                there were queries, so they cannot be tied to their queries.
        """
        checked = _check_queries(queries, CompanyQuery)
        for index, query in enumerate(checked):
            if not isinstance(query.name, str) or not query.name.strip():
                raise InvalidInputError(
                    f"queries[{index}].name must be a non-empty string, got {query.name!r}"
                )
        call = self._search_call("/companies/search", checked)

        def parse(outcome: Outcome) -> list[CompanySearchResult]:
            found: list[_FoundCompanies] = self._client._decode(
                outcome, list[_FoundCompanies], key="results"
            )
            return [
                CompanySearchResult(
                    query=query if result.query is None else result.query,
                    companies=result.companies,
                    extra=result.extra,
                )
                for result, query in _by_position(outcome, found, checked)
            ]

        return await self._call(call, options, parse)

    async def search_logos(
        self, queries: Sequence[LogoQuery], **options: Unpack[CallOptions]
    ) -> list[LogoSearchResult]:
        """Search company logos by name or web domain (``POST /companies/logos/search``).

        Provisional shape. Many queries go in one request::

            by_domain, by_name = await fino.companies.search_logos(
                [LogoQuery(domain="fino.run"), LogoQuery(name="fino")]
            )

        The search only reads, so it is retried like a GET.

        Returns:
            One result per query, in the order of ``queries``; ``result.query`` is
            the query it answers (the server's echo when it sends one). Results are
            matched to queries by position.

        Raises:
            InvalidInputError: ``queries`` is empty, or one is not a ``LogoQuery``
                with a non-empty ``name`` or ``domain``.
            DecodeError: The server answered a different number of results than
                there were queries, so they cannot be tied to their queries.
        """
        checked = _check_queries(queries, LogoQuery)
        for index, query in enumerate(checked):
            given = [v for v in (query.name, query.domain) if v is not None]
            if not given:
                raise InvalidInputError(f"queries[{index}] needs a name or a domain")
            if not all(isinstance(v, str) and v.strip() for v in given):
                raise InvalidInputError(
                    f"queries[{index}] name and domain must be non-empty strings, got {query!r}"
                )
        call = self._search_call("/companies/logos/search", checked)

        def parse(outcome: Outcome) -> list[LogoSearchResult]:
            found: list[_FoundLogos] = self._client._decode(
                outcome, list[_FoundLogos], key="results"
            )
            return [
                LogoSearchResult(
                    query=query if result.query is None else result.query,
                    logos=result.logos,
                    extra=result.extra,
                )
                for result, query in _by_position(outcome, found, checked)
            ]

        return await self._call(call, options, parse)

    def _search_call(self, path: str, queries: Sequence[Any]) -> Call:
        # A search changes nothing on the server: repeating it is harmless.
        return Call(
            "POST",
            path,
            json={"queries": self._client._encode(list(queries))},
            has_body=True,
            repeatable=True,
        )


def _check_queries(queries: Sequence[Q], cls: type[Q]) -> list[Q]:
    if isinstance(queries, (str, bytes)) or not isinstance(queries, Sequence):
        raise InvalidInputError(f"queries must be a sequence of finoos_async.{cls.__name__}")
    if not queries:
        raise InvalidInputError("queries must not be empty")
    for index, query in enumerate(queries):
        if not isinstance(query, cls):
            raise InvalidInputError(
                f"queries[{index}] must be a finoos_async.{cls.__name__}, "
                f"not {type(query).__name__}"
            )
    return list(queries)


def _by_position(outcome: Outcome, found: list[Any], queries: list[Q]) -> zip[tuple[Any, Q]]:
    """Pair each result with the query at its position; refuse a count that differs."""
    if len(found) != len(queries):
        raise decode_error(
            f"the server answered {len(found)} results for {len(queries)} queries", outcome
        )
    return zip(found, queries, strict=True)
