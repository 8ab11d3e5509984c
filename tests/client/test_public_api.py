"""The public surface: what ``finoos_async`` exports, and that each name is documented."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import subprocess
import sys

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
    # dir(), not vars(): the provisional names are attributes before their first use too.
    public = {name for name in dir(finoos_async) if not name.startswith("_")}
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


def test_provisional_services_load_on_first_use() -> None:
    """``import finoos_async`` loads no provisional module until a name or resource needs one."""
    script = """
import sys
import finoos_async
from finoos_async import AsyncFino
provisional = ("finoos_async._models.companies", "finoos_async._models.documents",
               "finoos_async._resources.companies", "finoos_async._resources.documents")
assert not any(name in sys.modules for name in provisional), sorted(sys.modules)
from finoos_async import Company, DocumentShipment
assert Company.__module__ == "finoos_async._models.companies"
fino = AsyncFino(name="n", secret="s", base_url="https://os.fino.cloud/api/v1")
assert fino.documents is fino.documents
assert fino.with_raw_response.companies is fino.with_raw_response.companies
assert all(name in sys.modules for name in provisional)
print("ok")
"""
    # A fresh interpreter: this one imported everything long ago.
    done = subprocess.run(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_runtime_dependencies_are_pinned() -> None:
    """The package needs exactly these at run time; adding one is a deliberate choice."""
    requirements = importlib.metadata.requires("finoos_async") or []
    runtime = {
        re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        for requirement in requirements
        if "extra ==" not in requirement
    }
    assert runtime == {"anyio", "attrs", "cattrs", "httpx", "sniffio"}
