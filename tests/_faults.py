"""Loopback helpers for the reliability tests: a tiny HTTP/1.1 server and a fault-injecting proxy.

``LoopbackServer(handler)`` listens on 127.0.0.1, parses each request (keep-alive), records it
(``requests``: request line, raw header lines, body) and writes what ``handler(request)`` returns:
a ``Reply`` with a status, headers and either a whole body or a list of SSE frames. Streamed
bodies are HTTP/1.1 chunked, or — with ``framing="close"`` — delimited by closing the connection,
so a connection cut at a frame boundary is a clean end of body (what ``IncompleteStreamError``
is about).

``FaultProxy(upstream_port)`` forwards TCP connections to the server, and applies one ``Fault``
per connection (in order; then ``Fault("pass")``) to the bytes going back to the client:

* ``pass``     forward everything;
* ``split``    forward in 1-byte writes;
* ``truncate`` forward ``after`` bytes, then close (FIN);
* ``reset``    forward ``after`` bytes, then reset (RST);
* ``stall``    forward ``after`` bytes, then hold the connection open without sending more
  until ``release()`` (or the proxy closes).

Nothing here sleeps to wait: threads block on sockets and ``threading.Event``.
"""

from __future__ import annotations

import dataclasses
import json
import select
import socket
import struct
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

__all__ = ["Fault", "FaultProxy", "LoopbackServer", "Reply", "Request", "sse_frame"]


def sse_frame(payload: Union[Dict[str, Any], str]) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


@dataclasses.dataclass
class Request:
    request_line: bytes
    header_lines: List[bytes]
    body: bytes

    @property
    def method(self) -> str:
        return self.request_line.split(b" ")[0].decode()

    @property
    def target(self) -> str:
        return self.request_line.split(b" ")[1].decode("latin-1")

    def header(self, name: str) -> Optional[str]:
        for line in self.header_lines:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclasses.dataclass
class Reply:
    status: int = 200
    headers: Dict[str, str] = dataclasses.field(default_factory=lambda: {})
    body: bytes = b""
    frames: Optional[Sequence[bytes]] = None  # an SSE stream instead of ``body``
    framing: str = "chunked"  # or "close" (body delimited by closing the connection)
    stall: Optional[threading.Event] = None  # answer only after this is set (or the client left)
    raw: Optional[bytes] = None  # written as it is instead of an answer, then the connection closes

    def head(self) -> bytes:
        """The status line and headers, as written."""
        lines = [f"HTTP/1.1 {self.status} {_REASONS.get(self.status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.frames is None:
            lines.append(f"content-length: {len(self.body)}")
        else:
            lines.append("content-type: text/event-stream; charset=utf-8")
            lines.append("connection: close" if self.framing == "close" else "transfer-encoding: chunked")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    @staticmethod
    def json(status: int, payload: Any, headers: Optional[Dict[str, str]] = None) -> Reply:
        return Reply(status, {"content-type": "application/json", **(headers or {})}, json.dumps(payload).encode())


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class LoopbackServer:
    def __init__(self, handler: Callable[[Request], Reply]) -> None:
        self.handler = handler
        self.requests: List[Request] = []
        self._lock = threading.Condition()
        self._open = 0  # connections being served
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port: int = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def close(self) -> None:
        _close_listener(self._sock)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_idle(self, timeout: float = 10.0, *, at_most: int = 0) -> bool:
        """Block until no more than ``at_most`` connections are being served (by default: the
        client closed them all)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._open <= at_most, timeout)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._open += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay between small writes
        reader = conn.makefile("rb")
        try:
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                if not self._reply(conn, self.handler(request)):
                    return
        except OSError:
            return
        finally:
            reader.close()
            conn.close()
            with self._lock:
                self._open -= 1
                self._lock.notify_all()

    def _reply(self, conn: socket.socket, reply: Reply) -> bool:
        """Write the reply; False when the connection must close afterwards."""
        if reply.stall is not None:
            reply.stall.wait(30)
            return False
        if reply.raw is not None:
            conn.sendall(reply.raw)
            return False
        if reply.frames is None:
            conn.sendall(reply.head() + reply.body)
            return True
        conn.sendall(reply.head())
        if reply.framing == "close":
            for frame in reply.frames:
                conn.sendall(frame)
            return False
        for frame in reply.frames:
            conn.sendall(b"%x\r\n%s\r\n" % (len(frame), frame))
        conn.sendall(b"0\r\n\r\n")
        return True


def _read_request(reader: Any) -> Optional[Request]:
    line = reader.readline(65537)
    if not line:
        return None
    headers: List[bytes] = []
    while True:
        header = reader.readline(65537)
        if header in (b"\r\n", b"\n", b""):
            break
        headers.append(header.rstrip(b"\r\n"))
    request = Request(line.rstrip(b"\r\n"), headers, b"")
    length = int(request.header("content-length") or 0)
    request.body = reader.read(length) if length else b""
    return request


@dataclasses.dataclass
class Fault:
    kind: str = "pass"  # pass | split | truncate | reset | stall
    after: int = 0  # response bytes forwarded before the fault


class FaultProxy:
    def __init__(self, upstream_port: int, faults: Sequence[Fault] = ()) -> None:
        self.upstream_port = upstream_port
        self.faults: List[Fault] = list(faults)
        self.connections = 0
        self.forwarded: List[int] = []  # response bytes forwarded, per connection
        self._released = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port: int = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def release(self) -> None:
        """Let stalled connections end (they close without sending more)."""
        self._released.set()

    def close(self) -> None:
        self._released.set()
        _close_listener(self._sock)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            fault = self.faults.pop(0) if self.faults else Fault()
            index = self.connections
            self.connections += 1
            self.forwarded.append(0)
            threading.Thread(target=self._relay, args=(client, fault, index), daemon=True).start()

    def _relay(self, client: socket.socket, fault: Fault, index: int) -> None:
        """One thread per connection, both directions (so that closing really closes)."""
        budget = fault.after if fault.kind in ("truncate", "reset", "stall") else None
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while budget is None or budget > 0:
                readable, _, _ = select.select([client, upstream], [], [], 30)
                if not readable:
                    break
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        break
                    upstream.sendall(data)
                if upstream in readable:
                    data = upstream.recv(65536 if budget is None else min(budget, 65536))
                    if not data:
                        break
                    if fault.kind == "split":
                        for i in range(len(data)):
                            client.sendall(data[i : i + 1])
                    else:
                        client.sendall(data)
                    self.forwarded[index] += len(data)
                    if budget is not None:
                        budget -= len(data)
            if fault.kind == "stall":
                self._released.wait(30)
            elif fault.kind == "reset":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()


def _close_listener(sock: socket.socket) -> None:
    """Close a listening socket another thread is blocked in ``accept()`` on (``shutdown``
    wakes that thread; ``close`` alone would leave the socket listening until it returned)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
