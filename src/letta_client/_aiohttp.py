"""The ``aiohttp`` extra's transport: httpx requests sent and read by aiohttp.

``DefaultAioHttpClient`` (``_http_clients``) is an ``httpx.AsyncClient`` whose transport is
``AiohttpTransport``. httpx-aiohttp's transport supplies the connection pool (an
``aiohttp.ClientSession`` built from httpx's ``verify``, ``cert``, ``limits`` and proxy settings);
the request and the body are handled here, because the SDK's guarantees depend on four things:

* **Which httpx error.** The retry policy reads the class: a connection that could not be made
  (``ConnectError``, ``ConnectTimeout``) is retried even for a message send, because nothing was
  sent; anything later is not, so a send is never replayed. ``_ERRORS`` gives each aiohttp error
  the class httpx's own transport raises in the same situation. (httpx-aiohttp's own map turns
  both "connection refused" and "the server hung up after the request went out" into
  ``ConnectTimeout``, and lets a malformed answer through as aiohttp's ``ClientResponseError``.)
* **Who retries.** aiohttp sends a GET (any method HTTP calls idempotent) once more by itself
  when the server hangs up. That is turned off: the SDK's policy decides alone, and
  ``max_retries`` counts every attempt.
* **Nothing secret in the error.** The httpx error carries aiohttp's type and message, not the
  aiohttp exception itself: its repr can show the request's headers (``ClientResponseError``)
  or proxy credentials (``ClientConnectorError``'s connection key).
* **Every read ends.** A wait for the head ends at aiohttp's read timeout (set to httpx's) or
  with its parser's error. A wait for body bytes is bounded here (``_Guard``): by the read
  timeout (a stream's idle timeout; for any other call, the time left before its total
  deadline), and by the loss of the connection. aiohttp's own bound is not enough there: when
  its C parser meets malformed chunked framing after the head (a bad chunk-size line or
  extension, chunk data not followed by CRLF), it closes the connection and stops its read
  timer but never fails the body, which waits forever (aiohttp 3.8 to 3.14 at least). Such a
  body fails as httpx's transport fails on the same bytes, with ``RemoteProtocolError``; an open
  connection that sends nothing is a ``ReadTimeout``.

The body is read with ``readany()``: whatever has arrived, at once. An event is never held back
waiting for more bytes, and many events that arrived together cost one read.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Dict, Optional, Tuple, Type, cast

import aiohttp
import httpx
from aiohttp.client_proto import ResponseHandler
from aiohttp.connector import Connection
from aiohttp.http_exceptions import HttpProcessingError
from httpx_aiohttp import AiohttpTransport as _PoolSettings

__all__ = ["AiohttpTransport"]

_ERRORS: Tuple[Tuple[Type[Exception], Type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),  # SocketTimeoutError: no byte within the read timeout
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS handshake: nothing was sent
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),  # hung up after the request went out
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # the body ended before its end (chunked, length)
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # not a valid HTTP answer
    # a malformed body, as aiohttp's pure-Python parser (PyPy, AIOHTTP_NO_EXTENSIONS) reports it
    (HttpProcessingError, httpx.RemoteProtocolError),
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientConnectionError, httpx.ReadError),  # reset, or closed while in use
)
"""aiohttp error → httpx error, the first match wins (subclasses before their bases)."""


_FAILURES = (aiohttp.ClientError, HttpProcessingError)
"""What aiohttp raises for a failed request or body."""


def httpx_error_class(cls: Type[Exception]) -> Type[httpx.TransportError]:
    """The httpx error class that stands for the aiohttp error class ``cls``."""
    return next((target for source, target in _ERRORS if issubclass(cls, source)), httpx.TransportError)


def httpx_error(error: Exception, request: httpx.Request) -> httpx.TransportError:
    """The httpx error for ``error``, with aiohttp's type and message. Raise it after the
    ``except`` block that caught ``error``, so that it keeps no reference to it (not even as its
    context)."""
    return httpx_error_class(type(error))(f"{type(error).__name__}: {error}", request=request)


class AiohttpTransport(_PoolSettings):
    """An httpx transport over an aiohttp connection pool (see the module docstring)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self.client  # a session, a factory of one, or None: the session is made on first use
        if not isinstance(session, aiohttp.ClientSession):  # pyright: ignore[reportUnnecessaryIsInstance]
            session = self.client = self.get_client()
            # no retries of aiohttp's own (see the module docstring)
            setattr(session, "_retry_connection", False)  # noqa: B010 (a private aiohttp setting)
        timeout: Dict[str, Optional[float]] = request.extensions.get("timeout", {})
        proxy = self.proxy
        headers = [(name, value) for name, value in request.headers.multi_items() if name != "transfer-encoding"]
        body = await request.aread()  # the SDK's bodies are small JSON documents
        try:
            answer: aiohttp.ClientResponse = await session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=body or None,
                allow_redirects=False,  # httpx follows redirects itself, when asked to
                auto_decompress=False,  # httpx decodes the content-encoding
                timeout=aiohttp.ClientTimeout(
                    connect=timeout.get("pool"),  # aiohttp's ``connect`` includes the wait for a free connection
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
                server_hostname=request.extensions.get("sni_hostname"),
                proxy=str(proxy.url) if proxy is not None else None,
                proxy_auth=aiohttp.BasicAuth(*proxy.auth) if proxy is not None and proxy.auth else None,
                proxy_headers=dict(proxy.headers) if proxy is not None else None,
            )
        except _FAILURES as error:
            failure = httpx_error(error, request)
        else:
            return _response(answer, request)
        raise failure


def _response(answer: aiohttp.ClientResponse, request: httpx.Request) -> httpx.Response:
    extensions: Dict[str, object] = {"http_version": b"HTTP/1.1"}
    if answer.reason:
        extensions["reason_phrase"] = answer.reason.encode("ascii", "replace")
    return httpx.Response(
        answer.status, headers=answer.raw_headers, stream=_Body(answer, request), request=request, extensions=extensions
    )


class _Body(httpx.AsyncByteStream):
    """A response body, chunk by chunk as it arrives."""

    def __init__(self, answer: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self.answer, self.request = answer, request
        self.read_to_the_end = False
        timeout: Dict[str, Optional[float]] = request.extensions.get("timeout", {})
        self.idle = timeout.get("read")
        self.guard: Optional[_Guard] = None  # made at the first wait for bytes

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while True:
                try:
                    chunk = await self._next()
                except _FAILURES as error:
                    failure = httpx_error(error, self.request)
                else:
                    if chunk:
                        yield chunk
                        continue
                    self.read_to_the_end = True
                    return
                raise failure
        finally:
            self._unguard()

    async def _next(self) -> bytes:
        """What arrived since the last read (``b""`` at the end of the body); when nothing has,
        the next bytes, waited for under the body's ``_Guard``."""
        content = self.answer.content
        chunk = content.read_nowait()  # raises the error the body ended with, if any
        if chunk or content.is_eof():
            return chunk
        guard = self.guard
        if guard is None:
            guard = self.guard = _Guard(content, self.answer.connection, self.idle)
        guard.begin()
        try:
            return await content.readany()
        finally:
            guard.since = None

    def _unguard(self) -> None:
        if self.guard is not None:
            self.guard.close()
            self.guard = None

    async def aclose(self) -> None:
        """Return the connection to the pool after a body read to its end; otherwise close it, as
        httpx's own transport does, so a server whose stream was left unfinished sees the client
        go. (aiohttp itself pools a connection once the whole body has arrived, read or not.)"""
        self._unguard()
        if self.read_to_the_end:
            self.answer.release()
        else:
            self.answer.close()


class _Guard:
    """The two bounds on a body's waits for bytes (``begin()`` before each; ``since`` is reset
    after it). When the connection is gone and the body has neither ended nor failed (what
    aiohttp's C parser leaves behind after malformed chunked framing, see the module docstring),
    the body fails with ``ClientPayloadError``: at once, as aiohttp 3.13 and later say when a
    connection goes, or at the next bound on earlier versions. A wait that gets no byte for
    ``idle`` seconds fails the body with ``SocketTimeoutError`` (aiohttp's own read timeout, which
    that parser error stops), or with ``ClientPayloadError`` if the connection is gone by then.
    ``_ERRORS`` maps both as for any body: ``RemoteProtocolError``, ``ReadTimeout``.

    A wait costs two attribute writes: the timer is made once and, when it fires during a later
    wait than the one that set it, set again for that wait's end (aiohttp itself makes a new
    timer for each read from the socket)."""

    def __init__(self, content: aiohttp.StreamReader, connection: Optional[Connection], idle: Optional[float]) -> None:
        self.content, self.idle = content, idle
        self.protocol: Optional[ResponseHandler] = connection.protocol if connection is not None else None
        self.loop = asyncio.get_running_loop()
        self.since: Optional[float] = None  # when the current wait began; None between waits
        self.received = 0  # the body's bytes when it began
        self.timer: Optional[asyncio.TimerHandle] = None
        self.closed: Optional[asyncio.Future[None]] = None
        closed: object = getattr(self.protocol, "closed", None)  # aiohttp >= 3.13: done when the connection is lost
        if isinstance(closed, asyncio.Future):
            self.closed = cast("asyncio.Future[None]", closed)
            self.closed.remove_done_callback(_seen)  # one ``_seen`` per connection, however many bodies
            self.closed.add_done_callback(_seen)
            self.closed.add_done_callback(self._lost)

    def begin(self) -> None:
        """A wait for bytes begins: nothing is buffered, and the body has neither ended nor failed."""
        if not self._connected():
            self._fail_if_stuck(self._broken())
            return
        self.since = self.loop.time()
        self.received = self.content.total_bytes
        if self.timer is None and self.idle is not None:
            self.timer = self.loop.call_at(self.since + self.idle, self._tick)

    def close(self) -> None:
        self.since = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.closed is not None:
            self.closed.remove_done_callback(self._lost)
            self.closed = None

    def _connected(self) -> bool:
        """Whether aiohttp has not yet handled the loss of the connection (once it has, the body
        has its final state: ended, failed, or — after a parser error — neither)."""
        return self.protocol is not None and self.protocol.connected

    def _lost(self, _: object) -> None:
        if self.since is not None:  # between waits, what is buffered is read first; ``begin`` sees the loss
            self._fail_if_stuck(self._broken())

    def _tick(self) -> None:
        self.timer = None
        if self.since is None or self.idle is None:
            return  # no wait under way: the next one sets the timer
        left = self.since + self.idle - self.loop.time()
        if left > 0.001:
            self.timer = self.loop.call_later(left, self._tick)  # a later wait than the one that set it
        elif self.content.total_bytes == self.received:  # otherwise bytes arrived: the read returns them
            self._fail_if_stuck(
                aiohttp.SocketTimeoutError("no bytes within the read timeout") if self._connected() else self._broken()
            )

    def _fail_if_stuck(self, error: aiohttp.ClientError) -> None:
        if self.content.exception() is None and not self.content.is_eof():
            self.content.set_exception(error)

    def _broken(self) -> aiohttp.ClientPayloadError:
        """The error for a body whose connection is gone before its end, with the first line of
        aiohttp's parser error when there is one (the rest quotes the body's bytes)."""
        problem = self.protocol.exception() if self.protocol is not None else None
        if isinstance(problem, HttpProcessingError) and problem.message:
            reason = str(problem.message).splitlines()[0].rstrip(": ")
            return aiohttp.ClientPayloadError(f"the response body is malformed ({reason}); the connection was closed")
        return aiohttp.ClientPayloadError("the connection closed before the end of the response body")


def _seen(closed: asyncio.Future[None]) -> None:
    """Mark how a connection ended as seen. aiohttp makes its ``closed`` future only when asked
    for it (``_Guard`` does), and a future whose exception (a reset) nobody reads is logged as
    "Future exception was never retrieved" when it is collected."""
    if not closed.cancelled():
        closed.exception()
