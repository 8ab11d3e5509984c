"""A tiny router: ``"METHOD /template"`` routes matched segment by segment."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

import attrs

from ._http import Request, Response
from ._state import State

__all__ = ["Handler", "Route", "RouteMatch", "Router"]

Handler = Callable[[State, Request], Response]

_PARAM = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Route:
    """One endpoint.

    Attributes:
        method: The HTTP method.
        template: The path below the API prefix, with ``{name}`` segments.
        handler: Turns the request into a response; may raise ``HTTPError``.
        scope: The scope the account and, on per-user routes, the user must hold.
        auth: Whether an access token is required.
    """

    method: str
    template: str
    handler: Handler
    scope: str | None = None
    auth: bool = True

    @property
    def key(self) -> str:
        """The route as faults and the journal name it, e.g. ``"POST /users"``."""
        return f"{self.method} {self.template}"


@attrs.frozen
class RouteMatch:
    """The outcome of routing one request.

    Attributes:
        route: The matched route, or ``None``.
        params: The template's path parameters.
        allowed: With no ``route``: the methods the path does serve (empty means 404).
    """

    route: Route | None
    params: dict[str, str]
    allowed: tuple[str, ...] = ()


class Router:
    """Find the route for a method and path; static paths are one dict lookup."""

    def __init__(self, routes: Iterable[Route], *, prefix: str) -> None:
        self._prefix = prefix
        self._static: dict[str, dict[str, Route]] = {}
        dynamic: dict[str, dict[str, Route]] = {}
        self.routes: tuple[Route, ...] = tuple(routes)
        for route in self.routes:
            table = dynamic if _PARAM.search(route.template) else self._static
            table.setdefault(route.template, {})[route.method] = route
        self._dynamic = [(_compile(template), methods) for template, methods in dynamic.items()]

    def match(self, method: str, path: str) -> RouteMatch:
        """Route ``method`` and the full request ``path`` (including the API prefix).

        ``path`` is the raw, still percent-encoded path: an encoded ``/`` inside a path
        parameter stays part of that parameter instead of starting a new segment.
        """
        if not path.startswith(self._prefix):
            return RouteMatch(None, {})
        path = path[len(self._prefix) :]
        params: dict[str, str] = {}
        methods = self._static.get(path)
        if methods is None:
            for pattern, candidate in self._dynamic:
                found = pattern.fullmatch(path)
                if found:
                    methods = candidate
                    params = {
                        name: unquote(value) if "%" in value else value
                        for name, value in found.groupdict().items()
                    }
                    break
            else:
                return RouteMatch(None, {})
        route = methods.get(method)
        if route is None:
            return RouteMatch(None, {}, tuple(sorted(methods)))
        return RouteMatch(route, params)


def _compile(template: str) -> re.Pattern[str]:
    pattern, position = [], 0
    for param in _PARAM.finditer(template):
        pattern.append(re.escape(template[position : param.start()]))
        pattern.append(f"(?P<{param.group(1)}>[^/]+)")
        position = param.end()
    pattern.append(re.escape(template[position:]))
    return re.compile("".join(pattern))
