"""Turns a JSON response into models; ``APIResponse`` for ``with_raw_response`` and
``with_streaming_response``.

``to_raw_response(method)`` makes a call that returns the HTTP response instead of the model:
it runs ``method`` with a *capture* active, and the transport hands the first successful
response to the capture (unread when the caller streams the body) and stops the call there.
``parse()`` later runs ``method`` again with the capture *replaying*: the transport returns the
captured response instead of sending, so the model (or ``Stream``, or page) is built by exactly
the code a plain call uses. Nothing is sent twice.

What a call fixes before it sends (a message send's otids and body, whether it fell back to a
plain send) is made with ``prepared(build)``: the first run builds it and the capture keeps it,
and the replay gets the very same object back instead of building a new one. So the request that
``parse()`` goes on with (the one an exactly-once send re-sends after a failure) is the request
that was sent, byte for byte.

A streamed answer is handed to the replay unread, so ``parse()`` of a streaming call returns a
``Stream`` that reads the body as it arrives; only a JSON answer left unread by
``with_streaming_response`` is read first.
"""

from __future__ import annotations

import datetime
import inspect
import types
import typing
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import cache, wraps
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncContextManager,
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    ContextManager,
    Coroutine,
    Dict,
    Generator,
    Generic,
    Iterator,
    List,
    Optional,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

import httpx
from typing_extensions import Annotated, ParamSpec

from ._error_text import redacted_repr
from ._exceptions import APIConnectionError, APIResponseValidationError, LettaError

if TYPE_CHECKING:  # pydantic loads on the first parse, so `from letta_client import Letta` stays cheap
    from pydantic import TypeAdapter

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "async_to_raw_response",
    "async_to_streamed_response",
    "captured",
    "leave_unread",
    "parse_json",
    "prepared",
    "validate_lenient",
    "replayed",
    "to_raw_response",
    "to_streamed_response",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


@cache
def _adapter(type_: Any) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(type_)


def parse_json(response: httpx.Response, type_: Type[T]) -> T:
    """The response body as ``type_``, validated straight from its bytes. An answer that does not
    fit exactly (a value a newer server added to an enum, a field it stopped sending) is still
    returned: every part that fits is typed, and what does not is kept as the server sent it
    (``validate_lenient``). Only a body of the wrong JSON kind (not an object where an object is
    expected...) or no JSON at all raises ``APIResponseValidationError``."""
    from pydantic import ValidationError

    try:
        validate = getattr(type_, "model_validate_json", None)
        if validate is not None:
            return cast(T, validate(response.content))
        return cast(T, _adapter(cast(Any, type_)).validate_json(response.content))
    except ValidationError as error:
        failure = error
    try:
        data = response.json()
    except ValueError:
        data = _NOT_JSON
    if data is None:  # a null where the description promises an object (0.16.8's attach/detach)
        return cast(T, None)
    if data is not _NOT_JSON and _fits_shape(type_, data):
        return cast(T, validate_lenient(type_, data))
    raise APIResponseValidationError(
        f"The response to {response.request.method} {response.request.url.path} does not match "
        f"{getattr(type_, '__name__', type_)}: {failure}",
        response.request,
        raw=response.text[:10_000],
    ) from None


_NOT_JSON = object()


def validate_lenient(type_: Any, data: Any) -> Any:
    """``data`` as ``type_`` as far as it fits: a model whose fields do not all validate is built
    from the fields that do, the others kept raw; a list item by item; a union by its first
    member that fits. Never raises."""
    from pydantic import BaseModel, ValidationError

    try:
        return _adapter(type_).validate_python(data)
    except ValidationError:
        pass
    origin = typing.get_origin(type_)
    arguments = typing.get_args(type_)
    if isinstance(type_, type) and issubclass(type_, BaseModel) and isinstance(data, dict):
        values: Dict[str, Any] = {}
        fields = {field.alias or name: (name, field) for name, field in type_.model_fields.items()}
        for key, value in cast(Dict[str, Any], data).items():
            name, field = fields.get(key, (key, None))
            values[name] = value if field is None else validate_lenient(field.annotation, value)
        return type_.model_construct(**values)
    if origin in (list, List) and arguments and isinstance(data, list):
        items: List[Any] = cast(Any, data)
        return [validate_lenient(arguments[0], item) for item in items]
    if origin in (dict, Dict) and len(arguments) == 2 and isinstance(data, dict):
        return {key: validate_lenient(arguments[1], item) for key, item in cast(Dict[str, Any], data).items()}
    if origin is Union or origin is getattr(types, "UnionType", None):
        for member in arguments:
            if member is not type(None) and _fits_shape(member, data):
                return validate_lenient(member, data)
    return data


def _fits_shape(member: Any, data: Any) -> bool:
    """Whether ``data`` is at least the JSON kind ``member`` wants (an object for a model...)."""
    from pydantic import BaseModel

    if isinstance(member, type) and issubclass(member, BaseModel):
        return isinstance(data, dict)
    origin = typing.get_origin(member)
    if origin is Annotated:
        return _fits_shape(typing.get_args(member)[0], data)
    if origin is Union or origin is getattr(types, "UnionType", None):
        return any(_fits_shape(argument, data) for argument in typing.get_args(member) if argument is not type(None))
    if origin in (list, List):
        return isinstance(data, list)
    if origin in (dict, Dict):
        return isinstance(data, dict)
    return False


# --- capturing the response of a call ------------------------------------------------------------


class _Capture:
    def __init__(
        self, *, unread: bool, response: Optional[httpx.Response] = None, prepared: Optional[List[Any]] = None
    ) -> None:
        self.unread = unread
        self.response = response
        self.replaying = response is not None
        """True until the transport took the captured response (the replay's first request)."""
        self.retries_taken = 0
        self.unread_json = False
        """The captured answer is a JSON body left unread (``with_streaming_response`` of a call
        that is not a stream): ``parse()`` reads it before the call runs again."""
        self.prepared: List[Any] = [] if prepared is None else prepared
        """What the call fixed before sending (``prepared``), in order: kept by the first run,
        handed back by the replay."""
        self.is_replay = prepared is not None
        self._next = 0

    def keep(self, build: Callable[[], T]) -> T:
        if self.is_replay and self._next < len(self.prepared):
            value = cast(T, self.prepared[self._next])
            self._next += 1
            return value
        value = build()
        if not self.is_replay:
            self.prepared.append(value)
        return value


class _Captured(BaseException):
    """Stops a call once its response is captured (a ``BaseException``: no handler swallows it)."""


_CAPTURE: ContextVar[Optional[_Capture]] = ContextVar("letta_client_capture", default=None)


def replayed() -> Optional[httpx.Response]:
    """For the transport, before sending: the captured response when ``parse()`` replays a call."""
    capture = _CAPTURE.get()
    if capture is None or not capture.replaying:
        return None
    capture.replaying = False
    return capture.response


def leave_unread() -> bool:
    """For the transport, about a successful answer to a request that is *not* a stream: True
    when the caller reads the body itself (``with_streaming_response``). The capture notes it,
    so that ``parse()`` reads that JSON body first (a streamed one it never reads ahead)."""
    capture = _CAPTURE.get()
    if capture is None or capture.response is not None or not capture.unread:
        return False
    capture.unread_json = True
    return True


def prepared(build: Callable[[], T]) -> T:
    """What a call fixes before it sends (a send's otids and body): ``build()``, except when
    ``parse()`` of a raw or streamed response runs the call again: then the object the call's
    first run built, so that the replay goes on with the request that was sent."""
    capture = _CAPTURE.get()
    return build() if capture is None else capture.keep(build)


def captured(response: httpx.Response, retries_taken: int) -> httpx.Response:
    """For the transport, on success: hands ``response`` to an active capture (which ends the
    call), or returns it."""
    capture = _CAPTURE.get()
    if capture is None or capture.response is not None:
        return response
    capture.response = response
    capture.retries_taken = retries_taken
    raise _Captured


class _BaseAPIResponse:
    http_response: httpx.Response
    retries_taken: int
    """How many times the request was retried (``0`` when the first attempt answered)."""

    def __init__(self, http_response: httpx.Response, retries_taken: int) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parsed: Any = _NOTHING

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """The time from sending the request to reading the end of the response (httpx's
        ``elapsed``; only known once the body is read or closed)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        """Whether the body is read or closed. If not, read it or ``close()`` the response."""
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code} {self.http_response.reason_phrase}] {self.method} {self.url.path}>"


_NOTHING: Any = object()


class APIResponse(_BaseAPIResponse, Generic[R]):
    """The HTTP response of a call. ``parse()`` gives what the call returns; ``parse(to=X)``
    validates the JSON body as ``X``. ``read()``, ``text()``, ``json()`` and ``iter_*()`` read
    the body."""

    def __init__(self, http_response: httpx.Response, retries_taken: int, replay: Callable[[], R]) -> None:
        super().__init__(http_response, retries_taken)
        self._replay = replay

    @overload
    def parse(self) -> R: ...
    @overload
    def parse(self, *, to: Type[T]) -> T: ...
    def parse(self, *, to: Optional[Type[T]] = None) -> Any:
        if to is not None:
            self.read()
            return parse_json(self.http_response, to)
        if self._parsed is _NOTHING:
            self._parsed = self._replay()
        return self._parsed

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> object:
        self.read()
        return self.http_response.json()

    def close(self) -> None:
        """Close the response, and the stream ``parse()`` made of it (which may have moved on to
        another response after resuming)."""
        self.http_response.close()
        close: Any = getattr(self._parsed, "close", None)  # a Stream; a model or a page has none
        if callable(close):
            close()

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()


class AsyncAPIResponse(_BaseAPIResponse, Generic[R]):
    """``APIResponse`` of the async client: ``await response.parse()``."""

    def __init__(self, http_response: httpx.Response, retries_taken: int, replay: Callable[[], Awaitable[R]]) -> None:
        super().__init__(http_response, retries_taken)
        self._replay = replay

    @overload
    async def parse(self) -> R: ...
    @overload
    async def parse(self, *, to: Type[T]) -> T: ...
    async def parse(self, *, to: Optional[Type[T]] = None) -> Any:
        if to is not None:
            await self.read()
            return parse_json(self.http_response, to)
        if self._parsed is _NOTHING:
            self._parsed = await self._replay()
        return self._parsed

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> object:
        await self.read()
        return self.http_response.json()

    async def close(self) -> None:
        """See ``APIResponse.close``."""
        await self.http_response.aclose()
        close: Any = getattr(self._parsed, "close", None)  # an AsyncStream; a model or a page has none
        if callable(close):
            closing = close()
            if inspect.isawaitable(closing):
                await closing

    def iter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()


# --- wrappers -------------------------------------------------------------------------------------


def _call_capturing(method: Callable[P, Any], unread: bool, *args: P.args, **kwargs: P.kwargs) -> _Capture:
    capture = _Capture(unread=unread)
    token = _CAPTURE.set(capture)
    try:
        method(*args, **kwargs)
    except _Captured:
        pass
    finally:
        _CAPTURE.reset(token)
    return _check_captured(method, capture)


def _check_captured(method: Callable[..., Any], capture: _Capture) -> _Capture:
    if capture.response is None:  # pragma: no cover - every wrapped method sends a request
        raise LettaError(f"{getattr(method, '__name__', method)} sent no request")
    return capture


def _replaying(capture: _Capture) -> _Capture:
    """The capture a replay runs under: the captured response, and what the first run prepared."""
    return _Capture(unread=False, response=capture.response, prepared=capture.prepared)


def _read_error(error: httpx.HTTPError, response: httpx.Response) -> APIConnectionError:
    """A JSON body that broke off while ``parse()`` read it, as the transport words a broken read."""
    request = response.request
    return APIConnectionError(
        f"Connection error on {request.method} {request.url.path} while reading its answer: "
        f"{redacted_repr(error, request)}",
        request,
    )


def _sync_raw(method: Callable[P, R], unread: bool, *args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
    capture = _call_capturing(method, unread, *args, **kwargs)
    response = cast(httpx.Response, capture.response)

    def replay() -> R:
        if capture.unread_json:
            try:
                response.read()
            except httpx.HTTPError as error:
                raise _read_error(error, response) from error
        token = _CAPTURE.set(_replaying(capture))
        try:
            return method(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)

    return APIResponse(response, capture.retries_taken, replay)


def to_raw_response(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """``method``, returning the ``APIResponse`` (body read, unless the call streams)."""

    @wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        return _sync_raw(method, False, *args, **kwargs)

    return wrapped


def to_streamed_response(method: Callable[P, R]) -> Callable[P, ContextManager[APIResponse[R]]]:
    """``method`` as a context manager over its unread ``APIResponse``, closed on exit."""

    @wraps(method)
    @contextmanager
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Generator[APIResponse[R], None, None]:
        response = _sync_raw(method, True, *args, **kwargs)
        try:
            yield response
        finally:
            response.close()

    return wrapped


async def _async_raw(
    method: Callable[P, Awaitable[R]], unread: bool, *args: P.args, **kwargs: P.kwargs
) -> AsyncAPIResponse[R]:
    capture = _Capture(unread=unread)
    token = _CAPTURE.set(capture)
    try:
        await method(*args, **kwargs)
    except _Captured:
        pass
    finally:
        _CAPTURE.reset(token)
    response = cast(httpx.Response, _check_captured(method, capture).response)

    async def replay() -> R:
        if capture.unread_json:
            try:
                await response.aread()
            except httpx.HTTPError as error:
                raise _read_error(error, response) from error
        replay_token = _CAPTURE.set(_replaying(capture))
        try:
            return await method(*args, **kwargs)
        finally:
            _CAPTURE.reset(replay_token)

    return AsyncAPIResponse(response, capture.retries_taken, replay)


def async_to_raw_response(method: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, AsyncAPIResponse[R]]]:
    """``method`` (a coroutine function, or one returning an awaitable ``AsyncPaginator``),
    returning the ``AsyncAPIResponse``."""

    @wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        return await _async_raw(method, False, *args, **kwargs)

    return wrapped


def async_to_streamed_response(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncContextManager[AsyncAPIResponse[R]]]:
    """``method`` as an async context manager over its unread ``AsyncAPIResponse``."""

    @wraps(method)
    @asynccontextmanager
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncGenerator[AsyncAPIResponse[R], None]:
        response = await _async_raw(method, True, *args, **kwargs)
        try:
            yield response
        finally:
            await response.close()

    return wrapped
