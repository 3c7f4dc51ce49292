"""A loopback HTTP/1.1 server answering every POST with a chunked SSE stream (raw asyncio).

    python -m benchmarks._sse_server MODE EVENTS [PAUSE_MS]

Prints its port, then serves until killed. Connections are kept alive.

* ``bulk``:  ``EVENTS`` assistant deltas (one frame per chunk), written as fast as the socket takes them;
* ``paced``: ``EVENTS`` assistant deltas, ``PAUSE_MS`` apart, each carrying ``time.time_ns()`` of
  its write in ``content`` (the client measures write → yield).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from ._bodies import RUN, _base

HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
    b"transfer-encoding: chunked\r\ncache-control: no-cache\r\n\r\n"
)
TAIL = [{"message_type": "stop_reason", "stop_reason": "end_turn"}, "[DONE]"]


def chunk(payload: object) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    frame = f"data: {data}\n\n".encode()
    return b"%x\r\n%s\r\n" % (len(frame), frame)


def delta(i: int, content: str) -> dict[str, object]:
    return _base("assistant_message", "message-" + RUN[4:], "otid-1", content=content, seq_id=i + 1)


async def read_request(reader: asyncio.StreamReader) -> bool:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return False
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return True


def main() -> None:
    mode, events = sys.argv[1], int(sys.argv[2])
    pause = float(sys.argv[3]) / 1000.0 if len(sys.argv) > 3 else 0.0
    bulk = HEAD + b"".join(chunk(delta(i, f"word{i} ")) for i in range(events))
    bulk += b"".join(chunk(p) for p in TAIL) + b"0\r\n\r\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await read_request(reader):
                if mode == "bulk":
                    writer.write(bulk)
                else:
                    writer.write(HEAD)
                    for i in range(events):
                        await asyncio.sleep(pause)
                        writer.write(chunk(delta(i, str(time.time_ns()))))
                        await writer.drain()
                    writer.write(b"".join(chunk(p) for p in TAIL) + b"0\r\n\r\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=2048)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
