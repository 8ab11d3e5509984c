"""``fino.settings``: the account's settings (Get Settings; provisional)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._call import Call
from .._models.users import Settings
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._options import CallOptions

__all__ = ["SettingsResource"]


class SettingsResource(Resource):
    """The account's settings."""

    async def get(self, **options: Unpack[CallOptions]) -> Settings:
        """The account's API version and scopes (``GET /settings``; provisional shape)."""
        call = Call("GET", "/settings")
        return await self._call(call, options, lambda o: self._client._decode(o, Settings))
