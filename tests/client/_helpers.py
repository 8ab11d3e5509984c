"""Test data shared by the client tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from finoos_async import AsyncFino, Login, _json
from finoos_async._converter import make_converter

FIXTURES = Path(__file__).parent.parent / "fixtures"

ClientFactory = Callable[..., AsyncFino]


def seed_body(name: str) -> bytes:
    """The seed's sample body ``name`` (``set_logins`` or ``get_logins``), as bytes."""
    return (FIXTURES / f"seed_{name}.json").read_bytes()


def seed_logins() -> list[Login]:
    """The seed's Step 4b logins as models."""
    data = _json.loads(seed_body("set_logins"))
    logins: list[Login] = make_converter().structure(data["logins"], list[Login])
    return logins
