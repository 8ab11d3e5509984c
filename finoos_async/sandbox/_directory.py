"""The sandbox's company directory and logo service, behind Search Companies and Search Logos.

Every company here is made up; the register numbers belong to no one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["COMPANIES", "find_companies", "find_logos"]


def _company(
    id: str, name: str, legal_form: str, address: tuple[str, str, str], register: tuple[str, str]
) -> dict[str, Any]:
    street, zip_code, city = address
    number, court = register
    return {
        "id": id,
        "name": name,
        "legalForm": legal_form,
        "address": {"street": street, "zip": zip_code, "city": city, "country": "DE"},
        "registerNumber": number,
        "registerCourt": court,
    }


COMPANIES: tuple[dict[str, Any], ...] = (
    _company(
        "5f22c402b6968c0001c0a001",
        "fino Testfirma GmbH",
        "GmbH",
        ("Königsplatz 1", "34117", "Kassel"),
        ("HRB 99901", "Amtsgericht Kassel"),
    ),
    _company(
        "5f22c402b6968c0001c0a002",
        "Finoderm Kosmetik UG (haftungsbeschränkt)",
        "UG (haftungsbeschränkt)",
        ("Chausseestraße 10", "10115", "Berlin"),
        ("HRB 99902 B", "Amtsgericht Charlottenburg"),
    ),
    _company(
        "5f22c402b6968c0001c0a003",
        "Kasseler Fahrradmanufaktur e.K.",
        "e.K.",
        ("Friedrich-Ebert-Straße 7", "34119", "Kassel"),
        ("HRA 99903", "Amtsgericht Kassel"),
    ),
    _company(
        "5f22c402b6968c0001c0a004",
        "Nordlicht Backwaren GmbH",
        "GmbH",
        ("Speicherstadt 3", "20457", "Hamburg"),
        ("HRB 99904", "Amtsgericht Hamburg"),
    ),
    _company(
        "5f22c402b6968c0001c0a005",
        "Rheinblick Software AG",
        "AG",
        ("Domkloster 2", "50667", "Köln"),
        ("HRB 99905", "Amtsgericht Köln"),
    ),
    _company(
        "5f22c402b6968c0001c0a006",
        "Alpenweg Logistik GmbH & Co. KG",
        "GmbH & Co. KG",
        ("Marienplatz 8", "80331", "München"),
        ("HRA 99906", "Amtsgericht München"),
    ),
)
"""The directory Search Companies searches."""

_NOT_IN_SLUG = re.compile(r"[^a-z0-9.-]+")


def find_companies(query: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The companies whose name contains ``query["name"]`` (any case), narrowed by the
    optional ``city`` and ``country`` (any case) and ``zip`` (exact)."""
    name = query["name"].casefold()
    city, zip_code, country = query.get("city"), query.get("zip"), query.get("country")
    found = []
    for company in COMPANIES:
        address = company["address"]
        if name not in company["name"].casefold():
            continue
        if city is not None and city.casefold() != address["city"].casefold():
            continue
        if zip_code is not None and zip_code != address["zip"]:
            continue
        if country is not None and country.casefold() != address["country"].casefold():
            continue
        found.append(company)
    return found


def find_logos(query: Mapping[str, Any], origin: str) -> list[dict[str, str]]:
    """A square logo in SVG and PNG for the query's domain (or, without one, its name),
    served from the sandbox's ``origin``."""
    slug = _NOT_IN_SLUG.sub("-", (query.get("domain") or query["name"]).casefold()).strip("-.")
    if not slug:
        return []
    return [
        {"url": f"{origin}/logos/{slug}.svg", "type": "image/svg+xml"},
        {"url": f"{origin}/logos/{slug}.png", "type": "image/png"},
    ]
