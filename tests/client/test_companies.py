"""fino.companies: bulk company and logo search, each result tied to its query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from finoos_async import (
    Address,
    CallNext,
    CompanyLogo,
    CompanyQuery,
    CompanySearchResult,
    DecodeError,
    InvalidInputError,
    LogoQuery,
    LogoSearchResult,
    Middleware,
    PermissionDeniedError,
    _json,
)
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


def rewrite_results(change: Callable[[list[Any]], list[Any]]) -> Middleware:
    """A middleware that edits the ``results`` of every successful search response."""

    async def rewrite(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = await call_next(request)
        if "/companies/" not in request.url.path or not response.is_success:
            return response
        body = _json.loads(response.content)
        body["results"] = change(body["results"])
        return httpx.Response(200, content=_json.dumps(body), headers=response.headers)

    return rewrite


async def test_search_answers_in_query_order(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Each result holds its query and that query's companies, in the order of the queries."""
    queries = [
        CompanyQuery(name="fino", city="Kassel"),
        CompanyQuery(name="no such company"),
        CompanyQuery(name="FINO"),
    ]
    async with make_client() as fino:
        results = await fino.companies.search(queries)

    assert [r.query for r in results] == queries
    assert all(isinstance(r, CompanySearchResult) for r in results)
    [kassel] = results[0].companies
    assert kassel.name == "fino Testfirma GmbH"
    assert kassel.legal_form == "GmbH"
    assert kassel.register_number == "HRB 99901"
    assert kassel.register_court == "Amtsgericht Kassel"
    assert kassel.address == Address(
        street="Königsplatz 1", zip="34117", city="Kassel", country="DE"
    )
    assert results[1].companies == ()
    assert len(results[2].companies) == 2  # any case, anywhere in the name, any city
    # The queries went out camelCase, unset filters left out.
    [entry] = sandbox.journal.for_route("POST /companies/search")
    assert entry.json() == {
        "queries": [
            {"name": "fino", "city": "Kassel"},
            {"name": "no such company"},
            {"name": "FINO"},
        ]
    }


async def test_search_logos_answers_in_query_order(make_client: ClientFactory) -> None:
    """Logo results follow the queries, by domain or by name, with urls on the sandbox."""
    queries = [LogoQuery(domain="fino.run"), LogoQuery(name="fino")]
    async with make_client() as fino:
        by_domain, by_name = await fino.companies.search_logos(queries)

    assert isinstance(by_domain, LogoSearchResult)
    assert (by_domain.query, by_name.query) == tuple(queries)
    assert all(isinstance(logo, CompanyLogo) for logo in by_domain.logos)
    assert {logo.type for logo in by_domain.logos} == {"image/png", "image/svg+xml"}
    assert all("/logos/fino.run." in (logo.url or "") for logo in by_domain.logos)
    assert all("/logos/fino." in (logo.url or "") for logo in by_name.logos)


async def test_search_keeps_unknown_fields(make_client: ClientFactory) -> None:
    """Fields the SDK does not model survive on the query, the result and each company."""

    def add_fields(results: list[Any]) -> list[Any]:
        for result in results:
            result["score"] = 1
            for company in result["companies"]:
                company["website"] = "https://fino.example"
        return results

    async with make_client(middleware=[rewrite_results(add_fields)]) as fino:
        [result] = await fino.companies.search(
            [CompanyQuery(name="fino", city="Kassel", extra={"industry": "fintech"})]
        )
    assert result.query.extra == {"industry": "fintech"}  # sent, and echoed back
    assert result.extra == {"score": 1}
    assert result.companies[0].extra == {"website": "https://fino.example"}


async def test_results_without_an_echo_are_tied_to_the_sent_query(
    make_client: ClientFactory,
) -> None:
    """When the server leaves out ``query``, each result carries the query sent at its place."""

    def drop_echo(results: list[Any]) -> list[Any]:
        return [{k: v for k, v in result.items() if k != "query"} for result in results]

    queries = [LogoQuery(name="Nordlicht"), LogoQuery(domain="rheinblick.example")]
    async with make_client(middleware=[rewrite_results(drop_echo)]) as fino:
        results = await fino.companies.search_logos(queries)
    assert [r.query for r in results] == queries


async def test_a_result_count_that_differs_is_decode_error(make_client: ClientFactory) -> None:
    """Fewer results than queries cannot be tied to their queries: DecodeError, not a guess."""
    async with make_client(middleware=[rewrite_results(lambda results: results[1:])]) as fino:
        with pytest.raises(DecodeError, match="1 results for 2 queries") as caught:
            await fino.companies.search([CompanyQuery(name="a"), CompanyQuery(name="b")])
    assert caught.value.status_code == 200
    assert caught.value.request_id


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: f.companies.search([]), "empty"),
        (lambda f: f.companies.search([CompanyQuery(name="")]), "name"),
        (lambda f: f.companies.search([CompanyQuery(name="ok"), CompanyQuery(name=" ")]), r"\[1\]"),
        (lambda f: f.companies.search(["fino"]), "CompanyQuery"),
        (lambda f: f.companies.search("fino"), "sequence"),
        (lambda f: f.companies.search([LogoQuery(name="fino")]), "CompanyQuery"),
        (lambda f: f.companies.search_logos([]), "empty"),
        (lambda f: f.companies.search_logos([LogoQuery()]), "name or a domain"),
        (lambda f: f.companies.search_logos([LogoQuery(name="", domain="fino.run")]), "empty"),
        (lambda f: f.companies.search_logos([CompanyQuery(name="fino")]), "LogoQuery"),
    ],
)
async def test_bad_queries_are_refused_before_sending(
    make_client: ClientFactory, sandbox: Sandbox, call: object, match: str
) -> None:
    """Empty, blank or mistyped queries raise InvalidInputError and nothing is sent."""
    async with make_client() as fino:
        with pytest.raises(InvalidInputError, match=match):
            await call(fino)  # type: ignore[operator]
    assert len(sandbox.journal) == 0


@pytest.mark.parametrize("sandbox_options", [{"scopes": ("banking",)}])
async def test_searching_without_the_scope_is_403(make_client: ClientFactory) -> None:
    """An account without the "companies" scope gets PermissionDeniedError on both searches."""
    async with make_client() as fino:
        with pytest.raises(PermissionDeniedError):
            await fino.companies.search([CompanyQuery(name="fino")])
        with pytest.raises(PermissionDeniedError):
            await fino.companies.search_logos([LogoQuery(name="fino")])


async def test_searches_are_retried(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A search only reads, so a 503 is retried like a GET."""
    sandbox.faults.add(Fault(route="POST /companies/search", kind="status", status=503, times=1))
    sandbox.faults.add(
        Fault(route="POST /companies/logos/search", kind="status", status=503, times=1)
    )
    async with make_client() as fino:
        raw = await fino.with_raw_response.companies.search([CompanyQuery(name="fino")])
        logos = await fino.with_raw_response.companies.search_logos([LogoQuery(name="fino")])
    assert (raw.attempts, logos.attempts) == (2, 2)
    assert len(raw.parse()[0].companies) == 2
    assert sandbox.journal.count("POST /companies/search") == 2
