"""What every model shares: the ``extra`` field that keeps unknown keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["extra_field"]


def extra_field() -> Any:
    """The ``extra`` attribute: JSON keys this SDK version does not model.

    They are kept exactly as received and sent back when the model is sent back,
    so a newer server's fields survive a read-modify-write through an older SDK.
    """
    return attrs.field(factory=dict, repr=_repr_extra)


def _repr_extra(value: Mapping[str, Any]) -> str:
    return repr(dict(value))
