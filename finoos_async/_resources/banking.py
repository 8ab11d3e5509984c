"""``fino.banking``: connect a bank login, and set or get a user's logins."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .._bulk import Progress, ResultStream
from .._call import Call, Outcome
from .._context import request_context
from .._exceptions import FinoError, InvalidInputError
from .._models.banking import ConnectSession, Login
from .._validation import check_absolute_url, path_segment
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._options import BankingCallOptions

__all__ = ["Banking"]


def _logins_path(user_id: str) -> str:
    return f"/users/{path_segment('user_id', user_id)}/banking/logins"


class Banking(Resource):
    """Banking: bank logins, accounts, transactions.

    Every method takes ``user_ip`` (the end user's IP, sent as ``User-IP``), or
    reads it from ``finoos_async.request_context``.
    """

    async def connect(
        self,
        user_id: str,
        *,
        redirect_url: str,
        error_url: str,
        exit_url: str,
        recurring: bool,
        **options: Unpack[BankingCallOptions],
    ) -> ConnectSession:
        """Open a Banking UI session for the user (``POST /users/{id}/banking/connect``).

        Send the end user to the returned ``redirect_url``; the UI sends them back
        to ``redirect_url``, ``error_url`` or ``exit_url``. The end user is
        present, so their IP is required (``user_ip=`` or ``request_context``).
        Never retried once it may have reached the server.

        Raises:
            InvalidInputError: A URL is not absolute http(s), ``recurring`` is not
                a bool, or no valid ``user_ip`` is known.
        """
        urls = {
            "redirectURL": check_absolute_url("redirect_url", redirect_url),
            "errorURL": check_absolute_url("error_url", error_url),
            "exitURL": check_absolute_url("exit_url", exit_url),
        }
        if not isinstance(recurring, bool):
            raise InvalidInputError(f"recurring must be a bool, got {recurring!r}")
        call = Call(
            "POST",
            f"/users/{path_segment('user_id', user_id)}/banking/connect",
            json={**urls, "recurring": recurring},
            has_body=True,
            repeatable=False,
            banking=True,
            requires_user_ip=True,
        )
        return await self._call(call, options, lambda o: self._client._decode(o, ConnectSession))

    async def set_logins(
        self, user_id: str, logins: Sequence[Login], **options: Unpack[BankingCallOptions]
    ) -> list[Login] | None:
        """Replace the user's bank logins (``POST /users/{id}/banking/logins``).

        Amounts go out with exactly the digits of their ``Decimal``; unknown
        fields kept from ``get_logins`` go back too, so
        ``set_logins(uid, await get_logins(uid))`` loses nothing. The call
        replaces, so it is safe to retry.

        Returns:
            The logins as the server stored them, or ``None`` when it answers 204.

        Raises:
            InvalidInputError: ``logins`` is not a sequence of ``Login``.
        """
        if isinstance(logins, (str, bytes)) or not all(isinstance(x, Login) for x in logins):
            raise InvalidInputError("logins must be a sequence of finoos_async.Login")
        call = Call(
            "POST",
            _logins_path(user_id),
            json={"logins": self._client._encode(list(logins))},
            has_body=True,
            banking=True,
        )
        return await self._call(call, options, self._parse_stored)

    def _parse_stored(self, outcome: Outcome) -> list[Login] | None:
        if outcome.response.status_code == 204 or not outcome.response.content:
            return None
        return self._parse_logins(outcome)

    async def get_logins(self, user_id: str, **options: Unpack[BankingCallOptions]) -> list[Login]:
        """Get the user's bank logins with accounts, transactions, standing orders, securities.

        (``GET /users/{id}/banking/logins``.)
        """
        call = Call("GET", _logins_path(user_id), banking=True)
        return await self._call(call, options, self._parse_logins)

    def _parse_logins(self, outcome: Outcome) -> list[Login]:
        logins: list[Login] = self._client._decode(outcome, list[Login], key="logins")
        return logins

    def iter_logins(
        self,
        user_ids: Iterable[str],
        *,
        concurrency: int = 10,
        progress: Progress | None = None,
        request_id_prefix: str | None = None,
        **options: Unpack[BankingCallOptions],
    ) -> ResultStream[list[Login]]:
        """Fetch many users' logins concurrently, yielding ``(user_id, result)`` as they finish.

        ``result`` is the user's ``list[Login]``, or the ``FinoError`` that call
        ended with: one failure never stops the others. At most ``concurrency``
        calls are in flight and at most ``concurrency`` results wait for you, so
        any number of ids streams in bounded memory (``user_ids`` may be a lazy
        iterator). On 429s the number in flight halves, then grows back by one
        per round of successes. Leaving the loop early cancels what is in flight::

            async for user_id, result in fino.banking.iter_logins(ids, concurrency=50):
                if isinstance(result, FinoError):
                    print(user_id, "failed:", result)
                else:
                    store(user_id, result)

        Args:
            user_ids: The users to fetch.
            concurrency: The most calls in flight at once.
            progress: Called as ``progress(done, total)`` after each result
                (``total`` is ``None`` when ``user_ids`` has no ``len()``).
            request_id_prefix: Prefix of each call's fresh ``X-Request-ID``.
            **options: ``BankingCallOptions`` applied to each call (``user_ip``,
                ``deadline``, ``timeout``, ...).
        """
        spawner = self._client._background()

        async def fetch(user_id: str) -> list[Login]:
            with contextlib.ExitStack() as stack:
                if request_id_prefix is not None:
                    stack.enter_context(request_context(request_id_prefix=request_id_prefix))
                return await self._client.banking.get_logins(user_id, **options)

        return ResultStream(
            fetch, user_ids, concurrency=concurrency, spawner=spawner, progress=progress
        )

    async def get_logins_many(
        self,
        user_ids: Iterable[str],
        *,
        concurrency: int = 10,
        progress: Progress | None = None,
        request_id_prefix: str | None = None,
        **options: Unpack[BankingCallOptions],
    ) -> dict[str, list[Login] | FinoError]:
        """Fetch many users' logins concurrently; a mapping in the order of ``user_ids``.

        Each value is the user's logins or the ``FinoError`` its call ended with.
        Duplicate ids are fetched once. Takes the same arguments as
        ``iter_logins``.
        """
        unique = list(dict.fromkeys(user_ids))
        results: dict[str, Any] = dict.fromkeys(unique)
        stream = self.iter_logins(
            unique,
            concurrency=concurrency,
            progress=progress,
            request_id_prefix=request_id_prefix,
            **options,
        )
        async with stream:
            async for user_id, result in stream:
                results[user_id] = result
        return results
