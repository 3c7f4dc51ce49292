"""A loopback proxy that breaks chosen requests in chosen ways, between the SDK and a real server.

Each connection carries one request (the proxy adds ``Connection: close``), so every request is
seen. ``Breaker.add(match, fault)`` queues a fault for the next request whose request line
matches the regular expression; the others pass untouched. Faults:

* ``Fault("early", after=n)``: forward only the request head and ``n`` bytes of its body, then
  reset the client and hang up on the server (the request never arrives whole);
* ``Fault("lost")``: forward the whole request, wait until the server starts answering, then
  reset the client without forwarding a byte;
* ``Fault("cut", after=n)``: forward the response head and ``n`` bytes of its body, then reset.

``requests`` records (request line, body) of every request forwarded; ``applied`` lists the faults
that fired (a cut beyond the end of a short answer does not).
Nothing here sleeps: threads block on sockets.
"""

from __future__ import annotations

import dataclasses
import re
import select
import socket
import struct
import threading
from typing import List, Optional, Tuple

__all__ = ["Breaker", "Fault"]


@dataclasses.dataclass
class Fault:
    kind: str  # early | lost | cut
    after: int = 0


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def _read_request(client: socket.socket) -> Optional[Tuple[bytes, bytes]]:
    """The request head (with ``Connection: close``) and its body, or ``None``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n", body


class Breaker:
    def __init__(self, upstream: str) -> None:
        host, _, port = upstream.rsplit("/", 1)[-1].partition(":")
        self._upstream = (host, int(port))
        self._faults: List[Tuple[re.Pattern[str], Fault]] = []
        self._lock = threading.Lock()
        self.requests: List[Tuple[str, bytes]] = []
        self.applied: List[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def add(self, match: str, fault: Fault) -> None:
        with self._lock:
            self._faults.append((re.compile(match), fault))

    def pending(self) -> int:
        with self._lock:
            return len(self._faults)

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def __enter__(self) -> Breaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _take(self, request_line: str) -> Optional[Fault]:
        with self._lock:
            for index, (pattern, fault) in enumerate(self._faults):
                if pattern.search(request_line):
                    del self._faults[index]
                    return fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: Optional[socket.socket] = None
        try:
            request = _read_request(client)
            if request is None:
                client.close()
                return
            head, body = request
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            fault = self._take(line)
            with self._lock:
                self.requests.append((line, body))
            upstream = socket.create_connection(self._upstream)
            if fault is not None and fault.kind == "early":
                upstream.sendall(head + body[: min(fault.after, max(len(body) - 1, 0))])
                self._fired(fault)
                _reset(client)
                return
            upstream.sendall(head + body)
            if fault is not None and fault.kind == "lost":
                select.select([upstream], [], [], 120)  # the server starts answering
                self._fired(fault)
                _reset(client)
                return
            self._relay(client, upstream, fault)
        except OSError:
            client.close()
        finally:
            if upstream is not None:
                upstream.close()

    def _relay(self, client: socket.socket, upstream: socket.socket, fault: Optional[Fault]) -> None:
        seen = b""
        budget: Optional[int] = None  # body bytes left before the cut, once the head is through
        while True:
            data = upstream.recv(65536)
            if not data:
                client.close()
                return
            if fault is None:
                client.sendall(data)
                continue
            if budget is None:
                seen += data
                if b"\r\n\r\n" not in seen:
                    client.sendall(data)
                    continue
                head_end = seen.index(b"\r\n\r\n") + 4
                body_part = seen[head_end:]
                client.sendall(data[: len(data) - len(body_part)])
                budget = fault.after
                data = body_part
            client.sendall(data[:budget])
            budget -= min(budget, len(data))
            if budget == 0:
                self._fired(fault)
                _reset(client)
                return

    def _fired(self, fault: Fault) -> None:
        with self._lock:
            self.applied.append(fault.kind)
