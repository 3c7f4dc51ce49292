"""Why a tool's outcome cannot be sent, told in one line that names a type, never a value.

``UnencodableResult`` is what encoding a tool's return value raises. ``diagnose`` finds the part
of a value that broke the encoding: bytes that are not UTF-8 text, a container that contains
itself or nests too deeply, a ``str`` holding a lone surrogate, an object whose ``str()`` raises,
a dict key JSON cannot hold, or (for data sent as it is, the content parts) a NaN, an infinity or
an integer too long for ``json``. ``failure_text`` is the error return of a tool that raised, read
without raising (an exception's ``str()`` may raise too, and its text may hold a lone surrogate).

The value itself is never quoted: it may be huge, or secret, and the text goes to the agent.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Dict, Iterable, List, Optional, Set, Tuple, cast

from pydantic import BaseModel
from pydantic_core import to_json

__all__ = ["MAX_DEPTH", "UnencodableResult", "diagnose", "failure_text", "type_name", "wire_json"]

MAX_DEPTH = 256
"""How deep ``diagnose`` looks into nested containers (pydantic gives up somewhat deeper)."""

_CONTAINERS = (dict, list, tuple, set, frozenset)
_JSON_KEYS = (str, int, float, bool, type(None))


class UnencodableResult(ValueError):
    """A tool's return value cannot be sent to the agent; the message says what, in one line."""


def type_name(value: object) -> str:
    return type(value).__name__


def wire_json(value: object) -> bytes:
    """``value`` as the request body carries it (the encoding httpx applies to ``json=``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def failure_text(error: BaseException) -> str:
    """``"<Type>: <message>"`` for a tool that raised, readable whatever the exception does."""
    try:
        message = str(error)
    except Exception as problem:
        message = f"(its message could not be read: str() raised {type(problem).__name__})"
    return _sendable(f"{type(error).__name__}: {message}")


def diagnose(value: object, error: Exception, *, as_is: bool = False) -> str:
    """What in ``value`` could not be encoded (``error`` is what encoding it raised): a phrase
    naming the type at fault. ``as_is``: the value goes into the body as it is (``wire_json``),
    not through pydantic's encoder with ``str()`` as the fallback."""
    try:
        found = _culprit(value, as_is)
    except Exception:  # a container that fails to be walked: say what it is
        found = None
    if found is not None:
        return found
    return f"a value of type {type_name(value)} that could not be encoded ({type(error).__name__})"


# -- finding the culprit --------------------------------------------------------------------------


def _culprit(value: object, as_is: bool) -> Optional[str]:
    """Walk ``value`` depth first, without recursion; the first problem found, or ``None``."""
    on_path: Set[int] = set()
    stack: List[Tuple[object, int, bool]] = [(value, 0, False)]
    while stack:
        node, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            continue
        children = _children(node, as_is)
        if children is None:
            problem = _leaf_problem(node, as_is)
            if problem is not None:
                return problem
            continue
        if id(node) in on_path:
            return f"a value of type {type_name(node)} that contains itself"
        if depth >= MAX_DEPTH:
            return f"a value of type {type_name(value)} nested more than {MAX_DEPTH} levels deep"
        on_path.add(id(node))
        stack.append((node, depth, True))
        items: List[Tuple[object, int, bool]] = []
        for key, item in children:
            if key is not _NO_KEY:
                problem = _key_problem(key, as_is)
                if problem is not None:
                    return problem
            items.append((item, depth + 1, False))
        stack.extend(reversed(items))
    return None


_NO_KEY = object()


def _children(node: object, as_is: bool) -> Optional[List[Tuple[object, object]]]:
    """The (key, item) pairs of a container the encoder walks into; ``None`` for a leaf."""
    if isinstance(node, dict):
        return list(cast("Dict[object, object]", node).items())
    if isinstance(node, (list, tuple) if as_is else _CONTAINERS):
        return [(_NO_KEY, item) for item in cast("Iterable[object]", node)]
    if as_is:
        return None
    if isinstance(node, BaseModel):
        return [(_NO_KEY, item) for item in dict(node).values()]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [(_NO_KEY, getattr(node, field.name)) for field in dataclasses.fields(node)]
    return None


def _key_problem(key: object, as_is: bool) -> Optional[str]:
    if as_is and not isinstance(key, _JSON_KEYS):
        return f"a dict key of type {type_name(key)}, which JSON cannot hold"
    problem = _leaf_problem(key, as_is)
    if problem is not None:
        return f"a dict key that is {problem}"
    if not as_is:
        try:
            to_json({key: None}, fallback=str)
        except Exception:
            return f"a dict key of type {type_name(key)}, which JSON cannot hold"
    return None


def _leaf_problem(leaf: object, as_is: bool) -> Optional[str]:
    if isinstance(leaf, str):
        return None if _is_unicode(leaf) else "a str that is not valid Unicode (it holds a lone surrogate)"
    if isinstance(leaf, (bytes, bytearray)) and not as_is:
        try:
            bytes(leaf).decode("utf-8")
        except UnicodeDecodeError:
            return (
                f"a value of type {type_name(leaf)} that is not UTF-8 text "
                "(return image(data) for an image, or decode the bytes)"
            )
        return None
    try:
        wire_json(leaf) if as_is else to_json(leaf, fallback=str)
    except Exception as error:
        return _why_not(leaf, error, as_is)
    return None


def _why_not(leaf: object, error: Exception, as_is: bool) -> str:
    name = type_name(leaf)
    if as_is:
        if isinstance(leaf, float):
            return "a float that is NaN or infinite, which JSON cannot hold"
        if isinstance(leaf, int):
            return "an int with too many digits to write out"
        return f"a value of type {name}, which JSON cannot hold"
    try:
        str(leaf)
    except Exception as problem:
        return f"a value of type {name} whose str() raised {type(problem).__name__}"
    return f"a value of type {name} that could not be encoded ({type(error).__name__})"


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _sendable(text: str) -> str:
    """``text`` with what UTF-8 cannot carry (lone surrogates) escaped."""
    return text if _is_unicode(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")
