"""Builds HTTP requests and sends them with httpx, retrying where it is safe (see ``_retry``).

``SyncTransport`` and ``AsyncTransport`` share everything but the send loop. The resources
call ``request()``; it returns the ``httpx.Response`` of a 2xx answer (unread when
``stream=True``) or raises a typed ``APIError``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, status_error
from ._logs import log_request
from ._response import captured, leave_unread, replayed
from ._retry import retry_delay, should_retry_error, should_retry_response
from ._sse import DEFAULT_MAX_EVENT_SIZE, MAX_EVENT_SIZE_EXTENSION
from ._version import __version__

if TYPE_CHECKING:
    from .types.params import RequestOptions

__all__ = ["AsyncTransport", "ClientOptions", "SyncTransport"]

# The Letta server lets only clients that name themselves ``letta-client/1.x`` use
# ``streaming=true``; this SDK is that client, so it says so, and nothing more.
USER_AGENT = f"letta-client/{__version__}"

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


@dataclasses.dataclass(frozen=True)
class ClientOptions:
    """A client's configuration; ``with_options`` makes a changed copy."""

    base_url: httpx.URL
    api_key: Optional[str] = dataclasses.field(default=None, repr=False)
    timeout: httpx.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    max_retries: int = 2
    default_headers: Mapping[str, str] = dataclasses.field(default_factory=lambda: {})
    default_query: Mapping[str, object] = dataclasses.field(default_factory=lambda: {})
    project: Optional[str] = None
    project_id: Optional[str] = None
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE

    def headers(self) -> Dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if self.project:
            headers["X-Project"] = self.project
        if self.project_id:
            headers["X-Project-Id"] = self.project_id
        headers.update(self.default_headers)
        return headers


def as_timeout(value: Union[float, httpx.Timeout, None]) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


class _BaseTransport:
    def __init__(self, options: ClientOptions) -> None:
        self.options = options

    def build_request(
        self,
        http_client: Union[httpx.Client, httpx.AsyncClient],
        method: str,
        path: str,
        *,
        body: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
        options: Optional[RequestOptions] = None,
    ) -> httpx.Request:
        """``path`` is already encoded (see ``_paths``). ``options`` are the caller's
        per-request options; an explicit ``timeout=None`` there means no timeout."""
        config = self.options
        options = options or {}
        headers = config.headers()
        if stream:
            headers["Accept"] = "text/event-stream"
        headers.update(options.get("extra_headers") or {})
        params: Dict[str, Any] = {**config.default_query}
        if query:
            params.update({k: v for k, v in query.items() if v is not None})
        params.update(options.get("extra_query") or {})
        json_body: Optional[Dict[str, Any]] = None
        extra_body = options.get("extra_body")
        if body is not None or extra_body:
            json_body = {**(body or {}), **(extra_body or {})}
        timeout = as_timeout(options["timeout"]) if "timeout" in options else config.timeout
        base = config.base_url
        return http_client.build_request(
            method,
            base.copy_with(raw_path=base.raw_path.rstrip(b"/") + path.encode("ascii")),
            headers=headers,
            params=params or None,
            json=json_body,
            timeout=timeout,
            # the stream reading the answer finds the client's limit on its request
            extensions={MAX_EVENT_SIZE_EXTENSION: config.max_event_size} if stream else None,
        )

    def _max_retries(self) -> int:
        return max(0, self.options.max_retries)


def _connection_error(error: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {request.method} {request.url.path}", request)
    return APIConnectionError(f"Connection error on {request.method} {request.url.path}: {error!r}", request)


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
        options: Optional[RequestOptions] = None,
        retry: bool = True,
    ) -> httpx.Response:
        """``retry=False``: one attempt, whatever happens (the caller has its own recovery)."""
        replay = replayed()
        if replay is not None:
            return replay
        request = self.build_request(
            self.http_client, method, path, body=body, query=query, stream=stream, options=options
        )
        retries = 0
        while True:
            log_request(request.method, request.url, request.headers, retries + 1)
            try:
                response = self.http_client.send(request, stream=True)
            except httpx.TransportError as error:
                if retry and retries < self._max_retries() and should_retry_error(error, idempotent=idempotent):
                    self.sleep(retry_delay(retries, None))
                    retries += 1
                    continue
                raise _connection_error(error, request) from error
            if response.is_success:
                if not stream and not leave_unread():
                    try:
                        response.read()
                    except httpx.TransportError as error:
                        response.close()
                        raise _connection_error(error, request) from error
                return captured(response, retries)
            try:
                response.read()
            except httpx.TransportError as error:
                raise _connection_error(error, request) from error
            finally:
                response.close()
            if retry and retries < self._max_retries() and should_retry_response(response, idempotent=idempotent):
                self.sleep(retry_delay(retries, response.headers))
                retries += 1
                continue
            raise status_error(response)


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
        options: Optional[RequestOptions] = None,
        retry: bool = True,
    ) -> httpx.Response:
        """``retry=False``: one attempt, whatever happens (the caller has its own recovery)."""
        replay = replayed()
        if replay is not None:
            return replay
        request = self.build_request(
            self.http_client, method, path, body=body, query=query, stream=stream, options=options
        )
        retries = 0
        while True:
            log_request(request.method, request.url, request.headers, retries + 1)
            try:
                response = await self.http_client.send(request, stream=True)
            except httpx.TransportError as error:
                if retry and retries < self._max_retries() and should_retry_error(error, idempotent=idempotent):
                    await self.sleep(retry_delay(retries, None))
                    retries += 1
                    continue
                raise _connection_error(error, request) from error
            if response.is_success:
                if not stream and not leave_unread():
                    try:
                        await response.aread()
                    except httpx.TransportError as error:
                        await response.aclose()
                        raise _connection_error(error, request) from error
                return captured(response, retries)
            try:
                await response.aread()
            except httpx.TransportError as error:
                raise _connection_error(error, request) from error
            finally:
                await response.aclose()
            if retry and retries < self._max_retries() and should_retry_response(response, idempotent=idempotent):
                await self.sleep(retry_delay(retries, response.headers))
                retries += 1
                continue
            raise status_error(response)
