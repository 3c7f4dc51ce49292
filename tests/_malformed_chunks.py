"""A loopback server whose chunked answers go wrong after their head has arrived.

``StagedServer(case, then)`` answers every request in two stages. First the head (chunked) and
one good chunk (or, with ``together=True``, the head alone, the good chunk coming in the same
write as the piece). Then, once the client has the head (``on_response`` is the test's httpx
``response`` event hook), the case's piece of chunked framing (``CASES``: malformed pieces, and
one only cut short), after which it closes the connection (``then="close"``), resets it
(``then="reset"``) or holds it open without sending more (``then="stall"``, until ``close()``).

Waiting for the head makes the piece arrive after it, in a read of its own. That is the case
aiohttp's C parser mishandles; a parser error in the same read as the head fails the request
itself, which aiohttp does handle.

Nothing here sleeps: the server's threads block on a semaphore and an event.
"""

from __future__ import annotations

import dataclasses
import socket
import struct
import threading
from typing import Dict, FrozenSet

import aiohttp.client_proto
import httpx
from aiohttp.http_parser import HttpResponseParserPy

from _faults import LoopbackServer, Reply

__all__ = ["CASES", "ENDINGS", "Case", "StagedServer", "parser"]


@dataclasses.dataclass(frozen=True)
class Case:
    piece: bytes
    """What the server sends after the head and a good chunk (then it closes or stalls)."""
    rejected_by: FrozenSet[str]
    """The HTTP parsers (``parser()``) that see ``piece`` as malformed at once. A parser that takes
    it reads on: a close is then a body cut short, a stall a read timeout."""


_ALL = frozenset({"h11", "llhttp", "aiohttp-python"})

CASES: Dict[str, Case] = {
    "bad-size-line": Case(b"zz\r\nhello\r\n", _ALL),  # a chunk size that is not hexadecimal
    # a control character in an extension's name: llhttp refuses it; h11 and aiohttp's Python
    # parser skip extensions unread
    "bad-extension": Case(b"5;\x01\r\nhello\r\n", frozenset({"llhttp"})),
    "lf-in-extension": Case(b"5;a\nb\r\nhello\r\n", _ALL),  # a bare LF inside an extension
    "data-without-crlf": Case(b"5\r\nhelloXX", _ALL),  # a chunk's data, then not CRLF
    "data-cut-short": Case(b"5\r\nhel", frozenset()),  # not malformed: the rest never comes
}


def parser(transport: str) -> str:
    """The HTTP/1.1 parser the transport uses now: h11 under httpx's; under aiohttp's, its C
    parser (llhttp) or its pure-Python one (PyPy's, ``AIOHTTP_NO_EXTENSIONS=1``'s)."""
    if transport == "httpx":
        return "h11"
    return "aiohttp-python" if aiohttp.client_proto.HttpResponseParser is HttpResponseParserPy else "llhttp"


ENDINGS = ("close", "stall")

_WAIT = 30.0  # the longest a server thread waits for the client (it is never reached in a passing run)


class StagedServer(LoopbackServer):
    def __init__(
        self,
        case: str,
        then: str,
        *,
        content_type: str = "text/event-stream",
        first: bytes = b"",
        together: bool = False,
    ) -> None:
        assert then in (*ENDINGS, "reset")
        self.piece = CASES[case].piece
        self.then = then
        self.content_type = content_type
        self.first = first
        self.together = together  # the good chunk goes with the piece, in one write, not with the head
        self._heads = threading.Semaphore(0)  # one release for each head the client got
        self._released = threading.Event()
        super().__init__(lambda request: Reply())  # the answer is written by ``_reply``

    async def on_response(self, response: httpx.Response) -> None:
        """An httpx ``response`` event hook: the client has the head, the body is still unread."""
        self.go()

    def go(self) -> None:
        """Let the second stage of one answer go (``on_response`` calls it for each head)."""
        self._heads.release()

    def close(self) -> None:
        self._released.set()
        super().close()

    def _reply(self, conn: socket.socket, reply: Reply) -> bool:
        head = f"HTTP/1.1 200 OK\r\ncontent-type: {self.content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
        good = b"%x\r\n%s\r\n" % (len(self.first), self.first) if self.first else b""
        conn.sendall(head.encode() + (b"" if self.together else good))
        if not self._heads.acquire(timeout=_WAIT):
            return False
        conn.sendall((good if self.together else b"") + self.piece)
        if self.then == "stall":
            self._released.wait(_WAIT)
        elif self.then == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
        return False
