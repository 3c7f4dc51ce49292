"""Builds HTTP requests and sends them with httpx, retrying where it is safe (see ``_retry``).

The resources call ``request()``; it returns the ``httpx.Response`` of a 2xx answer (unread when
``stream=True``) or raises a typed ``APIError``. What to do next (send, read, close, wait, give
up) is decided once, by the sans-IO generator ``_BaseTransport._flow`` (as httpx's auth flows
are); ``SyncTransport`` and ``AsyncTransport`` only perform the steps it yields.

Every httpx exception the SDK can meet becomes an SDK exception here (``HTTPX_ERRORS``).

The deadline: a call ends within its total timeout (``timeout.read``, 60 s by default) —
every attempt, the waits between them and the reading of a JSON body included. A wait that
would pass the deadline is not taken: the last error is raised instead. A stream's body has no
total (its ``timeout.read`` is its idle timeout), but getting its answer does: an attempt after
a retry must have the answer's head within the time left (``_Send.within``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
import re
import time
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    Dict,
    Generator,
    Iterator,
    Mapping,
    Optional,
    Tuple,
    Type,
    Union,
    cast,
)

import httpx

from ._advice import address, running_turn, unreachable
from ._error_text import redacted_repr, shown
from ._exceptions import APIConnectionError, APITimeoutError, ClientClosedError, status_error
from ._logs import log_request
from ._observe import observers, retrying
from ._response import captured, leave_unread, replayed
from ._retry import retry_delay, should_retry_error, should_retry_response
from ._sentinels import given
from ._sse import DEFAULT_MAX_EVENT_SIZE, MAX_EVENT_SIZE_EXTENSION
from ._version import __version__

if TYPE_CHECKING:
    from .types.params import RequestOptions

__all__ = ["HTTPX_ERRORS", "AsyncTransport", "ClientOptions", "SyncTransport", "clean_headers", "header_value"]

HTTPX_ERRORS: Tuple[Type[Exception], ...] = (httpx.HTTPError, httpx.InvalidURL, httpx.CookieConflict, httpx.StreamError)
"""Every exception httpx raises (a test walks httpx's classes to keep this complete)."""

# The Letta server lets only clients that name themselves ``letta-client/1.x`` use
# ``streaming=true``; this SDK is that client, so it says so, and nothing more.
USER_AGENT = f"letta-client/{__version__}"

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


@dataclasses.dataclass(frozen=True)
class ClientOptions:
    """A client's configuration; ``with_options`` makes a changed copy."""

    base_url: httpx.URL
    api_key: Optional[str] = dataclasses.field(default=None, repr=False)
    basic_auth: Optional[Tuple[str, str]] = dataclasses.field(default=None, repr=False)
    """(username, password) taken out of a ``base_url`` given as ``http://user:pass@host``."""
    timeout: httpx.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = dataclasses.field(default_factory=lambda: {})
    default_query: Mapping[str, object] = dataclasses.field(default_factory=lambda: {})
    project: Optional[str] = None
    project_id: Optional[str] = None
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE

    def headers(self) -> Dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        elif self.basic_auth is not None:
            token = base64.b64encode(":".join(self.basic_auth).encode("utf-8")).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        if self.project:
            headers["X-Project"] = self.project
        if self.project_id:
            headers["X-Project-Id"] = self.project_id
        headers.update(self.default_headers)
        return headers


def as_timeout(value: Union[float, httpx.Timeout, None]) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


@dataclasses.dataclass
class _Send:
    request: httpx.Request
    within: Optional[float] = None
    """For a stream's attempt after a retry: the seconds left for its answer's head to arrive
    (the body's reads keep the request's own timeouts, the stream's idle timeout)."""


@dataclasses.dataclass
class _Read:
    response: httpx.Response


@dataclasses.dataclass
class _Close:
    response: httpx.Response


@dataclasses.dataclass
class _Sleep:
    seconds: float


_Step = Union[_Send, _Read, _Close, _Sleep]


class _Deadline:
    """The moment a call must end by: ``timeout.read`` seconds after it started (none when that
    is ``None``). Each attempt's read and write timeouts are cut to the time left."""

    def __init__(self, clock: Callable[[], float], request: httpx.Request) -> None:
        self.clock = clock
        timeouts: Dict[str, Optional[float]] = request.extensions.get("timeout", {})
        self.total = timeouts.get("read")
        self.timeouts = dict(timeouts)
        self.ends = None if self.total is None else clock() + self.total

    def left(self) -> Optional[float]:
        return None if self.ends is None else self.ends - self.clock()

    def allows(self, wait: float) -> bool:
        """Whether waiting ``wait`` seconds (and trying again) still fits before the deadline."""
        left = self.left()
        return left is None or wait < left

    def limit(self, request: httpx.Request) -> None:
        """Cut the read and write timeouts of the next attempt to the time left."""
        left = self.head_within()
        if left is not None:
            request.extensions["timeout"] = _cut(self.timeouts, left)

    def head_within(self) -> Optional[float]:
        """The seconds left for the next attempt (at least a millisecond; ``None``: no deadline)."""
        left = self.left()
        return None if left is None else max(left, 0.001)

    def check(self, request: httpx.Request) -> None:
        """Raise ``APITimeoutError`` once the deadline has passed (between reads of a body)."""
        left = self.left()
        if left is not None and left <= 0:
            raise _timeout_error(
                f"Request timed out: {request.method} {request.url.path} took longer than its "
                f"{self.total:g} s timeout (retries and waits included).",
                request,
            )


class _BaseTransport:
    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self.clock: Callable[[], float] = time.monotonic
        """The clock the deadline is measured with (replaceable in tests)."""

    def build_request(
        self,
        http_client: Union[httpx.Client, httpx.AsyncClient],
        method: str,
        path: str,
        *,
        body: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
        options: Optional[RequestOptions] = None,
    ) -> httpx.Request:
        """``path`` is already encoded (see ``_paths``). ``options`` are the caller's
        per-request options; an explicit ``timeout=None`` there means no timeout."""
        config = self.options
        options = cast("RequestOptions", given(options or {}))  # NOT_GIVEN / omit: as if not passed
        headers = config.headers()
        if stream:
            headers["Accept"] = "text/event-stream"
        headers.update(clean_headers(options.get("extra_headers") or {}, "extra_headers"))
        headers = given(headers)  # a header set to omit is removed
        params: Dict[str, Any] = {**config.default_query}
        if query:
            params.update({k: v for k, v in query.items() if v is not None})
        params.update(options.get("extra_query") or {})
        params = given(params)
        json_body: Optional[Dict[str, Any]] = None
        extra_body = options.get("extra_body")
        if (body is not None or extra_body) and not files:
            json_body = given({**(body or {}), **(extra_body or {})})
        timeout = as_timeout(options["timeout"]) if "timeout" in options else config.timeout
        base = config.base_url
        form = given({**(body or {}), **(extra_body or {})}) if files else None
        try:
            return http_client.build_request(
                method,
                base.copy_with(raw_path=base.raw_path.rstrip(b"/") + path.encode("ascii")),
                headers=headers,
                params=params or None,
                json=json_body,
                # a multipart upload: the files, and the other fields as form fields
                files=files or None,
                data=form,
                timeout=timeout,
                # the stream reading the answer finds the client's limit on its request
                extensions={MAX_EVENT_SIZE_EXTENSION: config.max_event_size} if stream else None,
            )
        except (TypeError, ValueError) as error:  # an argument that JSON (or a form) cannot carry
            raise _unsendable(f"{method} {path}", json_body if form is None else form, error) from None

    def _max_retries(self) -> int:
        return max(0, self.options.max_retries)

    def _flow(
        self, request: httpx.Request, *, idempotent: bool, stream: bool, retry: bool
    ) -> Generator[_Step, Any, httpx.Response]:
        """The request's control flow, without I/O. It yields the step to perform (``_Send``,
        ``_Read``, ``_Close``, ``_Sleep``); the driver sends back the result, or throws in the
        exception the step raised. It returns the response, or raises an SDK exception."""
        deadline = _Deadline(self.clock, request)
        retries = 0
        while True:
            log_request(request.method, request.url, request.headers, retries + 1)
            within: Optional[float] = None
            if retries and stream:  # the body's reads keep the idle timeout; the answer's head must come in time
                within = deadline.head_within()
            elif retries:
                deadline.limit(request)
            try:
                response: httpx.Response = yield _Send(request, within)
            except HTTPX_ERRORS as error:
                failure = _connection_error(error, request)
                wait = retry_delay(retries, None)
                retryable = isinstance(error, httpx.TransportError) and should_retry_error(error, idempotent=idempotent)
                if retry and retryable and retries < self._max_retries() and deadline.allows(wait):
                    if observers:
                        retrying(request, retries + 1, wait, error=error)
                    yield _Sleep(wait)
                    retries += 1
                    continue
                raise failure from error
            if response.is_success and (stream or leave_unread()):
                return captured(response, retries)
            response.stream = _bounded(response.stream, deadline, request)
            try:
                yield _Read(response)
            except BaseException as error:
                yield _Close(response)
                if isinstance(error, HTTPX_ERRORS):
                    raise _connection_error(error, request) from error
                raise
            if response.is_success:
                return captured(response, retries)
            yield _Close(response)
            wait = retry_delay(retries, response.headers)
            if (
                retry
                and retries < self._max_retries()
                and should_retry_response(response, idempotent=idempotent)
                and deadline.allows(wait)
            ):
                if observers:
                    retrying(request, retries + 1, wait, status=response.status_code)
                yield _Sleep(wait)
                retries += 1
                continue
            raise status_error(response)


_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_SURROUNDING_WHITESPACE = " \t\r\n"


def header_value(value: str, argument: str) -> str:
    """A header value from the caller (``argument`` names where it came from), ready to send.

    Spaces and tabs inside are legal HTTP and sent as they are (``"My API Key"``). Whitespace
    around it, such as the newline of a key read from a file, is removed: HTTP defines a field
    value without it (RFC 9110 §5.5), so a server never sees it anyway, and h11 refuses to send a
    trailing newline. What remains may not hold a CR, LF, another control character or a
    non-ASCII character, which HTTP (or httpx) cannot send: that is a ``ValueError`` naming
    ``argument``, never showing the value (it may be a secret)."""
    cleaned = value.strip(_SURROUNDING_WHITESPACE)
    if not _HEADER_VALUE.fullmatch(cleaned):
        raise ValueError(
            f"{argument} has a control character (such as CR or LF) or a non-ASCII character inside it, which "
            "HTTP cannot send in a header; check how the value was read (it is not shown here)."
        )
    return cleaned


def clean_headers(headers: Mapping[str, Any], argument: str) -> Dict[str, Any]:
    """``headers`` with each string value through ``header_value`` (named ``argument[name]``)."""
    return {
        name: header_value(value, f"{argument}[{name!r}]") if isinstance(value, str) else value
        for name, value in headers.items()
    }


def _unsendable(where: str, fields: Optional[Mapping[str, Any]], error: Exception) -> Exception:
    """The error for a body that cannot be encoded, naming the argument that holds what JSON
    cannot carry (an object of no JSON type, NaN, a list that contains itself), in one line."""
    for name, value in (fields or {}).items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            text = f"{where}: {name}: got {shown(value)}; expected a JSON value (a string, number, True/False, None, list or dict)"
            return ValueError(text) if isinstance(error, ValueError) else TypeError(text)
    return TypeError(f"{where}: the request cannot be encoded ({type(error).__name__}: {error})")


def _connection_error(error: Exception, request: httpx.Request) -> APIConnectionError:
    """The SDK exception for an httpx error; it names the server's host and port (never its
    credentials, which are not in the URL) and says what to check or do."""
    what = f"{request.method} {request.url.path}"
    server = address(request.url)
    if isinstance(error, httpx.ConnectTimeout):
        return APITimeoutError(f"Timed out connecting to {server} for {what}.{unreachable(request.url)}", request)
    if isinstance(error, httpx.TimeoutException):
        return _timeout_error(f"Request timed out: {what} (server {server}).", request)
    if isinstance(error, httpx.DecodingError):
        return APIConnectionError(
            f"The response to {what} could not be decoded (its content-encoding is corrupt): {type(error).__name__}",
            request,
        )
    detail = redacted_repr(error, request)
    if isinstance(error, httpx.ConnectError):
        return APIConnectionError(
            f"Cannot connect to {server} for {what}: {detail}.{unreachable(request.url)}", request
        )
    return APIConnectionError(f"Connection error on {what} (server {server}): {detail}", request)


def _timeout_error(message: str, request: httpx.Request) -> APITimeoutError:
    return APITimeoutError(message + running_turn(request.method, request.url.path), request)


class SyncTransport(_BaseTransport):
    def __init__(self, options: ClientOptions, http_client: httpx.Client) -> None:
        super().__init__(options)
        self.http_client = http_client
        self.sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        stream: bool = False,
        body: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[RequestOptions] = None,
        retry: bool = True,
    ) -> httpx.Response:
        """``retry=False``: one attempt, whatever happens (the caller has its own recovery)."""
        replay = replayed()
        if replay is not None:
            return replay
        if self.http_client.is_closed:
            raise ClientClosedError()
        request = self.build_request(
            self.http_client, method, path, body=body, query=query, files=files, stream=stream, options=options
        )
        flow = self._flow(request, idempotent=idempotent, stream=stream, retry=retry)
        result: Any = None
        failure: Optional[BaseException] = None
        while True:
            try:
                step = flow.throw(failure) if failure is not None else flow.send(result)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            result, failure = None, None
            try:
                result = self._perform(step)
            except BaseException as error:
                failure = error

    def _perform(self, step: _Step) -> Any:
        if isinstance(step, _Send):
            if step.within is None:
                return self.http_client.send(step.request, stream=True)
            with _head_within(step.request, step.within):
                return self.http_client.send(step.request, stream=True)
        if isinstance(step, _Read):
            return step.response.read()
        if isinstance(step, _Close):
            return step.response.close()
        return self.sleep(step.seconds)


class AsyncTransport(_BaseTransport):
    def __init__(self, options: ClientOptions, http_client: httpx.AsyncClient) -> None:
        super().__init__(options)
        self.http_client = http_client
        self.sleep: Callable[[float], Any] = asyncio.sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        stream: bool = False,
        body: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[RequestOptions] = None,
        retry: bool = True,
    ) -> httpx.Response:
        """``retry=False``: one attempt, whatever happens (the caller has its own recovery)."""
        replay = replayed()
        if replay is not None:
            return replay
        if self.http_client.is_closed:
            raise ClientClosedError()
        request = self.build_request(
            self.http_client, method, path, body=body, query=query, files=files, stream=stream, options=options
        )
        flow = self._flow(request, idempotent=idempotent, stream=stream, retry=retry)
        result: Any = None
        failure: Optional[BaseException] = None
        while True:
            try:
                step = flow.throw(failure) if failure is not None else flow.send(result)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            result, failure = None, None
            try:
                result = await self._perform(step)
            except BaseException as error:
                failure = error

    async def _perform(self, step: _Step) -> Any:
        if isinstance(step, _Send):
            sending = self.http_client.send(step.request, stream=True)
            if step.within is None:
                return await sending
            try:  # the whole attempt, on any transport (aiohttp's read timeout would stay cut for the body)
                return await asyncio.wait_for(sending, step.within)
            except asyncio.TimeoutError:
                raise httpx.ReadTimeout("No answer within the time left", request=step.request) from None
        if isinstance(step, _Read):
            return await step.response.aread()
        if isinstance(step, _Close):
            return await step.response.aclose()
        return await self.sleep(step.seconds)


def _cut(timeouts: Mapping[str, Optional[float]], seconds: float) -> Dict[str, Optional[float]]:
    """``timeouts`` with the read and write timeouts cut to ``seconds`` (connecting keeps its own)."""
    return {
        key: value if key in ("connect", "pool") or (value is not None and value <= seconds) else seconds
        for key, value in timeouts.items()
    }


@contextlib.contextmanager
def _head_within(request: httpx.Request, seconds: float) -> Generator[None, None, None]:
    """While the answer's head is awaited, the request's read and write timeouts cut to
    ``seconds``; then its own again, which httpx's transport reads anew for each read of the
    body: a stream's idle timeout is not cut."""
    timeouts: Dict[str, Optional[float]] = request.extensions.get("timeout", {})
    request.extensions["timeout"] = _cut(timeouts, seconds)
    try:
        yield
    finally:
        request.extensions["timeout"] = timeouts


def _bounded(
    stream: Union[httpx.SyncByteStream, httpx.AsyncByteStream], deadline: _Deadline, request: httpx.Request
) -> Union[httpx.SyncByteStream, httpx.AsyncByteStream]:
    """The response body, checked against the deadline after every chunk (so a server that
    trickles its answer cannot hold the call past it)."""
    if isinstance(stream, httpx.AsyncByteStream):
        return _AsyncBounded(stream, deadline, request)
    return _SyncBounded(stream, deadline, request)


class _SyncBounded(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, deadline: _Deadline, request: httpx.Request) -> None:
        self.stream, self.deadline, self.request = stream, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.stream:
            self.deadline.check(self.request)
            yield chunk

    def close(self) -> None:
        self.stream.close()


class _AsyncBounded(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, deadline: _Deadline, request: httpx.Request) -> None:
        self.stream, self.deadline, self.request = stream, deadline, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            self.deadline.check(self.request)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()
