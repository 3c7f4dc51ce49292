"""One endpoint as a value, and the one engine that sends any of them.

The long tail of the API (blocks, tools, folders, archives, MCP servers, steps...) is declared,
not written: each method of ``resources/_generated/`` is a typed signature whose body hands its
arguments and its ``Endpoint`` to ``SyncEndpoints._call`` / ``AsyncEndpoints._call`` (or,
for a listing, ``_array_page`` / ``_files_page``: the official ``SyncArrayPage`` /
``SyncNextFilesPage``; ``_page`` picks one from the endpoint's ``page``). Everything between the arguments and the model happens here, once,
without I/O (``prepare``), and the two classes only add the request.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import os
from functools import cache
from types import GenericAlias
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    FrozenSet,
    Generic,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    cast,
)

import httpx

from .._pagination import (
    AsyncArrayPage,
    AsyncNextFilesPage,
    AsyncPaginator,
    FilesAnswer,
    SyncArrayPage,
    SyncNextFilesPage,
    SyncPage,
    async_array_page,
    async_files_page,
    sync_array_page,
    sync_files_page,
)
from .._paths import path_segment
from .._response import parse_json, validate_lenient
from .._sentinels import is_given
from .._transport import header_value
from ..types.params import RequestOptions
from ._body import invalid_arguments

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncEndpoints", "Endpoint", "Prepared", "SyncEndpoints", "prepare", "result", "upload"]

T = TypeVar("T")
_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


class Endpoint(Generic[T]):
    """``verb`` ``path`` (``{name}`` placeholders, each filled from the argument of that name);
    where the other keyword arguments go: with ``body`` (a JSON object, sent even when empty),
    ``multipart`` (form fields and files) or ``body_argument`` into that, but for those named in
    ``query``; otherwise all into the query. The answer's type is ``returns`` (the item type of a
    listing, ``page="array"`` or ``"files"``), or its place (``"module:Name"``), imported on the
    first answer. ``params`` is the TypedDict the arguments are
    checked against before anything is sent, ``wire`` renames keys, ``headers`` are fixed
    headers and ``header_args`` headers taken from arguments; ``body_argument`` names an
    argument that is the whole body."""

    __slots__ = (
        "_returns",
        "body",
        "body_argument",
        "header_args",
        "headers",
        "multipart",
        "page",
        "params",
        "path",
        "query",
        "verb",
        "wire",
    )

    def __init__(
        self,
        verb: str,
        path: str,
        returns: Any,
        *,
        query: Sequence[str] = (),
        body: bool = False,
        body_argument: Optional[str] = None,
        multipart: bool = False,
        params: Any = None,
        page: Optional[str] = None,
        wire: Optional[Mapping[str, str]] = None,
        headers: Optional[Mapping[str, str]] = None,
        header_args: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.verb = verb
        self.path = path
        self._returns = returns
        self.query: FrozenSet[str] = frozenset(query)
        self.body = body
        self.body_argument = body_argument
        self.multipart = multipart
        self.params = params
        self.page = page
        self.wire = dict(wire or {})
        self.headers = dict(headers or {})
        self.header_args = dict(header_args or {})

    @property
    def returns(self) -> Any:
        """The answer's type (imported on first use when named by its place)."""
        if isinstance(self._returns, str):
            module, _, name = self._returns.partition(":")
            self._returns = getattr(importlib.import_module(module), name)
        return self._returns

    def __repr__(self) -> str:
        return f"<Endpoint {self.verb} {self.path}>"


class Prepared(NamedTuple):
    """A request ready to send: everything checked and encoded."""

    path: str
    query: Dict[str, Any]
    body: Optional[Dict[str, Any]]
    files: Optional[Dict[str, Any]]
    options: RequestOptions
    idempotent: bool


def prepare(endpoint: Endpoint[Any], arguments: Mapping[str, Any]) -> Prepared:
    """The request of ``endpoint`` for a method's ``locals()``; raises ``TypeError`` /
    ``ValueError`` for bad arguments, before anything is sent."""
    args = {key: value for key, value in arguments.items() if key != "self" and is_given(value)}
    options: Dict[str, Any] = {key: args.pop(key) for key in _OPTIONS if key in args}
    options = {key: value for key, value in options.items() if value is not None or key == "timeout"}
    path = endpoint.path
    for name in _placeholders(endpoint.path):  # first, as the official SDK checks them
        path = path.replace("{" + name + "}", path_segment(args.get(name), name))
    _check(endpoint, args)
    for name in _placeholders(endpoint.path):
        del args[name]
    headers: Dict[str, str] = {}
    for header, name in endpoint.header_args.items():
        value = args.pop(name, None)
        if value is not None:
            headers[header] = header_value(str(value), name)
    has_body = endpoint.body or endpoint.multipart or endpoint.body_argument is not None
    in_query = endpoint.query if has_body else args.keys()
    query = {endpoint.wire.get(k, k): _query_value(v) for k, v in args.items() if k in in_query and v is not None}
    rest = {endpoint.wire.get(k, k): v for k, v in args.items() if k not in in_query}
    if endpoint.headers or headers:
        options["extra_headers"] = {**endpoint.headers, **headers, **(options.get("extra_headers") or {})}
    body: Optional[Dict[str, Any]] = None
    files: Optional[Dict[str, Any]] = None
    if endpoint.multipart:
        files = {key: upload(value) for key, value in rest.items() if _is_file(value)}
        body = {key: value for key, value in rest.items() if key not in files}
    elif endpoint.body_argument is not None:  # the argument is the whole body; none when not given
        given_body = rest.get(endpoint.body_argument)
        body = None if given_body is None else to_json(given_body)
    elif endpoint.body:
        body = {key: to_json(value) for key, value in rest.items()}
    idempotent = endpoint.verb != "POST"
    return Prepared(path, query, body, files, cast(RequestOptions, options), idempotent)


@cache
def _placeholders(path: str) -> Tuple[str, ...]:
    names: List[str] = []
    for part in path.split("{")[1:]:
        names.append(part.split("}", 1)[0])
    return tuple(names)


@cache
def _adapter(params: Any) -> Optional[TypeAdapter[Any]]:
    from pydantic import TypeAdapter

    try:
        return TypeAdapter(params)
    except Exception:  # a shape pydantic cannot check (files); the server checks it
        return None


def _check(endpoint: Endpoint[Any], args: Mapping[str, Any]) -> None:
    if endpoint.params is None:
        return
    from pydantic import PydanticUserError, ValidationError

    adapter = _adapter(endpoint.params)
    if adapter is None:
        return
    try:
        adapter.validate_python({key: value for key, value in args.items() if not _is_file(value)})
    except PydanticUserError:  # a shape pydantic cannot check (files); the server checks it
        return
    except ValidationError as error:
        errors = [e for e in error.errors() if e["type"] != "missing" or not _is_file(args.get(str(e["loc"][0])))]
        if errors:
            raise invalid_arguments(f"{endpoint.verb} {endpoint.path}", errors, endpoint.params) from None


def to_json(value: Any) -> Any:
    """A value as JSON data: dates in ISO 8601, models as their data, any iterable as a list."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        mapping: Mapping[Any, Any] = cast(Any, value)
        return {str(key): to_json(item) for key, item in mapping.items() if is_given(item)}
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8")
    try:
        return [to_json(item) for item in value]
    except TypeError:
        return value


def _query_value(value: Any) -> Any:
    value = to_json(value)
    if isinstance(value, list):
        items: List[Any] = cast(Any, value)
        return [_scalar(item) for item in items]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _is_file(value: Any) -> bool:
    if isinstance(value, tuple):
        parts: Tuple[Any, ...] = cast(Any, value)
        return len(parts) in (2, 3) and _is_file(parts[1])
    return isinstance(value, (bytes, bytearray, io.IOBase, os.PathLike)) or hasattr(value, "read")


def upload(value: Any) -> Tuple[Optional[str], bytes, Optional[str]]:
    """An upload as ``(name, bytes, content type)``: read once, so a retry sends the same bytes."""
    name: Optional[str] = None
    content_type: Optional[str] = None
    if isinstance(value, tuple):
        parts: Tuple[Any, ...] = cast(Any, value)
        name, value = parts[0], parts[1]
        content_type = parts[2] if len(parts) == 3 else None
    if isinstance(value, os.PathLike):
        path = str(os.fspath(cast("os.PathLike[str]", value)))
        with open(path, "rb") as handle:
            return name or os.path.basename(path), handle.read(), content_type
    if isinstance(value, (bytes, bytearray)):
        return name or "upload", bytes(value), content_type
    data = value.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    file_name = getattr(value, "name", None)
    return name or (os.path.basename(file_name) if isinstance(file_name, str) else "upload"), data, content_type


def _items(endpoint: Endpoint[T], response: httpx.Response) -> List[T]:
    return cast(List[T], parse_json(response, cast(Any, GenericAlias(list, (endpoint.returns,)))))


def _files(endpoint: Endpoint[T], response: httpx.Response) -> FilesAnswer[T]:
    """A files listing's answer: ``{"files": [...], "next_cursor": ..., "has_more": ...}``."""
    data = parse_json(response, Dict[str, Any])
    files = cast(List[T], validate_lenient(GenericAlias(list, (endpoint.returns,)), data.get("files") or []))
    has_more, cursor = data.get("has_more"), data.get("next_cursor")
    return files, has_more if isinstance(has_more, bool) else None, cursor if isinstance(cursor, str) else None


def result(returns: Any, response: httpx.Response) -> Any:
    """The answer as ``returns``: ``None`` for ``type(None)``; for ``str`` the text, or the string
    itself when the server sent a JSON string (``"<base_instructions>…"``, not its quoted and
    escaped text); else parsed leniently."""
    if returns is type(None):
        return None
    if returns is str:
        text = response.text
        if text.startswith('"') and response.headers.get("content-type", "").startswith("application/json"):
            try:
                decoded = json.loads(text)
            except ValueError:
                return text
            return decoded if isinstance(decoded, str) else text
        return text
    return parse_json(response, returns)


class SyncEndpoints:
    """The base of every generated sync resource: ``_call`` / ``_page`` send an ``Endpoint``."""

    _transport: SyncTransport

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def _send(
        self, endpoint: Endpoint[Any], request: Prepared, query: Optional[Dict[str, Any]] = None
    ) -> httpx.Response:
        return self._transport.request(
            endpoint.verb,
            request.path,
            body=request.body,
            query=request.query if query is None else query,
            files=request.files,
            options=request.options,
            idempotent=request.idempotent,
        )

    def _call(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> T:
        return cast(T, result(endpoint.returns, self._send(endpoint, prepare(endpoint, arguments))))

    def _page(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> SyncPage[T]:
        """A listing's first page: a ``SyncNextFilesPage`` for ``page="files"``, else a ``SyncArrayPage``."""
        if endpoint.page == "files":
            return self._files_page(endpoint, arguments)
        return self._array_page(endpoint, arguments)

    def _array_page(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> SyncArrayPage[T]:
        request = prepare(endpoint, arguments)
        return sync_array_page(lambda query: _items(endpoint, self._send(endpoint, request, query)), request.query)

    def _files_page(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> SyncNextFilesPage[T]:
        request = prepare(endpoint, arguments)
        return sync_files_page(lambda query: _files(endpoint, self._send(endpoint, request, query)), request.query)


class AsyncEndpoints:
    """The base of every generated async resource: see ``SyncEndpoints``."""

    _transport: AsyncTransport

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def _send(
        self, endpoint: Endpoint[Any], request: Prepared, query: Optional[Dict[str, Any]] = None
    ) -> httpx.Response:
        return await self._transport.request(
            endpoint.verb,
            request.path,
            body=request.body,
            query=request.query if query is None else query,
            files=request.files,
            options=request.options,
            idempotent=request.idempotent,
        )

    async def _call(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> T:
        return cast(T, result(endpoint.returns, await self._send(endpoint, prepare(endpoint, arguments))))

    def _page(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> AsyncPaginator[T]:
        """See ``SyncEndpoints._page``: awaited, an ``AsyncNextFilesPage`` or an ``AsyncArrayPage``."""
        if endpoint.page == "files":
            return self._files_page(endpoint, arguments)
        return self._array_page(endpoint, arguments)

    def _array_page(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> AsyncPaginator[T, AsyncArrayPage[T]]:
        request = prepare(endpoint, arguments)

        async def fetch(query: Dict[str, Any]) -> List[T]:
            return _items(endpoint, await self._send(endpoint, request, query))

        return AsyncPaginator(lambda: async_array_page(fetch, request.query))

    def _files_page(
        self, endpoint: Endpoint[T], arguments: Mapping[str, Any]
    ) -> AsyncPaginator[T, AsyncNextFilesPage[T]]:
        request = prepare(endpoint, arguments)

        async def fetch(query: Dict[str, Any]) -> FilesAnswer[T]:
            return _files(endpoint, await self._send(endpoint, request, query))

        return AsyncPaginator(lambda: async_files_page(fetch, request.query))
