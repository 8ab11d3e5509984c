"""finoos_async: the async Python SDK for the finoOS v1 banking API.

Runs on asyncio and trio. Start with ``AsyncFino``::

    async with AsyncFino(name="…", secret="…") as fino:
        user = await fino.users.create(type="person")
"""

# Private aliases: every public-looking name here is part of the API.
import importlib as _importlib
import typing as _typing

from ._bulk import ResultStream
from ._client import PRODUCTION_BASE_URL, TEST_BASE_URL, AsyncFino
from ._context import CallContext, request_context
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    DecodeError,
    FinoError,
    InternalServerError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from ._middleware import CallNext, Middleware
from ._models.banking import (
    Account,
    AccountType,
    Bank,
    Code,
    ConnectSession,
    CounterPart,
    Interval,
    Login,
    Logo,
    Security,
    StandingOrder,
    Tag,
    Transaction,
)
from ._models.users import Settings, User, UserType
from ._options import BankingCallOptions, CallOptions
from ._response import RawResponse
from ._version import __version__

if _typing.TYPE_CHECKING:
    from ._models.companies import (
        Address,
        Company,
        CompanyLogo,
        CompanyQuery,
        CompanySearchResult,
        LogoQuery,
        LogoSearchResult,
    )
    from ._models.documents import (
        DocumentShipment,
        FaxRecipient,
        LetterRecipient,
        ShipmentStatus,
        ShipmentType,
    )

# The provisional services' models load on first use: few programs use them, and
# building their classes would add a sixth to ``import finoos_async``.
_PROVISIONAL = {
    **dict.fromkeys(
        (
            "Address",
            "Company",
            "CompanyLogo",
            "CompanyQuery",
            "CompanySearchResult",
            "LogoQuery",
            "LogoSearchResult",
        ),
        "companies",
    ),
    **dict.fromkeys(
        ("DocumentShipment", "FaxRecipient", "LetterRecipient", "ShipmentStatus", "ShipmentType"),
        "documents",
    ),
}


def __getattr__(name: str) -> _typing.Any:
    area = _PROVISIONAL.get(name)
    if area is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _importlib.import_module(f"{__name__}._models.{area}")
    value = getattr(module, name)
    globals()[name] = value  # later lookups are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "PRODUCTION_BASE_URL",
    "TEST_BASE_URL",
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
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResultStream",
    "Security",
    "Settings",
    "ShipmentStatus",
    "ShipmentType",
    "StandingOrder",
    "Tag",
    "Transaction",
    "User",
    "UserType",
    "__version__",
    "request_context",
]
