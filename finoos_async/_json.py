"""JSON that keeps money exact.

The standard library reads ``2004.41`` as a binary float and cannot write a
:class:`~decimal.Decimal` as a JSON number. Both directions here keep the digits
of every non-integer number exactly as they were written, so an amount read from
the server and sent back is byte-for-byte the same number.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["dumps", "loads"]


def loads(data: bytes | str) -> Any:
    """Parse JSON, reading every number with a fraction or exponent as ``Decimal``.

    Integers stay ``int``: they are already exact. Raises ``ValueError`` on
    malformed input, nesting too deep for the parser and numbers too large for
    ``Decimal`` included.
    """
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except RecursionError:
        # A hostile or broken body nested thousands deep must be a decode error like
        # any other malformed body, not an exception the caller never expects.
        raise ValueError("JSON nested too deeply") from None
    except InvalidOperation:
        # Decimal cannot hold an exponent past its limits (``1e99999999999999999999``)
        # and raises an ArithmeticError, which no caller of a JSON parser expects.
        raise ValueError("JSON number out of range") from None


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; a server sending them has a bug we must not hide.
    raise ValueError(f"{name} is not a valid JSON number")


_encode_str = json.encoder.encode_basestring_ascii


def dumps(obj: Any, *, indent: int | None = None) -> bytes:
    """Serialise ``obj`` to JSON bytes; ``Decimal`` becomes a JSON number.

    Compact by default; ``indent`` pretty-prints for people (the ``finoos`` CLI).
    Raises ``TypeError`` for values JSON cannot hold and ``ValueError`` for a
    non-finite ``Decimal`` or ``float``.
    """
    if indent is not None:
        return _pretty(obj, " " * indent, "").encode("ascii")
    parts: list[str] = []
    _encode(obj, parts.append)
    return "".join(parts).encode("ascii")


def _pretty(obj: Any, step: str, margin: str) -> str:
    inner = margin + step
    if isinstance(obj, dict) and obj:
        items = [f"{inner}{_encode_str(str(k))}: {_pretty(v, step, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{margin}}}"
    if isinstance(obj, (list, tuple)) and obj:
        items = [inner + _pretty(v, step, inner) for v in obj]
        return "[\n" + ",\n".join(items) + f"\n{margin}]"
    parts: list[str] = []
    _encode(obj, parts.append)
    return "".join(parts)


def _encode(obj: Any, emit: Any) -> None:
    # Dispatch by exact type first: it is the common case and the cheapest test.
    if isinstance(obj, str):
        emit(_encode_str(obj))
    elif obj is None:
        emit("null")
    elif obj is True:
        emit("true")
    elif obj is False:
        emit("false")
    elif isinstance(obj, int):
        emit(int.__repr__(obj))
    elif isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"cannot encode {obj!r} as a JSON number")
        emit(str(obj))
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"cannot encode {obj!r} as a JSON number")
        emit(float.__repr__(obj))
    elif isinstance(obj, dict):
        emit("{")
        first = True
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__}")
            if not first:
                emit(",")
            first = False
            emit(_encode_str(key))
            emit(":")
            _encode(value, emit)
        emit("}")
    elif isinstance(obj, (list, tuple)):
        emit("[")
        for index, value in enumerate(obj):
            if index:
                emit(",")
            _encode(value, emit)
        emit("]")
    else:
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
