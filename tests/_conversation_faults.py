"""Fault injection between a client and the ``Simulator``, for exactly-once conversation sends.

``Faulty(sim, faults)`` is an httpx transport (sync and async) in front of the simulator. Each
``Fault`` applies to the next request whose method and path match (in order); other requests
pass. Kinds:

* ``pass``     nothing happens (to let a fault apply to a later request);
* ``lost``     the simulator handles the request, the client gets a reset before any byte;
* ``cut``      the simulator answers, the client gets ``after`` bytes of the body, then a reset;
* ``status``   the client gets ``status`` without the simulator seeing the request;
* ``status_after`` the simulator handles the request, the client gets ``status`` instead.

``requests`` records (method, path, body bytes) of every request that reached the simulator.
"""

from __future__ import annotations

import dataclasses
from typing import AsyncIterator, Iterator, List, Optional, Tuple

import httpx

from letta_client.testing import Simulator

__all__ = ["Fault", "Faulty"]


@dataclasses.dataclass
class Fault:
    kind: str
    after: int = 0
    status: int = 502
    path: str = "/messages"
    method: str = "POST"


class _Cut(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._limit = limit

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._response.iter_raw():
            if sent + len(chunk) >= self._limit:
                if self._limit > sent:
                    yield chunk[: self._limit - sent]
                raise httpx.ReadError("connection reset by the fault injector")
            sent += len(chunk)
            yield chunk
        raise httpx.ReadError("connection reset by the fault injector (body shorter than the cut)")

    def close(self) -> None:
        self._response.close()


class _AsyncCut(httpx.AsyncByteStream):
    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        async for chunk in self._response.aiter_raw():
            if sent + len(chunk) >= self._limit:
                if self._limit > sent:
                    yield chunk[: self._limit - sent]
                raise httpx.ReadError("connection reset by the fault injector")
            sent += len(chunk)
            yield chunk
        raise httpx.ReadError("connection reset by the fault injector (body shorter than the cut)")

    async def aclose(self) -> None:
        await self._response.aclose()


class Faulty(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, sim: Simulator, faults: List[Fault]) -> None:
        self.sim = sim
        self.faults = list(faults)
        self.requests: List[Tuple[str, str, bytes]] = []
        self._sync = sim.transport()
        self._async = sim.async_transport()

    def _fault_for(self, request: httpx.Request) -> Optional[Fault]:
        for index, fault in enumerate(self.faults):
            if request.method == fault.method and request.url.path.endswith(fault.path):
                return self.faults.pop(index)
            break  # faults apply in order
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._fault_for(request)
        if fault is not None and fault.kind == "status":
            return httpx.Response(fault.status, json={"detail": "Bad Gateway"}, request=request)
        self.requests.append((request.method, request.url.path, request.read()))
        response = self._sync.handle_request(request)
        if fault is None or fault.kind == "pass":
            return response
        if fault.kind == "cut":
            return httpx.Response(response.status_code, headers=response.headers, stream=_Cut(response, fault.after))
        response.close()
        if fault.kind == "status_after":
            return httpx.Response(fault.status, json={"detail": "Gateway Timeout"}, request=request)
        raise httpx.ReadError("connection reset by the fault injector", request=request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._fault_for(request)
        if fault is not None and fault.kind == "status":
            return httpx.Response(fault.status, json={"detail": "Bad Gateway"}, request=request)
        self.requests.append((request.method, request.url.path, await request.aread()))
        response = await self._async.handle_async_request(request)
        if fault is None or fault.kind == "pass":
            return response
        if fault.kind == "cut":
            return httpx.Response(
                response.status_code, headers=response.headers, stream=_AsyncCut(response, fault.after)
            )
        await response.aclose()
        if fault.kind == "status_after":
            return httpx.Response(fault.status, json={"detail": "Gateway Timeout"}, request=request)
        raise httpx.ReadError("connection reset by the fault injector", request=request)
