"""Decoding JSON data into models: fast when the data is right, precise when it is not.

cattrs' detailed validation names every problem with its path but slows every
decode. Valid bodies are the rule, so they go through a converter without it;
only when that fails is the same data decoded again with a detailed converter,
to say where (``$.logins[0].accounts[0].balance``) and what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import DecodeError

if TYPE_CHECKING:
    import cattrs

    from ._call import Outcome

__all__ = ["Decoder", "ShapeError", "decode_error"]

_MAX_PROBLEMS = 5
_SNIPPET = 200


def decode_error(message: str, outcome: Outcome) -> DecodeError:
    """A ``DecodeError`` for a response that could not be decoded, with a body snippet."""
    response = outcome.response
    return DecodeError(
        message,
        request_id=response.headers.get("X-Request-ID", outcome.request_id),
        attempts=outcome.attempts,
        status_code=response.status_code,
        snippet=response.content[:_SNIPPET].decode("utf-8", errors="replace"),
    )


class ShapeError(ValueError):
    """The data does not fit the model; ``problems`` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:_MAX_PROBLEMS]))
        self.problems = problems


class Decoder:
    """Structures JSON data into models and unstructures models into JSON data."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        # Built on first use: cattrs and the converters stay out of ``import finoos_async``.
        self._converter: cattrs.Converter | None = None
        self._detailed: cattrs.Converter | None = None

    @property
    def _fast(self) -> cattrs.Converter:
        if self._converter is None:
            from ._converter import make_converter

            self._converter = make_converter(strict=self.strict)
        return self._converter

    def structure(self, data: Any, cls: Any, *, path: str = "$") -> Any:
        """Decode ``data`` into ``cls``; raises ``ShapeError`` when it does not fit."""
        try:
            return self._fast.structure(data, cls)
        except Exception as exc:  # any failure of the fast path means "does not fit"
            raise ShapeError(self._explain(data, cls, path, exc)) from exc

    def unstructure(self, value: Any) -> Any:
        """Models to JSON-ready data: ``Decimal`` kept exact, unknown fields put back."""
        return self._fast.unstructure(value)

    def _explain(self, data: Any, cls: Any, path: str, fast_error: Exception) -> list[str]:
        import cattrs

        from ._converter import make_converter

        if self._detailed is None:
            self._detailed = make_converter(strict=self.strict, detailed=True)
        try:
            self._detailed.structure(data, cls)
        except cattrs.BaseValidationError as exc:
            return cattrs.transform_error(exc, path=path)
        except Exception as exc:
            return [f"{exc} @ {path}"]
        return [f"{fast_error} @ {path}"]
