"""The one cattrs converter that turns finoOS JSON into models and back.

Rules it enforces, for every model:

- snake_case attributes map to the API's camelCase names; a field whose wire name
  is irregular (``accountID``, ``redirectURL``) says so with :func:`wire_name`;
- money is ``Decimal`` taken from the JSON text (see ``_json``), never a float;
- datetimes are timezone-aware (``Z`` becomes UTC) and go back out with ``Z``;
- a string enum accepts values it does not know, kept as plain ``str``;
- fields the model does not know are kept in its ``extra`` mapping and sent back
  when the model is sent back, so nothing the server said is lost.

``strict=True`` turns the last two into errors, for catching API drift in CI.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._fastpath import make_fast_structure
from ._wire import EXTRA, wire_name
from ._wire import wire as _wire

__all__ = ["EXTRA", "format_datetime", "make_converter", "wire_name"]

T = TypeVar("T")


def make_converter(*, strict: bool = False, detailed: bool = False) -> cattrs.Converter:
    """Build the converter for the finoOS models.

    With ``strict`` an unknown field or enum value raises instead of being kept.
    ``detailed`` collects every problem with its path (``$.accounts[0].balance``)
    at some cost in speed: the client decodes with a fast converter and, only
    when that fails, decodes again with a detailed one to say what went wrong.
    """
    converter = cattrs.Converter(detailed_validation=detailed)

    converter.register_structure_hook(str, _exact(str))
    converter.register_structure_hook(bool, _exact(bool))
    converter.register_structure_hook(int, _exact(int))
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, lambda value: value)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, format_datetime)
    if not detailed:
        # Specialised per type, instead of cattrs' generic dispatch per value; the
        # detailed converter keeps cattrs' own, which record list indexes in paths.
        converter.register_structure_hook_factory(
            _is_optional, lambda tp: _structure_optional(tp, converter)
        )
        converter.register_structure_hook_factory(
            _is_array, lambda tp: _structure_array(tp, converter)
        )
    converter.register_structure_hook_factory(
        _is_open_enum, lambda tp: _structure_open_enum(tp, strict)
    )
    if detailed:
        converter.register_structure_hook_factory(
            attrs.has, lambda cls: _structure_model(cls, converter, strict)
        )
    else:
        converter.register_structure_hook_factory(
            attrs.has,
            lambda cls: make_fast_structure(
                cls,
                converter,
                wire=_wire,
                extra=EXTRA,
                strict=strict,
                structure_decimal=_structure_decimal,
                datetimes=DATETIMES,
            ),
        )
    converter.register_unstructure_hook_factory(
        attrs.has, lambda cls: _unstructure_model(cls, converter)
    )
    return converter


def _structure_model(
    cls: type[T], converter: cattrs.Converter, strict: bool
) -> Callable[[Any, Any], T]:
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # only called for attrs classes
    keeps_extra = any(a.name == EXTRA for a in fields)
    overrides = {a.name: override(rename=_wire(a)) for a in fields if a.name != EXTRA}
    if keeps_extra:
        overrides[EXTRA] = override(omit=True)
    base = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=strict,
        **overrides,  # type: ignore[arg-type]
    )
    if strict or not keeps_extra:
        return base
    known = frozenset(_wire(a) for a in fields if a.name != EXTRA)

    def structure(value: Any, _: Any) -> T:
        model = base(value, cls)
        # Only the rare object with unknown keys pays for a second construction.
        if not known.issuperset(value):
            unknown = {key: item for key, item in value.items() if key not in known}
            model = attrs.evolve(model, **{EXTRA: unknown})  # type: ignore[misc]
        return model

    return structure


def _unstructure_model(cls: type[T], converter: cattrs.Converter) -> Callable[[T], Any]:
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # only called for attrs classes
    keeps_extra = any(a.name == EXTRA for a in fields)
    overrides = {
        # An optional field the model left at None was absent on the wire: keep it absent.
        a.name: override(rename=_wire(a), omit_if_default=a.default is None)
        for a in fields
        if a.name != EXTRA
    }
    if keeps_extra:
        overrides[EXTRA] = override(omit=True)
    base = make_dict_unstructure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    if not keeps_extra:
        return base

    def unstructure(model: T) -> dict[str, Any]:
        payload = base(model)
        extra: Mapping[str, Any] = getattr(model, EXTRA)
        for key, value in extra.items():
            payload.setdefault(key, value)
        return payload

    return unstructure


def _exact(cls: type[T]) -> Callable[[Any, Any], T]:
    # cattrs would call ``bool("false")`` or ``str({...})``; a wrong JSON type is an error.
    def structure(value: Any, _: Any) -> T:
        if type(value) is not cls:
            raise ValueError(f"expected {cls.__name__}, got {type(value).__name__}")
        return value

    return structure


def _structure_decimal(value: Any, _: Any) -> Decimal:
    # ``bool`` is an ``int``; a float would already have lost digits. Both are refused.
    if type(value) is Decimal:
        return value
    if type(value) is int:
        return Decimal(value)
    raise ValueError(f"expected a JSON number, got {type(value).__name__}")


def _structure_datetime(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 string, got {type(value).__name__}")
    parsed = DATETIMES.get(value)
    if parsed is None:
        try:
            parsed = _parse_datetime(value)
        except ValueError:
            # ``fromisoformat`` quotes the text in its message, and the DecodeError chains
            # it: a logged traceback would carry the server's data into the logs.
            raise ValueError("expected an ISO 8601 datetime") from None
        if len(DATETIMES) >= _DATETIMES_KEPT:
            DATETIMES.clear()
        DATETIMES[value] = parsed
    return parsed


#: Parsed datetimes by their text. Bank data repeats timestamps (a booking and its
#: value date, a day's bookings) and a datetime is immutable, so one parsed object
#: serves every repeat; the decoder's generated code looks here before calling out.
DATETIMES: dict[str, datetime] = {}
_DATETIMES_KEPT = 4096


def _parse_datetime(text: str) -> datetime:
    parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    # The API documents UTC with a ``Z``; a bare time is read as UTC, never as local time.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def format_datetime(value: datetime) -> str:
    """Format an aware datetime the way the API writes them (``2020-05-26T17:11:22Z``)."""
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; give a timezone-aware datetime")
    offset = value.utcoffset()
    text = value.replace(tzinfo=None).isoformat(timespec="seconds")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    if not offset:
        return text + "Z"
    return text + _format_offset(offset)


def _format_offset(offset: timedelta) -> str:
    # ``±HH:MM``, and the seconds only when there are some: an offset read from
    # ``+01:00:30`` goes back out as it came (``%z`` would write ``+01:0030``).
    sign = "-" if offset < timedelta(0) else "+"
    minutes, rest = divmod(abs(offset), timedelta(minutes=1))
    text = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    if rest:
        text += f":{rest.seconds:02d}"
        if rest.microseconds:
            text += f".{rest.microseconds:06d}"
    return text


def _is_optional(tp: Any) -> bool:
    """``X | None`` for a single ``X`` (open enums, ``E | str | None``, are handled apart)."""
    origin = typing.get_origin(tp)
    if origin is not typing.Union and origin is not types.UnionType:
        return False
    args = typing.get_args(tp)
    return len(args) == 2 and type(None) in args


def _structure_optional(tp: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' generic Optional handling dispatches on every value; resolve the hook once.
    (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
    if inner in (str, bool, int):
        # The most common fields: checked inline, one call per field instead of two.
        def structure_primitive(value: Any, _: Any) -> Any:
            if value is None or type(value) is inner:
                return value
            raise ValueError(f"expected {inner.__name__}, got {type(value).__name__}")

        return structure_primitive
    if inner is Decimal:

        def structure_money(value: Any, _: Any) -> Any:
            if value is None or type(value) is Decimal:
                return value
            return _structure_decimal(value, Decimal)

        return structure_money
    hook = converter.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _is_array(tp: Any) -> bool:
    """``list[X]`` or ``tuple[X, ...]``: a JSON array whose items are all ``X``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        return len(args) == 1
    return origin is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_array(tp: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' own list hook iterates whatever it is given: ``{"logins": {}}`` or
    # ``{"logins": ""}`` would quietly decode as no logins. Only a JSON array is one.
    item = typing.get_args(tp)[0]
    hook = converter.get_structure_hook(item)
    as_tuple = typing.get_origin(tp) is tuple

    def structure(value: Any, _: Any) -> list[Any] | tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValueError(f"expected a JSON array, got {type(value).__name__}")
        items = [hook(element, item) for element in value]
        return tuple(items) if as_tuple else items

    return structure


def _open_enum_members(tp: Any) -> tuple[type[enum.Enum], bool] | None:
    """For ``SomeStrEnum | str`` (optionally ``| None``), the enum and whether None is allowed."""
    origin = typing.get_origin(tp)
    if origin is not typing.Union and origin is not types.UnionType:
        return None
    args = typing.get_args(tp)
    optional = type(None) in args
    rest = [a for a in args if a is not type(None)]
    if len(rest) != 2 or str not in rest:
        return None
    (enum_cls,) = (a for a in rest if a is not str)
    if not (isinstance(enum_cls, type) and issubclass(enum_cls, enum.Enum)):
        return None
    return enum_cls, optional


def _is_open_enum(tp: Any) -> bool:
    return _open_enum_members(tp) is not None


def _structure_open_enum(tp: Any, strict: bool) -> Callable[[Any, Any], Any]:
    members = _open_enum_members(tp)
    assert members is not None  # guaranteed by _is_open_enum
    enum_cls, optional = members
    by_value = {member.value: member for member in enum_cls}

    def structure(value: Any, _: Any) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {type(value).__name__}")
        member = by_value.get(value)
        if member is not None:
            return member
        if strict:
            raise ValueError(f"{value!r} is not a known {enum_cls.__name__}")
        return value

    return structure
