"""Bad arguments in plain words: pydantic's validation errors as one line per problem.

A message send, or any endpoint, checks its arguments against the TypedDict that declares them
before anything is sent. pydantic reports a value that fits no member of a union once per member,
under locations such as ``input.json-or-python[json=list[union[...]],...].0.TextContentParam``.
``problems`` reads those locations against the declared type instead, and says for each
problem where it is (``messages[0].role``), what was given (``'wizard' (str)``) and what is
accepted (``'user', 'system' or 'assistant'``):

* a union member whose ``type`` field (its discriminator) does not match is not what the caller
  meant: its errors are dropped, unless no member matched, and then the value is reported
  against the whole union;
* a value that is not even of a member's outer type (``5`` for a string or a list) is reported
  once, against the whole union, unless another member got further (its own errors say more).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Dict, List, Literal, NamedTuple, Optional, Tuple, Union, cast

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from typing_extensions import Annotated, NotRequired, Required, get_args, get_origin, get_type_hints, is_typeddict

from .._error_text import shown

__all__ = ["describe", "problem_line", "problems"]

MAX_PROBLEMS = 5
_TYPE_ERRORS = (
    "_type",
    "_parsing",
    "literal_error",
    "is_instance_of",
    "is_subclass_of",
    "union_tag_invalid",
    "sequence_str",
)
_SEQUENCE_TAGS = ("list[", "json-or-python[", "chain[", "tuple[", "generator[", "set[", "frozenset[")
_NONE = type(None)
_UNION_TYPES: Tuple[Any, ...] = (Union,)
if sys.version_info >= (3, 10):
    import types

    _UNION_TYPES = (Union, types.UnionType)


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


class _Problem(NamedTuple):
    path: str
    """Where: ``input``, ``messages[0].role``."""
    expected: Any
    """The declared type at that place (or ``MISSING`` when not known)."""
    error: ErrorDetails
    choices: Tuple[Tuple[str, int], ...]
    """The union members taken on the way: (the union's path, the member's index)."""
    at_member: bool
    """The value is not of the outer type of the union member taken last (``5`` for a list)."""
    discriminator: bool
    """The error is on the ``type`` field that picks a union member: that member is not meant."""


def problems(errors: Sequence[ErrorDetails], params_type: Any) -> List[str]:
    """One line per problem: ``where: got VALUE (TYPE); expected WHAT``. ``params_type`` is the
    TypedDict the errors' locations start in (or a dict of the arguments' annotations)."""
    found = [_locate(params_type, error) for error in errors]
    unmeant = {problem.choices[-1] for problem in found if problem.discriminator}
    kept = [p for p in found if not any(choice in unmeant for choice in p.choices)]
    lines: Dict[str, str] = {}
    for problem in kept:
        if problem.at_member:  # the value fits no member's outer type: say so once, for the union
            union_path = problem.choices[-1][0]
            if not any(_below(other.path, union_path) for other in found if not other.at_member):
                union = _declared_at(params_type, problem.error["loc"], union_path)
                lines.setdefault(union_path, _line(union_path, problem.error["input"], union))
            continue
        lines.setdefault(problem.path, _describe_problem(problem))
    for problem in found:  # no member was meant: the ``type`` field against every member's
        union_path = problem.choices[-1][0] if problem.discriminator else ""
        if problem.discriminator and not any(p.path == union_path or _below(p.path, union_path) for p in kept):
            union = _declared_at(params_type, problem.error["loc"], union_path)
            tags = [_type_tag(member) for member in _union_members(union)]
            expected = _or([repr(tag) for tag in tags if tag is not None]) or describe(union)
            if problem.error["type"] == "missing":
                lines.setdefault(problem.path, f"{problem.path} is missing; expected {expected}")
            else:
                lines.setdefault(
                    problem.path, f"{problem.path}: got {_show(problem.error['input'])}; expected {expected}"
                )
    if not lines:  # nothing could be placed: pydantic's own words, without its internal names
        for error in errors:
            where = ".".join(str(part) for part in error["loc"] if not _is_tag(part)) or "arguments"
            lines.setdefault(where, f"{where}: {error['msg']}")
    result = list(lines.values())
    if len(result) > MAX_PROBLEMS:
        result = [*result[:MAX_PROBLEMS], f"… and {len(result) - MAX_PROBLEMS} more problem(s)"]
    return result


def _below(path: str, prefix: str) -> bool:
    return path.startswith(prefix) and path != prefix and path[len(prefix)] in ".["


def _describe_problem(problem: _Problem) -> str:
    error = problem.error
    if error["type"] == "missing":
        return f"{problem.path} is missing; expected {describe(problem.expected)}"
    if error["type"] == "extra_forbidden":
        return f"{problem.path} is not a known key"
    if any(marker in error["type"] for marker in _TYPE_ERRORS) or problem.expected is MISSING:
        expected = describe(problem.expected) if problem.expected is not MISSING else error["msg"]
        return _line(problem.path, error["input"], expected)
    return f"{problem.path}: got {_show(error['input'])}; {_lower_first(error['msg'])}"  # a constraint


def _line(path: str, value: Any, expected: Any) -> str:
    return f"{path}: got {_show(value)}; expected {describe(expected)}"


def problem_line(path: str, value: Any, expected: Any) -> str:
    """One problem found by hand, worded as ``problems`` words one: ``expected`` is a type, or
    the words for what is accepted."""
    return f"{path}: got {_show(value)}; expected {expected if isinstance(expected, str) else describe(expected)}"


def _show(value: Any) -> str:
    return "nothing" if value is MISSING else shown(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# -- walking a location along the declared type ---------------------------------------------------


def _locate(params_type: Any, error: ErrorDetails) -> _Problem:
    current: Any = params_type
    path = ""
    choices: List[Tuple[str, int]] = []
    at_member = False
    for part in error["loc"]:
        at_member = False
        current = _bare(current)
        members = _union_members(current)
        if members and isinstance(part, str):
            index = _member_for(members, part)
            if index is not None:
                choices.append((path or "arguments", index))
                current = members[index]
                at_member = True
                continue
        if isinstance(part, int):
            path += f"[{part}]"
            current = _item_type(current)
        elif _is_tag(part):
            current = MISSING
        else:
            path = f"{path}.{part}" if path else part
            hints = _fields(current)
            current = hints.get(part, MISSING) if hints is not None else MISSING
    discriminator = (
        bool(choices)
        and not at_member
        and error["type"] in ("missing", "literal_error")
        and path == f"{choices[-1][0]}.type"
    )
    return _Problem(path or "arguments", _bare(current), error, tuple(choices), at_member, discriminator)


def _declared_at(params_type: Any, loc: Tuple[Union[int, str], ...], wanted: str) -> Any:
    """The declared type found at ``wanted`` (a path) while walking ``loc``."""
    current: Any = params_type
    path = ""
    for part in loc:
        current = _bare(current)
        members = _union_members(current)
        index = _member_for(members, part) if members and isinstance(part, str) else None
        if index is not None:
            if (path or "arguments") == wanted:
                return current
            current = members[index]
            continue
        if isinstance(part, int):
            path += f"[{part}]"
            current = _item_type(current)
        elif not _is_tag(part):
            path = f"{path}.{part}" if path else part
            hints = _fields(current)
            current = hints.get(part, MISSING) if hints is not None else MISSING
    return _bare(current)


def _is_tag(part: Union[int, str]) -> bool:
    """A location part pydantic adds for a union member or a validator, not a key."""
    return isinstance(part, str) and ("[" in part or "(" in part)


def _bare(tp: Any) -> Any:
    """``tp`` without ``Required`` / ``NotRequired`` / ``Optional``'s ``None`` / plain ``Annotated``."""
    while True:
        origin = get_origin(tp)
        if origin in (Required, NotRequired):
            tp = get_args(tp)[0]
        elif origin is Annotated and not _described(tp):
            tp = get_args(tp)[0]
        elif origin in _UNION_TYPES:
            members = [m for m in get_args(tp) if m is not _NONE]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _described(tp: Any) -> Optional[str]:
    """The description an ``Annotated`` type gives itself (``__letta_describe__`` metadata)."""
    if get_origin(tp) is not Annotated:
        return None
    for meta in get_args(tp)[1:]:
        text = getattr(meta, "__letta_describe__", None)
        if isinstance(text, str):
            return text
    return None


def _union_members(tp: Any) -> List[Any]:
    if get_origin(tp) not in _UNION_TYPES:
        return []
    return [m for m in get_args(tp) if m is not _NONE]


def _member_for(members: List[Any], tag: str) -> Optional[int]:
    """Which member of a union pydantic's location ``tag`` names."""
    wanted = _tag_kind(tag)
    for index, member in enumerate(members):
        if _kind(member) == wanted:
            return index
    return None


def _tag_kind(tag: str) -> str:
    if tag.startswith("literal["):
        return "literal"
    if tag.startswith("dict["):
        return "dict"
    if tag.startswith(_SEQUENCE_TAGS):
        return "sequence"
    if tag.startswith("function-"):
        return "custom"
    return tag  # a model's or TypedDict's name, or str / int / float / bool / none / datetime


def _kind(tp: Any) -> str:
    origin: Any = get_origin(tp)
    if origin is Literal:
        return "literal"
    if origin is Annotated:
        return "custom" if _described(tp) else _kind(get_args(tp)[0])
    if origin is not None:
        if isinstance(origin, type) and issubclass(origin, Mapping):
            return "dict"
        if isinstance(origin, type) and issubclass(origin, (Sequence, Iterable)) and origin is not str:
            return "sequence"
        return "other"
    if tp is _NONE:
        return "none"
    return getattr(tp, "__name__", str(tp))


def _item_type(tp: Any) -> Any:
    args = get_args(tp)
    origin = get_origin(tp)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return MISSING
    return args[0] if args else MISSING


@cache
def _typeddict_fields(tp: Any) -> Optional[Dict[str, Any]]:
    try:
        return dict(get_type_hints(tp, include_extras=True))
    except Exception:  # an annotation that does not resolve here: the location is still shown
        return None


def _fields(tp: Any) -> Optional[Dict[str, Any]]:
    if isinstance(tp, dict):  # the annotations of a function's arguments, by name
        return cast(Dict[str, Any], tp)
    if is_typeddict(tp):
        return _typeddict_fields(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {name: field.annotation for name, field in tp.model_fields.items()}
    return None


# -- saying what a type accepts ---------------------------------------------------------------------

_SIMPLE = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "True or False",
    bytes: "bytes",
    _NONE: "None",
    datetime.datetime: "a datetime",
    datetime.date: "a date",
    object: "any value",
}


def describe(tp: Any, depth: int = 0) -> str:
    """What ``tp`` accepts, in words: ``a string or a list, each item a dict with "type" 'text' or …``."""
    if tp is MISSING or tp is Any:
        return "any value"
    described = _described(tp)
    if described:
        return described
    tp = _bare(tp)
    if tp in _SIMPLE:
        return _SIMPLE[tp]
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Literal:
        return _or([repr(value) for value in args])
    if origin in _UNION_TYPES:
        return _describe_union(args, depth)
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return "a dict"
    if origin is not None and isinstance(origin, type) and issubclass(origin, Iterable):
        item = _item_type(tp)
        if item is MISSING or depth >= 2:
            return "a list"
        return f"a list, each item {describe(item, depth + 1)}"
    if is_typeddict(tp):
        hints = _typeddict_fields(tp) or {}
        total = bool(getattr(tp, "__total__", True))
        required = [
            key
            for key, hint in hints.items()
            if get_origin(hint) is Required or (total and get_origin(hint) is not NotRequired)
        ]
        keys = f" (with {', '.join(repr(key) for key in required)})" if required else ""
        return f"a {tp.__name__} dict{keys}"
    name = getattr(tp, "__name__", None)
    return f"a {name}" if name else str(tp)


def _describe_union(args: Tuple[Any, ...], depth: int) -> str:
    members = [_bare(member) for member in args if member is not _NONE]
    nullable = len(members) != len(args)
    tags = [_type_tag(member) for member in members]
    if len(members) > 1 and all(tag is not None for tag in tags):
        text = f'a dict with "type" {_or([repr(tag) for tag in tags])}'
    else:
        text = _or([describe(member, depth) for member in members])
    return f"{text} or None" if nullable else text


def _type_tag(tp: Any) -> Optional[str]:
    """The single value a TypedDict's ``type`` field may take (its discriminator), if any."""
    if not is_typeddict(tp):
        return None
    field = _bare((_typeddict_fields(tp) or {}).get("type", MISSING))
    values = get_args(field) if get_origin(field) is Literal else ()
    return values[0] if len(values) == 1 and isinstance(values[0], str) else None


def _or(items: List[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return unique[0] if unique else "nothing"
    return f"{', '.join(unique[:-1])} or {unique[-1]}"
