"""How model attributes are named on the wire; shared by the models and the converter."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["EXTRA", "wire", "wire_name"]

#: The attribute that holds a model's unknown fields.
EXTRA = "extra"
_WIRE = "finoos_wire"


def wire_name(name: str) -> dict[str, str]:
    """Field metadata naming an attribute's JSON key when camelCase does not give it."""
    return {_WIRE: name}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def wire(attribute: attrs.Attribute[Any]) -> str:
    """The JSON key of ``attribute``: its ``wire_name``, or its name in camelCase."""
    return str(attribute.metadata.get(_WIRE) or _camel(attribute.name))
