"""What the generated type modules use besides ``typing``: the parameter shapes the official SDK
names (``SequenceNotStr``, ``FileTypes``) and the wire name of a param key that is not a valid
or a free Python name (``WireName``)."""

from __future__ import annotations

import importlib
import os
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    overload,
)

from typing_extensions import Protocol, SupportsIndex

from .._sentinels import Omit

__all__ = ["Body", "FileContent", "FileTypes", "Headers", "Query", "SequenceNotStr", "WireName", "lazy_names"]

_T_co = TypeVar("_T_co", covariant=True)

if TYPE_CHECKING:

    class SequenceNotStr(Protocol[_T_co]):
        """A sequence that is not a ``str`` (a ``str`` is a sequence of ``str``, and passing one
        where a list of strings is meant is a classic mistake): lists and tuples match."""

        @overload
        def __getitem__(self, index: SupportsIndex, /) -> _T_co: ...
        @overload
        def __getitem__(self, index: slice, /) -> Sequence[_T_co]: ...
        def __contains__(self, value: object, /) -> bool: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[_T_co]: ...
        def index(self, value: Any, start: int = 0, stop: int = ..., /) -> int: ...
        def count(self, value: Any, /) -> int: ...
        def __reversed__(self) -> Iterator[_T_co]: ...

else:
    SequenceNotStr = Sequence  # what runtime validation sees

FileContent = Union[IO[bytes], bytes, "os.PathLike[str]"]
"""A file's content: an open binary file, bytes, or a path."""

FileTypes = Union[
    FileContent,
    Tuple[Optional[str], FileContent],
    Tuple[Optional[str], FileContent, Optional[str]],
]
"""An upload: the content, or ``(file name, content)``, or ``(file name, content, content type)``."""


class WireName:
    """``Annotated[T, WireName("agentId")]``: the key is sent under this name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"WireName({self.name!r})"


Headers = Mapping[str, Union[str, Omit]]
"""Extra headers of one call; a header set to ``omit`` is not sent."""
Query = Mapping[str, object]
"""Extra query parameters of one call."""
Body = object
"""Extra body fields of one call (a mapping)."""


def lazy_names(package: str, table: Dict[str, str]) -> Callable[[str], Any]:
    """A package's ``__getattr__`` that imports each name on first use: ``table`` maps a name to
    ``".module:Name"`` (an attribute of a module) or ``".module"`` (the module itself), relative
    to ``package``. Loading the official SDK's ~270 type modules eagerly would triple the cost of
    ``import letta_client``."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        where = table.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = where.partition(":")
        value = importlib.import_module(module, package)
        if attribute:
            value = getattr(value, attribute)
        namespace[name] = value
        return value

    return __getattr__
