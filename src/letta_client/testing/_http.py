"""The simulator's own small request/response types, shared by the httpx transports and the
loopback server (so the simulator does not depend on either)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from typing_extensions import Protocol

from ._wire import dumps

__all__ = ["Disconnected", "Handler", "SimRequest", "SimResponse", "json_response", "sse_response"]

JSON_TYPE = "application/json"
SSE_TYPE = "text/event-stream; charset=utf-8"


class Disconnected(Exception):
    """Raised by a response body (or instead of a response) to drop the connection."""


@dataclasses.dataclass
class SimRequest:
    """One request as the simulator saw it. ``headers`` keys are lower-case."""

    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The decoded JSON body (``None`` when there is no body or it is not JSON)."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def query_value(self, name: str) -> Optional[str]:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclasses.dataclass
class SimResponse:
    status: int
    headers: List[Tuple[str, str]]
    body: Union[bytes, Iterator[bytes]]

    @property
    def streaming(self) -> bool:
        return not isinstance(self.body, bytes)


class Handler(Protocol):
    """What the transports and the loopback server serve: the ``Simulator``, seen only as this."""

    def handle(self, request: SimRequest) -> SimResponse: ...


def json_response(status: int, value: Any, headers: Optional[List[Tuple[str, str]]] = None) -> SimResponse:
    return SimResponse(status, [("content-type", JSON_TYPE), *(headers or [])], dumps(value).encode())


def sse_response(body: Iterator[bytes]) -> SimResponse:
    return SimResponse(200, [("content-type", SSE_TYPE)], body)
