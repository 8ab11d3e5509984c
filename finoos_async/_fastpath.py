"""Generated structure functions for the models: the hot path of every decode.

cattrs' generated code calls one hook per field, and each hook may call another
(``str | None`` → optional → str); with 10,000 transactions of a dozen fields
that is most of a Get Logins decode. Here each model gets one function, compiled
once per class, that checks primitives, money and optional fields inline and
calls out only for nested models, datetimes and enums. It is registered as a
cattrs hook factory, so cattrs still drives the conversion; the detailed
converter (used to explain a failure) keeps cattrs' own generated code.

The rules are the converter's: exact JSON types (no ``bool`` for ``int``, no
float for money), aware datetimes, unknown keys kept in ``extra`` (or refused
when strict), absent optional fields left at their defaults.
"""

from __future__ import annotations

import inspect
import operator
import types
import typing
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import cattrs

__all__ = ["make_fast_structure"]

_PRIMITIVES = (str, bool, int)


def _bad(key: str, expected: str, value: Any) -> Any:
    raise ValueError(f"{key}: expected {expected}, got {type(value).__name__}")


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``; ``(tp, False)`` otherwise."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return rest[0], True
    return tp, False


def _slot_setters(cls: type[Any]) -> dict[str, Callable[[Any, Any], None]] | None:
    """Each field's slot ``__set__``, when setting the slots is all ``cls.__init__`` does.

    That holds for a slotted attrs class without validators, converters, init hooks
    or a cached hash, as every model is; for any other class, ``None``: call it.
    """
    if any(
        hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")
    ) or "__attrs_cached_hash__" in getattr(cls, "__slots__", ()):
        return None
    setters = {}
    for field in attrs.fields(cls):
        slot = inspect.getattr_static(cls, field.name, None)
        if (
            not isinstance(slot, types.MemberDescriptorType)
            or field.validator is not None
            or field.converter is not None
            or not field.init
        ):
            return None
        setters[field.name] = slot.__set__
    return setters


def make_fast_structure(
    cls: type[Any],
    converter: cattrs.Converter,
    *,
    wire: Callable[[attrs.Attribute[Any]], str],
    extra: str,
    strict: bool,
    structure_decimal: Callable[[Any, Any], Decimal],
    datetimes: dict[str, datetime],
) -> Callable[[Any, Any], Any]:
    """Compile the structure function of the attrs class ``cls``."""
    attrs.resolve_types(cls)
    fields = [a for a in attrs.fields(cls) if a.name != extra]
    keeps_extra = len(fields) != len(attrs.fields(cls))
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_bad": _bad,
        "_Decimal": Decimal,
        "_dec": structure_decimal,
        "_known": frozenset(wire(a) for a in fields),
        "_datetime": datetimes.get,
    }
    lines = [
        "def structure(o, _=None):",
        "    if type(o) is not dict:",
        "        _bad('object', 'a JSON object', o)",
        *_fetch_fields(fields, wire, namespace, keeps_extra=keeps_extra, strict=strict),
    ]
    arguments = []
    for index, field in enumerate(fields):
        key = wire(field)
        var = f"f{index}"
        arguments.append(f"{field.name}={var}")
        inner, optional = _unwrap_optional(field.type)
        required = field.default is attrs.NOTHING
        check = f"{var} is not None and " if optional or not required else ""
        if inner in _PRIMITIVES:
            namespace[f"_t{index}"] = inner
            lines.append(f"    if {check}type({var}) is not _t{index}:")
            lines.append(f"        _bad({key!r}, {inner.__name__!r}, {var})")
        elif inner is Decimal:
            lines.append(f"    if {check}type({var}) is not _Decimal:")
            lines.append(f"        {var} = _dec({var}, None)")
        elif inner is datetime:
            # Most datetimes repeat one already parsed: a lookup, no call. A miss, or a
            # value that is no string at all, goes to the hook, which parses or refuses.
            namespace[f"_h{index}"] = converter.get_structure_hook(datetime)
            lines.append(f"    if type({var}) is str:")
            lines.append(f"        t = _datetime({var})")
            lines.append(f"        {var} = t if t is not None else _h{index}({var}, None)")
            lines.append(f"    elif {var} is not None:" if check else "    else:")
            lines.append(f"        {var} = _h{index}({var}, None)")
        elif typing.get_origin(inner) is tuple and typing.get_args(inner)[1:] == (Ellipsis,):
            item = typing.get_args(inner)[0]
            namespace[f"_h{index}"] = converter.get_structure_hook(item)
            namespace[f"_i{index}"] = item
            lines.append(f"    if {var} is None:")
            lines.append(f"        {var} = ()")
            lines.append(f"    elif type({var}) is not list:")
            lines.append(f"        _bad({key!r}, 'a JSON array', {var})")
            lines.append("    else:")
            if attrs.has(item):
                # A model's hook is one of these functions, callable with the data alone:
                # map() calls it from C, without a comprehension's frame per list.
                lines.append(f"        {var} = tuple(map(_h{index}, {var}))")
            else:
                lines.append(f"        {var} = tuple([_h{index}(x, _i{index}) for x in {var}])")
        else:
            # Nested models and open enums: the type's own (cached) hook.
            # For ``X | None`` the None test is here, so X's own hook serves directly.
            target = inner if optional else field.type
            namespace[f"_h{index}"] = converter.get_structure_hook(target)
            namespace[f"_i{index}"] = target
            if optional or not required:
                lines.append(f"    if {var} is not None:")
                lines.append(f"        {var} = _h{index}({var}, _i{index})")
            else:
                lines.append(f"    {var} = _h{index}({var}, _i{index})")
    setters = _slot_setters(cls)
    if keeps_extra:
        namespace["_no_extra"] = attrs.fields_dict(cls)[extra].default
        arguments.append(f"{extra}=unknown")
    if setters is None:
        lines.append(f"    return _cls({', '.join(arguments)})")
    else:
        # What attrs' own __init__ does, minus its per-field ``object.__setattr__`` by name.
        namespace["_new"] = object.__new__
        lines.append("    m = _new(_cls)")
        for index, argument in enumerate(arguments):
            name, _, var = argument.partition("=")
            namespace[f"_s{index}"] = setters[name]
            lines.append(f"    _s{index}(m, {var})")
        lines.append("    return m")
    source = "\n".join(lines)
    exec(compile(source, f"<finoos_async structure {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - our own generated code, from our own classes
    function: Callable[[Any, Any], Any] = namespace["structure"]
    return function


def _fetch_fields(
    fields: list[attrs.Attribute[Any]],
    wire: Callable[[attrs.Attribute[Any]], str],
    namespace: dict[str, Any],
    *,
    keeps_extra: bool,
    strict: bool,
) -> list[str]:
    """Source lines that read the fields into ``f0``, ``f1``, … and unknown keys into ``unknown``.

    Unknown keys are kept only when the model keeps them, and refused when ``strict``.
    Servers send every field, ``null`` when empty, far more often than not: then one
    ``itemgetter`` call reads them all. Otherwise each is read on its own, absent
    optional fields as ``None``.
    """
    keys = [wire(field) for field in fields]
    targets = ", ".join(f"f{index}" for index in range(len(fields)))
    lines = []
    if len(keys) > 1:
        namespace["_every"] = operator.itemgetter(*keys)
        lines.append(f"    if len(o) == {len(keys)} and _known.issuperset(o):")
        lines.append(f"        {targets} = _every(o)")
        if keeps_extra:
            lines.append("        unknown = _no_extra")
        lines.append("    else:")
        indent = "        "
    else:
        indent = "    "
    lines.append(f"{indent}g = o.get")
    for index, (field, key) in enumerate(zip(fields, keys, strict=True)):
        fetch = f"o[{key!r}]" if field.default is attrs.NOTHING else f"g({key!r})"
        lines.append(f"{indent}f{index} = {fetch}")
    if keeps_extra or strict:
        lines.append(f"{indent}if not _known.issuperset(o):")
        lines.append(f"{indent}    unknown = {{k: v for k, v in o.items() if k not in _known}}")
        if strict:
            lines.append(f"{indent}    _bad('object', 'no unknown fields', unknown)")
        if keeps_extra:
            lines.append(f"{indent}else:")
            lines.append(f"{indent}    unknown = _no_extra")
    return lines
