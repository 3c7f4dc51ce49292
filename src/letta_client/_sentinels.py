"""``NOT_GIVEN`` and ``omit``: the official SDK's "leave this out" values, accepted wherever it accepts them.

Code written for the official SDK passes them as arguments (``timeout=NOT_GIVEN``,
``max_steps=NOT_GIVEN``) and as header values (``extra_headers={"X-Team": omit}``, which removes a
default header). Here a keyword argument, body field, query parameter or request option whose value
is one of them is dropped before anything is checked or sent, exactly as if it had not been passed.
"""

from __future__ import annotations

from typing import Dict, Mapping, TypeVar

from typing_extensions import Literal

__all__ = ["NOT_GIVEN", "NotGiven", "Omit", "given", "is_given", "not_given", "omit"]

_V = TypeVar("_V")


class NotGiven:
    """The type of ``NOT_GIVEN``: an argument left at its default (the official SDK's sentinel)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


class Omit:
    """The type of ``omit``: a value that removes what it names (a default header), or is left out."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "omit"


NOT_GIVEN = NotGiven()
not_given = NOT_GIVEN
omit = Omit()


def is_given(value: object) -> bool:
    """False for ``NOT_GIVEN`` and ``omit`` (and any other instance of their types)."""
    return not isinstance(value, (NotGiven, Omit))


def given(mapping: Mapping[str, _V]) -> Dict[str, _V]:
    """The mapping without the entries whose value is ``NOT_GIVEN`` or ``omit``."""
    return {key: value for key, value in mapping.items() if is_given(value)}
