"""``NOT_GIVEN`` and ``omit``: the official SDK's "leave this out" values, accepted wherever it accepts them.

Code written for the official SDK passes them as arguments (``timeout=NOT_GIVEN``,
``max_steps=NOT_GIVEN``) and as header values (``extra_headers={"X-Team": omit}``, which removes a
default header). Here a keyword argument, body field, query parameter or request option whose value
is one of them is dropped before anything is checked or sent, exactly as if it had not been passed.

Two places do it: the generated endpoints' engine (``_endpoint.prepare``) for the long tail, and
``leaves_out_sentinels`` for every class whose methods are written by hand: it wraps each public
method so that the method's body never sees a sentinel (its parameter takes its default, a
``**kwargs`` key is absent).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, Mapping, Tuple, Type, TypeVar

from typing_extensions import Literal

__all__ = ["NOT_GIVEN", "NotGiven", "Omit", "given", "is_given", "leaves_out_sentinels", "not_given", "omit"]

_V = TypeVar("_V")
_C = TypeVar("_C", bound=Type[Any])


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


_SENTINELS = (NotGiven, Omit)


def leaves_out_sentinels(cls: _C) -> _C:
    """Class decorator: every public method defined in ``cls`` (not inherited), and its
    ``__init__``, is called without the arguments passed as ``NOT_GIVEN`` or ``omit``, as if the
    caller had not passed them. A method and its alias (``create = send``) stay one function."""
    done: Dict[int, Callable[..., Any]] = {}
    for name, member in list(vars(cls).items()):
        if (name.startswith("_") and name != "__init__") or not inspect.isfunction(member):
            continue
        if id(member) not in done:
            done[id(member)] = _without_sentinels(member)
        setattr(cls, name, done[id(member)])
    return cls


def _without_sentinels(function: Callable[..., Any]) -> Callable[..., Any]:
    code = function.__code__
    positional = code.co_varnames[: code.co_argcount]  # the parameters an argument can be given to by position
    first_by_name = code.co_posonlyargcount

    def arguments(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        for value in kwargs.values():
            if isinstance(value, _SENTINELS):
                kwargs = {key: value for key, value in kwargs.items() if not isinstance(value, _SENTINELS)}
                break
        for index, value in enumerate(args):
            if isinstance(value, _SENTINELS):
                # from the first one on, the positional arguments go by name, without the sentinels
                named = dict(zip(positional[index:], args[index:]))
                if index < first_by_name or len(args) > len(positional) or named.keys() & kwargs.keys():
                    return args, kwargs  # the call is wrong anyway: Python's own error says how
                return args[:index], {**{k: v for k, v in named.items() if is_given(v)}, **kwargs}
        return args, kwargs

    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def call_async(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = arguments(args, kwargs)
            return await function(*args, **kwargs)

        return call_async

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = arguments(args, kwargs)
        return function(*args, **kwargs)

    return call
