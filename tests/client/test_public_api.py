"""The public surface: what ``finoos_async`` exports, and that each name is documented."""

from __future__ import annotations

import inspect

import finoos_async


def test_all_is_pinned() -> None:
    """__all__ is exactly the public contract; adding or dropping a name is deliberate."""
    assert sorted(finoos_async.__all__) == [
        "APIConnectionError",
        "APIStatusError",
        "APITimeoutError",
        "Account",
        "AccountType",
        "Address",
        "AsyncFino",
        "AuthenticationError",
        "BadRequestError",
        "Bank",
        "BankingCallOptions",
        "CallContext",
        "CallNext",
        "CallOptions",
        "ClientClosedError",
        "Code",
        "Company",
        "CompanyLogo",
        "CompanyQuery",
        "CompanySearchResult",
        "ConflictError",
        "ConnectSession",
        "CounterPart",
        "DecodeError",
        "DocumentShipment",
        "FaxRecipient",
        "FinoError",
        "InternalServerError",
        "Interval",
        "InvalidInputError",
        "LetterRecipient",
        "Login",
        "Logo",
        "LogoQuery",
        "LogoSearchResult",
        "Middleware",
        "NotFoundError",
        "PRODUCTION_BASE_URL",
        "PermissionDeniedError",
        "RateLimitError",
        "RawResponse",
        "ResultStream",
        "Security",
        "Settings",
        "ShipmentStatus",
        "ShipmentType",
        "StandingOrder",
        "TEST_BASE_URL",
        "Tag",
        "Transaction",
        "User",
        "UserType",
        "__version__",
        "request_context",
    ]


def test_only_public_names_are_public() -> None:
    """Every non-underscore module attribute is exported; the rest lives in private modules."""
    public = {name for name in vars(finoos_async) if not name.startswith("_")}
    assert public - {"sandbox"} == set(finoos_async.__all__) - {"__version__"}


def test_every_public_name_has_a_docstring() -> None:
    """Every exported class and function explains itself."""
    undocumented = [
        name
        for name in finoos_async.__all__
        if (inspect.isclass(obj := getattr(finoos_async, name)) or inspect.isfunction(obj))
        and not (obj.__doc__ or "").strip()
    ]
    assert undocumented == []


def test_public_methods_have_docstrings() -> None:
    """Every public method of the client and its resources is documented."""
    client = finoos_async.AsyncFino(name="n", secret="s")
    owners = [
        client,
        client.users,
        client.banking,
        client.settings,
        client.companies,
        client.documents,
    ]
    missing = [
        f"{type(owner).__name__}.{name}"
        for owner in owners
        for name, member in inspect.getmembers(type(owner), inspect.isfunction)
        if not name.startswith("_") and not (member.__doc__ or "").strip()
    ]
    assert missing == []
