"""Hypothesis strategies for Get Logins bodies: valid ones, and hostile mutations of them.

Bodies are built as a tree of plain JSON values and rendered by ``render`` (not by the
SDK's encoder, so the SDK is tested against text it did not write). A ``Raw`` leaf is
written verbatim: that is how numbers keep the exact spelling drawn for them (``1.50e-7``,
``-12E+3``) and how hostile text that no encoder would produce (``[`` a hundred thousand
times, ``1e99999999999999999999``, ``NaN``) gets into a body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import attrs
from hypothesis import strategies as st

from ._schema import ENUM_VALUES, MODELS, REQUIRED, Kind

__all__ = [
    "SECRET",
    "Raw",
    "ValidBody",
    "hostile_bodies",
    "render",
    "retyped_bodies",
    "valid_bodies",
]

#: A value that must never show up in an error message or traceback (an IBAN-like marker).
SECRET = "DE89SECRET7700012345"


@attrs.frozen
class Raw:
    """JSON text written into the body exactly as given."""

    text: str


@attrs.frozen
class ValidBody:
    """A body the contract allows, with the datetime each datetime text in it stands for."""

    body: bytes
    tree: dict[str, Any]
    datetimes: dict[str, datetime]


def render(value: Any) -> str:
    """The JSON text of a tree of dicts, lists, strings, ints, bools, ``None`` and ``Raw``."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(render(v) for v in value) + "]"
    return json.dumps(value)


# -- valid values ---------------------------------------------------------------------------


_WHOLE = st.integers(0, 10**30 - 1) | st.integers(0, 999)
_FRACTION = st.none() | st.text("0123456789", min_size=1, max_size=30)
_EXPONENT = st.none() | st.builds(
    lambda e, sign, n, zeros: f"{e}{sign}{'0' * zeros}{n}",
    st.sampled_from("eE"),
    st.sampled_from(["", "+", "-"]),
    st.integers(0, 40),
    st.integers(0, 2),
)
_SIGN = st.sampled_from(["", "-"])


@st.composite
def money_texts(draw: st.DrawFn) -> str:
    """A JSON number with up to 30 integer and 30 fraction digits and an exponent up to ±40."""
    whole, fraction, exponent = str(draw(_WHOLE)), draw(_FRACTION), draw(_EXPONENT)
    sign = draw(_SIGN)
    if fraction is None and exponent is None and whole == "0":
        sign = ""  # a JSON integer -0 is the int 0: equal, but its sign is not kept
    return sign + whole + (f".{fraction}" if fraction else "") + (exponent or "")


MONEY = money_texts()
_OFFSET_MINUTES = st.integers(-(23 * 60 + 59), 23 * 60 + 59)
_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
_TIMES = st.times()
_DIGITS = st.sampled_from([0, 3, 6])
_ZONES = st.sampled_from(["Z", "z", "+00:00", "", "+HH:MM", "+HH:MM", "+HH:MM:SS"])
_SECONDS = st.integers(0, 59)
_MICROSECONDS = st.just(0) | st.integers(0, 999_999)


@st.composite
def datetime_texts(draw: st.DrawFn) -> tuple[str, datetime]:
    """An ISO 8601 text as the contract writes them (or a plain date) and its aware datetime.

    Only the forms Python 3.10's ``fromisoformat`` reads too: 0, 3 or 6 fraction digits;
    ``Z``, an offset ``±HH:MM`` (rarely ``±HH:MM:SS[.ffffff]``) or none (read as UTC).
    """
    day = draw(_DAYS)
    if draw(_SMALL) == 0:
        return day.isoformat(), datetime.combine(day, time(), tzinfo=timezone.utc)
    clock = draw(_TIMES)
    digits = draw(_DIGITS)
    microsecond = clock.microsecond - clock.microsecond % 10 ** (6 - digits)
    clock = clock.replace(microsecond=microsecond)
    text = f"{day.isoformat()}T{clock:%H:%M:%S}"
    if digits:
        text += f".{microsecond:06d}"[: digits + 1]
    zone = draw(_ZONES)
    offset = timedelta(minutes=draw(_OFFSET_MINUTES)) if zone.startswith("+HH") else timedelta()
    if zone == "+HH:MM:SS":  # RFC 3339 stops at minutes; Python's ISO 8601 reading does not
        offset += timedelta(seconds=draw(_SECONDS), microseconds=draw(_MICROSECONDS))
    if zone.startswith("+HH"):
        sign = "-" if offset < timedelta() else "+"
        size = abs(offset)
        minutes, seconds = divmod(size.seconds, 60)
        text += f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
        if zone == "+HH:MM:SS":
            text += f":{seconds:02d}" + (f".{size.microseconds:06d}" if size.microseconds else "")
    else:
        text += zone
    moment = datetime.combine(day, clock, tzinfo=timezone(offset))
    return text, moment


_NEAR_MISS_KEYS = ["Id", "ID", "accountId", "IBAN", "bankcode", "booking_date", "extra", ""]


def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Any JSON value, numbers in every spelling included (as ``Raw``)."""
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | MONEY.map(Raw)
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


JSON_VALUES = json_values()
_TEXT = st.text(max_size=12)
_SMALL = st.integers(0, 9)
_DATETIMES = datetime_texts()
_INTS = st.integers(-(2**70), 2**70)
_ENUMS = {
    key: st.sampled_from(values) | st.text(max_size=10) for key, values in ENUM_VALUES.items()
}
_EXTRAS = {
    name: st.dictionaries(
        (st.sampled_from(_NEAR_MISS_KEYS) | st.text(max_size=10)).filter(
            lambda key, known=fields: key not in known  # type: ignore[misc]
        ),
        JSON_VALUES,
        max_size=2,
    )
    for name, fields in MODELS.items()
}


class _Draw:
    """Draws one valid body, remembering the datetime behind each datetime text."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.datetimes: dict[str, datetime] = {}

    def model(self, name: str, depth: int) -> dict[str, Any]:
        draw = self.draw
        required = REQUIRED.get(name, set())
        obj: dict[str, Any] = {}
        for key, kind in MODELS[name].items():
            if key in required:
                obj[key] = draw(_TEXT)
            elif draw(_SMALL) < 7:  # most fields present
                obj[key] = self.value(key, kind, depth)
        obj.update(draw(_EXTRAS[name]))
        order = draw(st.permutations(list(obj)))
        return {key: obj[key] for key in order}

    def value(self, key: str, kind: Kind, depth: int) -> Any:
        draw = self.draw
        if draw(_SMALL) == 0:
            return None  # null is "absent" for every optional field
        if kind == "str":
            return draw(_TEXT)
        if kind == "enum":
            return draw(_ENUMS[key])
        if kind == "bool":
            return draw(st.booleans())
        if kind == "int":
            return draw(_INTS)
        if kind == "money":
            return Raw(draw(MONEY))
        if kind == "datetime":
            text, moment = draw(_DATETIMES)
            self.datetimes[text] = moment
            return text
        shape, name = kind
        if shape == "model":
            return self.model(name, depth + 1)
        size = draw(_SIZES[depth < 2])
        return [self.model(name, depth + 1) for _ in range(size)]


_SIZES = {True: st.integers(0, 3), False: st.integers(0, 1)}
_ROOT_EXTRAS = st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=2)


@st.composite
def valid_bodies(draw: st.DrawFn) -> ValidBody:
    """A Get Logins body the contract allows: every field kind, unknown fields at every level."""
    builder = _Draw(draw)
    logins = [builder.model("Login", 0) for _ in range(draw(_SIZES[True]))]
    tree: dict[str, Any] = {"logins": logins}
    tree.update(draw(_ROOT_EXTRAS))
    return ValidBody(render(tree).encode("ascii"), tree, builder.datetimes)


# -- hostile values -------------------------------------------------------------------------

HOSTILE_VALUES: list[Any] = [
    None,
    "",
    0,
    -1,
    True,
    False,
    [],
    {},
    [{}],
    "x",
    "1.5",
    "null",
    SECRET,
    Raw("1e999999"),
    Raw("-1E-999999"),
    Raw("1e99999999999999999999"),
    Raw("-1.5E-99999999999999999999"),
    Raw("9" * 400),
    Raw("-" + "9" * 400),
    Raw("9" * 5000),
    Raw("0." + "0" * 400 + "1"),
    Raw("[" * 100_000),
    Raw('{"a":' * 50_000),
    Raw("NaN"),
    Raw("-Infinity"),
    Raw('"\\ud800"'),
    "2020-13-45T25:61:61Z",
    "2020-05-26T17:11:22+24:00",
    "2020-05-26T17:11:22ZZ",
    f"2020-05-26T17:11:22{SECRET}",
    "GIRO",
]


# Copied on every draw: a shared ``[]`` appended into one tree and then mutated inside it
# would change HOSTILE_VALUES itself, and a later tree could end up containing itself.
_HOSTILE = st.sampled_from(HOSTILE_VALUES).map(lambda value: _copy(value))
_VALID = valid_bodies()
_MUTATIONS = st.integers(1, 3)
_TREE_ACTIONS = st.sampled_from(["replace", "retype", "random", "delete", "add", "wrap"])
# Fields whose JSON type is not a string: a string there (a secret one, say) is wrong.
_TYPED_FIELDS = frozenset(
    key for fields in MODELS.values() for key, kind in fields.items() if kind not in ("str", "enum")
)
_WRONG = st.sampled_from(
    [SECRET, f"2020-05-26T17:11:22{SECRET}", f"{SECRET}Z", "", "1.5", 1, True, {}, [SECRET]]
).map(lambda value: _copy(value))
_TEXT_ACTIONS = st.sampled_from(["truncate", "insert", "overwrite", "cut", "encode", "append"])
_ENCODINGS = st.sampled_from(["utf-16", "utf-16-be", "utf-32-le", "utf-8-sig"])
_TAILS = st.sampled_from([b"}", b"]", b" x", b"{}", b"\xff", b"\x00"])


def _slots(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every position in the tree that holds a value, as a path of keys and indexes."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield (*path, key)
            yield from _slots(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield (*path, index)
            yield from _slots(value, (*path, index))


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


def _copy(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {key: _copy(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_copy(value) for value in tree]
    return tree


@st.composite
def mutated_trees(draw: st.DrawFn) -> bytes:
    """A valid body with one to three values replaced, retyped, removed, wrapped or added."""
    tree = _copy(draw(_VALID).tree)
    for _ in range(draw(_MUTATIONS)):
        slots = list(_slots(tree))
        if not slots:
            break
        action = draw(_TREE_ACTIONS)
        if action == "retype":  # aim at the typed fields (money, dates, flags), not any slot
            slots = [path for path in slots if path[-1] in _TYPED_FIELDS] or slots
        path = slots[draw(st.integers(0, len(slots) - 1))]
        parent, last = _parent(tree, path), path[-1]
        if action == "replace":
            parent[last] = draw(_HOSTILE)
        elif action == "retype":
            parent[last] = draw(_WRONG)
        elif action == "random":
            parent[last] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "wrap":
            parent[last] = [parent[last]]
        elif isinstance(parent, dict):
            parent[draw(_TEXT)] = draw(_HOSTILE)
        else:
            parent.append(draw(_HOSTILE))
    return render(tree).encode("ascii")


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """A valid or mutated body with its bytes cut, spliced, overwritten or re-encoded."""
    body: bytes = draw(_VALID_OR_MUTATED)
    at = draw(st.integers(0, len(body)))
    action = draw(_TEXT_ACTIONS)
    if action == "truncate":
        return body[:at]
    if action == "insert":
        return body[:at] + draw(st.binary(min_size=1, max_size=8)) + body[at:]
    if action == "overwrite":
        return body[:at] + draw(st.binary(min_size=1, max_size=1)) + body[at + 1 :]
    if action == "cut":
        return body[:at] + body[at + draw(st.integers(1, 20)) :]
    if action == "encode":
        encoding = draw(_ENCODINGS)
        return body.decode("ascii").encode(encoding)
    return body + draw(_TAILS)


@st.composite
def retyped_bodies(draw: st.DrawFn) -> bytes:
    """A valid body with one typed field (money, date, flag, list) given a wrong value."""
    tree = _copy(draw(_VALID).tree)
    slots = [path for path in _slots(tree) if path[-1] in _TYPED_FIELDS]
    if not slots:
        tree["logins"] = draw(_WRONG)
    else:
        path = slots[draw(st.integers(0, len(slots) - 1))]
        _parent(tree, path)[path[-1]] = draw(_WRONG)
    return render(tree).encode("ascii")


_VALID_OR_MUTATED = valid_bodies().map(lambda valid: valid.body) | mutated_trees()


def hostile_bodies() -> st.SearchStrategy[bytes]:
    """Anything a broken or hostile server could send for Get Logins."""
    return st.one_of(
        mutated_trees(),
        mutated_texts(),
        st.binary(max_size=300),
        st.text(max_size=100).map(lambda text: text.encode("utf-8", "surrogatepass")),
        json_values(max_leaves=12).map(lambda value: render(value).encode("ascii")),
        json_values(max_leaves=12).map(lambda value: render({"logins": value}).encode("ascii")),
    )
