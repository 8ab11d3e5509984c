"""Search Companies and Search Logos: the directory, the echoed queries and the 400s."""

from __future__ import annotations

from typing import Any

import pytest

from finoos_async.sandbox import Fault, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio


async def test_search_companies_echoes_each_query_with_its_companies(api: Api) -> None:
    """One result per query, in order, each with the query as sent and the companies matched."""
    queries = [
        {"name": "FINO", "city": "kassel", "industry": "fintech"},
        {"name": "fino"},
        {"name": "gmbh", "zip": "20457", "country": "de"},
        {"name": "fino", "city": None},
        {"name": "nobody"},
    ]
    response = await api.post("/companies/search", json={"queries": queries})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["query"] for r in results] == queries
    names = [[c["name"] for c in r["companies"]] for r in results]
    assert names == [
        ["fino Testfirma GmbH"],
        ["fino Testfirma GmbH", "Finoderm Kosmetik UG (haftungsbeschränkt)"],
        ["Nordlicht Backwaren GmbH"],
        ["fino Testfirma GmbH", "Finoderm Kosmetik UG (haftungsbeschränkt)"],
        [],
    ]
    assert results[0]["companies"][0] == {
        "id": "5f22c402b6968c0001c0a001",
        "name": "fino Testfirma GmbH",
        "legalForm": "GmbH",
        "address": {"street": "Königsplatz 1", "zip": "34117", "city": "Kassel", "country": "DE"},
        "registerNumber": "HRB 99901",
        "registerCourt": "Amtsgericht Kassel",
    }


async def test_search_logos_derives_logos_on_the_sandbox_origin(api: Api) -> None:
    """Logos come from the domain (or else the name), as SVG and PNG below the sandbox's origin."""
    queries = [{"domain": "Fino.run", "name": "ignored"}, {"name": "Nordlicht Backwaren"}]
    response = await api.post("/companies/logos/search", json={"queries": queries})
    assert response.status_code == 200
    by_domain, by_name = response.json()["results"]
    assert by_domain["query"] == queries[0]
    origin = str(api.http.base_url).removesuffix("/api/v1/").removesuffix("/api/v1")
    assert by_domain["logos"] == [
        {"url": f"{origin}/logos/fino.run.svg", "type": "image/svg+xml"},
        {"url": f"{origin}/logos/fino.run.png", "type": "image/png"},
    ]
    assert [logo["url"].rsplit("/", 1)[1] for logo in by_name["logos"]] == [
        "nordlicht-backwaren.svg",
        "nordlicht-backwaren.png",
    ]


_COMMON_BAD: list[Any] = [
    b"{",
    b"[]",
    {},
    {"queries": None},
    {"queries": []},
    {"queries": {"name": "fino"}},
    {"queries": ["fino"]},
    {"queries": [None]},
]


@pytest.mark.parametrize(
    "body",
    [
        *_COMMON_BAD,
        {"queries": [{}]},
        {"queries": [{"name": ""}]},
        {"queries": [{"name": "  "}]},
        {"queries": [{"name": 1}]},
        {"queries": [{"name": "fino"}, {"city": "Kassel"}]},
        {"queries": [{"name": "fino", "city": 34117}]},
        {"queries": [{"name": "fino", "zip": 34117}]},
        {"queries": [{"name": "fino", "country": ["DE"]}]},
    ],
)
async def test_search_companies_rejects_bad_bodies(api: Api, body: Any) -> None:
    """Search Companies needs a non-empty queries array of objects with a name; else 400."""
    await _assert_bad_request(api, "/companies/search", body)


@pytest.mark.parametrize(
    "body",
    [
        *_COMMON_BAD,
        {"queries": [{}]},
        {"queries": [{"name": None, "domain": None}]},
        {"queries": [{"name": ""}]},
        {"queries": [{"domain": " "}]},
        {"queries": [{"name": "fino", "domain": ""}]},
        {"queries": [{"name": 1}]},
        {"queries": [{"domain": True}]},
        {"queries": [{"domain": "fino.run"}, {"city": "Kassel"}]},
    ],
)
async def test_search_logos_rejects_bad_bodies(api: Api, body: Any) -> None:
    """Search Logos needs a non-empty queries array of objects with a name or a domain; else 400."""
    await _assert_bad_request(api, "/companies/logos/search", body)


async def _assert_bad_request(api: Api, path: str, body: Any) -> None:
    if isinstance(body, bytes):
        response = await api.post(path, content=body)
    else:
        response = await api.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "bad_request"


async def test_company_routes_need_the_account_scope(connect: Connect) -> None:
    """Without "companies" on the account both searches are a 403."""
    async with connect(Sandbox(scopes=("banking",))) as api:
        await api.login()
        for path in ("/companies/search", "/companies/logos/search"):
            response = await api.post(path, json={"queries": [{"name": "fino"}]})
            assert response.status_code == 403
            assert response.json()["type"] == "forbidden"


async def test_faults_can_target_the_search_routes(api: Api) -> None:
    """The search routes are in the route table, so faults accept and hit them."""
    for route in ("POST /companies/search", "POST /companies/logos/search"):
        api.sandbox.faults.add(Fault(route=route, kind="status", status=503, times=1))
    for path in ("/companies/search", "/companies/logos/search"):
        body = {"queries": [{"name": "fino"}]}
        assert (await api.post(path, json=body)).status_code == 503
        assert (await api.post(path, json=body)).status_code == 200
