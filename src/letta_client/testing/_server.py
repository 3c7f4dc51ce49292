"""``Simulator.serve()``: the simulator behind a real HTTP/1.1 socket on 127.0.0.1.

Streams go out with chunked transfer encoding, one chunk per SSE frame, flushed at once. A
scripted disconnect closes the socket mid-body, without the final chunk, as a crashed proxy
would.
"""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Optional
from urllib.parse import parse_qs, urlsplit

from ._http import Disconnected, Handler, SimRequest

__all__ = ["LoopbackServer"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "letta-simulator"
    simulator: Handler

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = SimRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        try:
            answer = self.simulator.handle(request)
        except Disconnected:
            self._drop()
            return
        self.send_response(answer.status)
        for key, value in answer.headers:
            self.send_header(key, value)
        if isinstance(answer.body, bytes):
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._write_chunks(answer.body)

    def _write_chunks(self, body: Iterator[bytes]) -> None:
        try:
            for chunk in body:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except Disconnected:
            self._drop()
        except OSError:  # the client went away
            self.close_connection = True
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the listen backlog: hundreds of clients may connect at once (the stdlib's is 5)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a test cutting the connection) is normal here; report the rest."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class LoopbackServer:
    """Serves a simulator on 127.0.0.1:<free port> from a background thread."""

    def __init__(self, simulator: Handler) -> None:
        handler = type("SimulatorHandler", (_Handler,), {"simulator": simulator})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> str:
        self._thread = threading.Thread(target=self._server.serve_forever, name="letta-simulator", daemon=True)
        self._thread.start()
        return self.base_url

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
