"""The finoOS endpoints and the route table that names them.

To serve a new endpoint, write a handler and add a :class:`Route` to :data:`ROUTES`
with the scope it belongs to; the pipeline does authentication, scopes and the
per-user 404 from that table.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .._json import dumps, loads
from ._directory import find_companies, find_logos
from ._http import HTTPError, Request, Response, json_response
from ._logins import LoginsError, store_logins
from ._router import Route
from ._state import State, TokenPair

__all__ = ["API_PREFIX", "ROUTES", "SHIPMENT_TYPES", "USER_TYPES"]

API_PREFIX = "/api/v1"
USER_TYPES = ("person", "company")
SHIPMENT_TYPES = ("fax", "letter")
# The recipient fields each shipment type needs (provisional shapes).
_RECIPIENT_FIELDS = {
    "fax": ("faxNumber",),
    "letter": ("name", "street", "zip", "city", "country"),
}
_PDF_MAGIC = b"%PDF-"
_CONNECT_URLS = ("redirectURL", "errorURL", "exitURL")
_JSON = (b"content-type", b"application/json")


def _seconds(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _tokens(pair: TokenPair) -> Response:
    return json_response(
        200,
        {
            "accessToken": pair.access_token,
            "refreshToken": pair.refresh_token,
            "expiresIn": _seconds(pair.expires_in),
            "refreshExpiresIn": _seconds(pair.refresh_expires_in),
        },
    )


def authenticate(state: State, request: Request) -> Response:
    payload = request.json_object()
    if not state.credentials_match(payload.get("name"), payload.get("secret")):
        raise HTTPError(401, "Unauthorized. Invalid name or secret")
    return _tokens(state.issue_tokens())


def refresh(state: State, request: Request) -> Response:
    # The spent refresh token dies here; the access token issued with it lives on
    # until its own expiry, as a JWT would.
    payload = request.json_object()
    if not state.credentials_match(payload.get("name"), payload.get("secret")):
        raise HTTPError(401, "Unauthorized. Invalid name or secret")
    token = payload.get("refreshToken")
    if not isinstance(token, str) or not state.spend_refresh_token(token):
        raise HTTPError(401, "Unauthorized. Invalid or expired refresh token")
    return _tokens(state.issue_tokens())


def get_settings(state: State, request: Request) -> Response:
    return json_response(200, {"apiVersion": state.api_version, "scopes": list(state.scopes)})


def create_user(state: State, request: Request) -> Response:
    user_type = request.json_object().get("type")
    if user_type not in USER_TYPES:
        raise HTTPError(400, "Bad Request. type must be 'person' or 'company'")
    return json_response(200, {"id": state.create_user(user_type).id})


def get_user(state: State, request: Request) -> Response:
    user = request.user
    return json_response(200, {"id": user.id, "type": user.type, "scopes": list(user.scopes)})


def delete_user(state: State, request: Request) -> Response:
    state.delete_user(request.user.id)
    return Response(204)


def add_scope(state: State, request: Request) -> Response:
    name = request.json_object().get("name")
    if not isinstance(name, str) or not name:
        raise HTTPError(400, "Bad Request. name must be a scope name")
    if name not in state.scopes:
        raise HTTPError(403, "Forbidden. No access to this resource")
    if name not in request.user.scopes:
        request.user.scopes.append(name)
    return Response(204)


def create_connect_session(state: State, request: Request) -> Response:
    try:
        ipaddress.ip_address(request.headers.get("user-ip", "").strip())
    except ValueError:
        raise HTTPError(400, "Bad Request. User-IP must be the end user's IP address") from None
    payload = request.json_object()
    urls = {}
    for field in _CONNECT_URLS:
        url = payload.get(field)
        if not isinstance(url, str) or not _absolute_http_url(url):
            raise HTTPError(400, f"Bad Request. {field} must be an absolute http(s) URL")
        urls[field] = url
    recurring = payload.get("recurring")
    if not isinstance(recurring, bool):
        raise HTTPError(400, "Bad Request. recurring must be a boolean")
    session = state.create_session(
        request.user.id,
        redirect_url=urls["redirectURL"],
        error_url=urls["errorURL"],
        exit_url=urls["exitURL"],
        recurring=recurring,
    )
    return json_response(
        200, {"redirectURL": f"{request.origin}{API_PREFIX}/ui/connect/{session.id}"}
    )


def _absolute_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a bad port or a broken IPv6 literal
        return False


def set_logins(state: State, request: Request) -> Response:
    try:
        payload: Any = loads(request.body)
    except (ValueError, RecursionError):
        raise HTTPError(400, "Bad Request. The body is not valid JSON") from None
    try:
        logins = store_logins(payload)
    except LoginsError as exc:
        raise HTTPError(400, f"Bad Request. {exc}") from None
    request.user.logins = dumps({"logins": logins})
    return Response(200, request.user.logins, [_JSON])


def get_logins(state: State, request: Request) -> Response:
    return Response(200, request.user.logins, [_JSON])


def search_companies(state: State, request: Request) -> Response:
    queries = _queries(request, _check_company_query)
    results = [{"query": query, "companies": find_companies(query)} for query in queries]
    return json_response(200, {"results": results})


def search_logos(state: State, request: Request) -> Response:
    queries = _queries(request, _check_logo_query)
    results = [{"query": query, "logos": find_logos(query, request.origin)} for query in queries]
    return json_response(200, {"results": results})


def _queries(
    request: Request, check: Callable[[str, dict[str, Any]], None]
) -> list[dict[str, Any]]:
    """The body's ``queries``, each checked; they are echoed back as received."""
    queries = request.json_object().get("queries")
    if not isinstance(queries, list) or not queries:
        raise HTTPError(400, "Bad Request. queries must be a non-empty array")
    for index, query in enumerate(queries):
        where = f"queries[{index}]"
        if not isinstance(query, dict):
            raise HTTPError(400, f"Bad Request. {where} must be an object")
        check(where, query)
    return queries


def _check_company_query(where: str, query: dict[str, Any]) -> None:
    name = query.get("name")
    if not isinstance(name, str) or not name.strip():
        raise HTTPError(400, f"Bad Request. {where}.name must be a non-empty string")
    _optional_strings(where, query, ("city", "zip", "country"))


def _check_logo_query(where: str, query: dict[str, Any]) -> None:
    _optional_strings(where, query, ("name", "domain"))
    given = [query[field] for field in ("name", "domain") if query.get(field) is not None]
    if not given:
        raise HTTPError(400, f"Bad Request. {where} needs a name or a domain")
    if not all(value.strip() for value in given):
        raise HTTPError(400, f"Bad Request. {where}.name and .domain must not be empty")


def _optional_strings(where: str, query: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        value = query.get(field)
        if value is not None and not isinstance(value, str):
            raise HTTPError(400, f"Bad Request. {where}.{field} must be a string")


def send_document(state: State, request: Request) -> Response:
    payload = request.json_object()
    kind = payload.get("type")
    if kind not in SHIPMENT_TYPES:
        raise HTTPError(400, "Bad Request. type must be 'fax' or 'letter'")
    recipient = payload.get("recipient")
    if not isinstance(recipient, dict):
        raise HTTPError(400, "Bad Request. recipient must be an object")
    for field in _RECIPIENT_FIELDS[kind]:
        value = recipient.get(field)
        if not isinstance(value, str) or not value.strip():
            raise HTTPError(400, f"Bad Request. recipient.{field} must be a non-empty string")
    shipment = state.create_shipment(kind, recipient, _pdf(payload.get("document")))
    return json_response(200, {"id": shipment.id, "status": state.shipment_status(shipment)})


def _pdf(document: Any) -> bytes:
    """The PDF inside a ``document`` object, or a 400."""
    if not isinstance(document, dict):
        raise HTTPError(400, "Bad Request. document must be an object")
    if document.get("contentType") != "application/pdf":
        raise HTTPError(400, "Bad Request. document.contentType must be 'application/pdf'")
    content = document.get("content")
    if not isinstance(content, str):
        raise HTTPError(400, "Bad Request. document.content must be a base64 string")
    try:
        pdf = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise HTTPError(400, "Bad Request. document.content is not valid base64") from None
    if not pdf.startswith(_PDF_MAGIC):
        raise HTTPError(400, "Bad Request. document.content is not a PDF")
    return pdf


def get_shipment(state: State, request: Request) -> Response:
    shipment = state.shipments.get(request.params["shipmentID"])
    if shipment is None:
        raise HTTPError(404, "Not Found. No document shipment with this id")
    created_at = state.wall_time(shipment.created_at).isoformat(timespec="seconds")
    return json_response(
        200,
        {
            "id": shipment.id,
            "type": shipment.type,
            "status": state.shipment_status(shipment),
            "createdAt": created_at.replace("+00:00", "Z"),
        },
    )


ROUTES = (
    Route("POST", "/auth", authenticate, auth=False),
    Route("POST", "/auth/refresh", refresh, auth=False),
    Route("GET", "/settings", get_settings),
    Route("POST", "/users", create_user),
    Route("GET", "/users/{userID}", get_user),
    Route("DELETE", "/users/{userID}", delete_user),
    Route("POST", "/users/{userID}/scopes", add_scope),
    Route("POST", "/users/{userID}/banking/connect", create_connect_session, scope="banking"),
    Route("POST", "/users/{userID}/banking/logins", set_logins, scope="banking"),
    Route("GET", "/users/{userID}/banking/logins", get_logins, scope="banking"),
    # Provisional: named in the changelog, shapes not yet documented.
    Route("POST", "/companies/search", search_companies, scope="companies"),
    Route("POST", "/companies/logos/search", search_logos, scope="companies"),
    Route("POST", "/documentshipment", send_document, scope="documentshipment"),
    Route("GET", "/documentshipment/{shipmentID}", get_shipment, scope="documentshipment"),
)
"""Every endpoint the sandbox serves, below :data:`API_PREFIX`."""
