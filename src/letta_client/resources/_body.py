"""Checks the caller's keyword arguments and builds a request body from them.

Everything is checked before anything is sent (an argument passed as ``NOT_GIVEN`` or ``omit``
counts as not passed): unknown keywords, wrong types (validated against
the TypedDict that declares them, each problem told in one line by ``_argument_problems``),
``messages`` and ``input`` together or neither, and streaming-only options without streaming.
``client_tools`` takes the tool objects ``@tool`` makes as well as their ``to_param()`` dicts. Every ``messages`` item without an ``otid`` gets a
new one, so that a retried request carries the same ids.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any, Dict, FrozenSet, List, Mapping, Sequence, Tuple, cast

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .._sentinels import NOT_GIVEN, is_given
from ..types.params import RequestOptions
from ._argument_problems import problems

__all__ = [
    "STREAMING_ONLY",
    "as_tool_param",
    "build_body",
    "check_argument",
    "invalid_arguments",
    "prepare",
    "split_options",
]

STREAMING_ONLY = ("stream_tokens", "include_pings", "background")
_OPTION_KEYS = frozenset(RequestOptions.__annotations__)


@cache
def _adapter(params_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(params_type)


def prepare(*body_types: Any) -> None:
    """Build the validators of these body types now (each takes a while the first time)."""
    for body_type in body_types:
        _adapter(body_type)


def _keys(params_type: Any) -> FrozenSet[str]:
    return cast(FrozenSet[str], params_type.__required_keys__ | params_type.__optional_keys__)


def split_options(function: str, params: Mapping[str, Any], body_type: Any) -> Tuple[Dict[str, Any], RequestOptions]:
    """Separate request options from body fields, rejecting keywords neither knows, and
    type-check the body fields."""
    allowed = _keys(body_type)
    body: Dict[str, Any] = {}
    options: Dict[str, Any] = {}
    for key, value in params.items():
        if not is_given(value):  # NOT_GIVEN / omit: as if the keyword had not been passed
            continue
        if key in _OPTION_KEYS:
            options[key] = value
        elif key in allowed:
            body[key] = value
        else:
            raise TypeError(f"{function}() got an unexpected keyword argument {key!r}")
    try:
        _adapter(body_type).validate_python(body)
    except ValidationError as error:
        raise invalid_arguments(f"{function}()", error.errors(), body_type) from None
    if body.get("client_tools"):
        body["client_tools"] = [as_tool_param(item) for item in body["client_tools"]]
    return body, cast(RequestOptions, options)


def invalid_arguments(where: str, errors: Sequence[ErrorDetails], params_type: Any) -> TypeError:
    """The ``TypeError`` for arguments that do not fit ``params_type``: one line per problem, each
    naming the argument, what was given and what is accepted (``_argument_problems``)."""
    return TypeError("\n".join(f"{where}: {line}" for line in problems(errors, params_type)))


def check_argument(where: str, name: str, value: Any, annotation: Any) -> None:
    """Raise the one-line ``TypeError`` of ``invalid_arguments`` when the argument ``name`` does
    not fit ``annotation`` (for arguments that are not part of a body TypedDict)."""
    try:
        _adapter(annotation).validate_python(value)
    except ValidationError as error:
        errors = [cast(ErrorDetails, {**e, "loc": (name, *e["loc"])}) for e in error.errors()]
        raise invalid_arguments(where, errors, {name: annotation}) from None


def as_tool_param(item: Any) -> Any:
    """A ``client_tools`` entry as sent: a tool object the SDK builds (``@tool``) as its
    ``to_param()``, a dict as it is."""
    to_param = getattr(item, "to_param", None)
    return to_param() if callable(to_param) else item


def build_body(
    function: str, params: Mapping[str, Any], body_type: Any, *, streaming: bool
) -> Tuple[Dict[str, Any], RequestOptions]:
    if not streaming:  # before split_options, which would call them unknown keywords
        misplaced = [key for key in STREAMING_ONLY if is_given(params.get(key, NOT_GIVEN))]
        if misplaced:
            raise ValueError(f"{function}(): {', '.join(misplaced)} can only be used with streaming=True")
    body, options = split_options(function, params, body_type)
    has_messages = body.get("messages") is not None
    has_input = body.get("input") is not None
    if has_messages == has_input:
        raise ValueError(
            f"{function}() needs exactly one of 'messages' and 'input' (got {'both' if has_messages else 'neither'})"
        )
    if has_messages:
        body["messages"] = with_otids(body["messages"])
    return body, options


def with_otids(messages: Any) -> List[Dict[str, Any]]:
    """Copies of the messages, each with an ``otid`` (the caller's, or a new uuid4)."""
    copies: List[Dict[str, Any]] = []
    for message in messages:
        item = dict(message)
        if not item.get("otid"):
            item["otid"] = str(uuid.uuid4())
        copies.append(item)
    return copies
