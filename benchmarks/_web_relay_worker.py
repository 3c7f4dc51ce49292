"""A relay process for ``web_relay.py``: browsers' streams relayed from a Letta stream, as an app
built on ``letta_client.web`` serves them.

    python benchmarks/_web_relay_worker.py UPSTREAM_URL FORMAT

Serves (uvicorn, 127.0.0.1, a free port, printed first) ``GET /relay``: one agent stream from
``UPSTREAM_URL`` (the benchmarks' loopback SSE server) decoded by ``AsyncLetta`` and re-encoded in
FORMAT (``ui``, ``agui`` or ``letta``) through the ``Framer``, sent as ``chat_app`` sends a turn
(``_turns.relay`` into its stream response);
and ``GET /cpu``: this process's CPU seconds so far, so the caller can measure the relay alone.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import time

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from letta_client import AsyncLetta
from letta_client.web import STREAM_HEADERS, Framer
from letta_client.web._framer import Encoder
from letta_client.web._turns import relay as relayed
from letta_client.web.asgi import _EventStream  # pyright: ignore[reportPrivateUsage]

AGENT = "agent-00000000-0000-4000-8000-000000000000"


def encoder(fmt: str) -> Encoder:
    if fmt == "ui":
        from letta_client.web.ui_message_stream import UIMessageStreamEncoder

        return UIMessageStreamEncoder()
    if fmt == "agui":
        from letta_client.web.agui import AGUIEncoder

        return AGUIEncoder("thread-1", "run-1")
    from letta_client.web.letta_sse import LettaEventEncoder

    return LettaEventEncoder()


def main() -> None:
    upstream, fmt = sys.argv[1], sys.argv[2]
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=1000, max_keepalive_connections=1000), timeout=120)
    client = AsyncLetta(base_url=upstream, api_key="k", http_client=http)

    async def relay(request: Request) -> Response:
        stream = await client.agents.messages.send(AGENT, messages=[{"role": "user", "content": "hi"}], streaming=True)
        return _EventStream(relayed(stream, Framer(encoder(fmt))), STREAM_HEADERS)

    async def cpu(request: Request) -> JSONResponse:
        return JSONResponse({"cpu": time.process_time()})

    app = Starlette(routes=[Route("/relay", relay), Route("/cpu", cpu)])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=2048))
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
