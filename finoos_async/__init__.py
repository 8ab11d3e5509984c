"""finoos_async: the async Python SDK for the finoOS v1 banking API.

Runs on asyncio and trio. Start with ``AsyncFino``::

    async with AsyncFino(name="…", secret="…") as fino:
        user = await fino.users.create(type="person")
"""

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
from ._models.users import Settings, User, UserType
from ._options import BankingCallOptions, CallOptions
from ._response import RawResponse
from ._version import __version__

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
