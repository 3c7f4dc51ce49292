"""httpx transports that answer from a ``Simulator`` without sockets.

Streaming bodies are handed over chunk by chunk, as a server writes them, so a client sees
each frame when it is produced (and a scripted ``Delay``/``Hold`` really pauses the stream).
A scripted disconnect surfaces as the ``httpx.RemoteProtocolError`` a dropped connection gives.
"""

from __future__ import annotations

from typing import AsyncIterator, Iterator, Optional
from urllib.parse import parse_qs

import anyio.to_thread
import httpx

from ._http import Disconnected, Handler, SimRequest, SimResponse

__all__ = ["AsyncSimulatorTransport", "SimulatorTransport"]

_DROPPED = "peer closed connection without sending complete message body (simulated disconnect)"


def _sim_request(request: httpx.Request, body: bytes) -> SimRequest:
    return SimRequest(
        method=request.method,
        path=request.url.path,
        query=parse_qs(request.url.query.decode("ascii"), keep_blank_values=True),
        headers={key.lower(): value for key, value in request.headers.items()},
        body=body,
    )


def _close(body: Iterator[bytes]) -> None:
    close = getattr(body, "close", None)
    if close is not None:
        try:
            close()
        except ValueError:  # the generator is running in another thread; it ends by itself
            pass


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, body: Iterator[bytes], request: httpx.Request) -> None:
        self._body = body
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._body
        except Disconnected:
            raise httpx.RemoteProtocolError(_DROPPED, request=self._request) from None

    def close(self) -> None:
        _close(self._body)


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, body: Iterator[bytes], request: httpx.Request) -> None:
        self._body = body
        self._request = request

    def _next(self) -> Optional[bytes]:
        return next(self._body, None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            try:
                chunk = await anyio.to_thread.run_sync(self._next)
            except Disconnected:
                raise httpx.RemoteProtocolError(_DROPPED, request=self._request) from None
            if chunk is None:
                return
            yield chunk

    async def aclose(self) -> None:
        _close(self._body)


def _response(answer: SimResponse, stream: httpx.SyncByteStream | httpx.AsyncByteStream | None) -> httpx.Response:
    if stream is None:
        assert isinstance(answer.body, bytes)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)
    return httpx.Response(answer.status, headers=answer.headers, stream=stream)


class SimulatorTransport(httpx.BaseTransport):
    """Sends every request to ``simulator.handle``."""

    def __init__(self, simulator: Handler) -> None:
        self.simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            answer = self.simulator.handle(_sim_request(request, request.read()))
        except Disconnected:
            raise httpx.RemoteProtocolError(_DROPPED, request=request) from None
        if isinstance(answer.body, bytes):
            return _response(answer, None)
        return _response(answer, _SyncBody(answer.body, request))


class AsyncSimulatorTransport(httpx.AsyncBaseTransport):
    """The async twin of ``SimulatorTransport``; blocking waits run in a worker thread."""

    def __init__(self, simulator: Handler) -> None:
        self.simulator = simulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        try:
            answer = self.simulator.handle(_sim_request(request, body))
        except Disconnected:
            raise httpx.RemoteProtocolError(_DROPPED, request=request) from None
        if isinstance(answer.body, bytes):
            return _response(answer, None)
        return _response(answer, _AsyncBody(answer.body, request))
