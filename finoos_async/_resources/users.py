"""``fino.users``: Create, Get and Delete User, Add Scope To User."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._call import Call
from .._exceptions import InvalidInputError
from .._models.users import User, UserType
from .._validation import check_header_value, path_segment
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._options import CallOptions

__all__ = ["Users"]

_USER_TYPES = frozenset(t.value for t in UserType)


class Users(Resource):
    """Users: who the bank data belongs to."""

    async def create(self, *, type: UserType | str, **options: Unpack[CallOptions]) -> User:
        """Create a user (``POST /users``).

        Not retried once the request may have reached the server: a retry could
        create a second user. If that happens the ``APIConnectionError`` has
        ``request_sent=True``.

        Args:
            type: ``"person"`` or ``"company"`` (or the ``UserType`` members).

        Returns:
            The new user; only ``id`` is set (Create User answers with the id only).

        Raises:
            InvalidInputError: ``type`` is not ``person`` or ``company``.
        """
        value = type.value if isinstance(type, UserType) else type
        if value not in _USER_TYPES:
            raise InvalidInputError(f"type must be 'person' or 'company', got {type!r}")
        call = Call("POST", "/users", json={"type": value}, has_body=True, repeatable=False)
        return await self._call(call, options, lambda o: self._client._decode(o, User))

    async def get(self, user_id: str, **options: Unpack[CallOptions]) -> User:
        """Get a user with its type and scopes (``GET /users/{id}``; provisional shape)."""
        call = Call("GET", f"/users/{path_segment('user_id', user_id)}")
        return await self._call(call, options, lambda o: self._client._decode(o, User))

    async def delete(self, user_id: str, **options: Unpack[CallOptions]) -> None:
        """Delete a user and its data (``DELETE /users/{id}``; provisional)."""
        call = Call("DELETE", f"/users/{path_segment('user_id', user_id)}")
        await self._call(call, options, lambda o: None)

    async def add_scope(self, user_id: str, scope: str, **options: Unpack[CallOptions]) -> None:
        """Grant a user a scope, e.g. ``"banking"`` (``POST /users/{id}/scopes``; provisional).

        Raises:
            InvalidInputError: ``scope`` is empty.
        """
        if not isinstance(scope, str) or not scope.strip():
            raise InvalidInputError(f"scope must be a non-empty string, got {scope!r}")
        check_header_value("scope", scope)
        call = Call(
            "POST",
            f"/users/{path_segment('user_id', user_id)}/scopes",
            json={"name": scope},
            has_body=True,
        )
        await self._call(call, options, lambda o: None)
