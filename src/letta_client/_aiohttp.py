"""The ``aiohttp`` extra's transport: httpx requests sent and read by aiohttp.

``DefaultAioHttpClient`` (``_http_clients``) is an ``httpx.AsyncClient`` whose transport is
``AiohttpTransport``. httpx-aiohttp's transport supplies the connection pool (an
``aiohttp.ClientSession`` built from httpx's ``verify``, ``cert``, ``limits`` and proxy settings);
the request and the body are handled here, because the SDK's guarantees depend on three things:

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

The body is read with ``readany()``: whatever has arrived, at once. An event is never held back
waiting for more bytes, and many events that arrived together cost one read.
"""

from __future__ import annotations

from typing import AsyncIterator, Dict, Optional, Tuple, Type

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _PoolSettings

__all__ = ["AiohttpTransport"]

_ERRORS: Tuple[Tuple[Type[aiohttp.ClientError], Type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),  # SocketTimeoutError: no byte within the read timeout
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS handshake: nothing was sent
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),  # hung up after the request went out
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # the body ended before its end (chunked, length)
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # not a valid HTTP answer
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientConnectionError, httpx.ReadError),  # reset, or closed while in use
)
"""aiohttp error → httpx error, the first match wins (subclasses before their bases)."""


def httpx_error_class(cls: Type[aiohttp.ClientError]) -> Type[httpx.TransportError]:
    """The httpx error class that stands for the aiohttp error class ``cls``."""
    return next((target for source, target in _ERRORS if issubclass(cls, source)), httpx.TransportError)


def httpx_error(error: aiohttp.ClientError, request: httpx.Request) -> httpx.TransportError:
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
        except aiohttp.ClientError as error:
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

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self.answer.content
        while True:
            try:
                chunk = await content.readany()
            except aiohttp.ClientError as error:
                failure = httpx_error(error, self.request)
            else:
                if chunk:
                    yield chunk
                    continue
                self.read_to_the_end = True
                return
            raise failure

    async def aclose(self) -> None:
        """Return the connection to the pool after a body read to its end; otherwise close it, as
        httpx's own transport does, so a server whose stream was left unfinished sees the client
        go. (aiohttp itself pools a connection once the whole body has arrived, read or not.)"""
        if self.read_to_the_end:
            self.answer.release()
        else:
            self.answer.close()
