"""One large list answer parsed and read, in its own process: ``ours``, ``official`` or ``floor``.

    python benchmarks/_agents_page_worker.py IMPL ROUNDS

``ours`` and ``official`` call ``client.agents.list(limit=50, include=[...])`` against an
``httpx.MockTransport`` that answers with the recorded page (``fixtures/agents_page.json.gz``:
50 agents from Letta 0.16.8, three blocks and the base tools each), then read every agent's id,
block labels and tool names: the same program on both SDKs. ``floor`` is
``pydantic_core.from_json`` of the body alone. Prints one JSON line: milliseconds per call, best
of ROUNDS. Imports nothing from the benchmarks, so the official SDK's venv can run it.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import httpx

BODY = gzip.decompress((Path(__file__).with_name("fixtures") / "agents_page.json.gz").read_bytes())
INCLUDE = ["agent.blocks", "agent.tools", "agent.tags"]


def client_call() -> Callable[[], Any]:
    from letta_client import Letta

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})

    client = Letta(
        api_key="sk-bench",
        base_url="http://letta.test",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )

    def call() -> Any:
        page = client.agents.list(limit=50, include=INCLUDE)
        read = 0
        for agent in page.items:
            read += len(agent.id)
            read += sum(len(block.label or "") for block in agent.blocks)
            read += sum(len(tool.name or "") for tool in agent.tools)
        assert len(page.items) == 50 and read > 0
        return read

    return call


def floor_call() -> Callable[[], Any]:
    import pydantic_core

    return lambda: pydantic_core.from_json(BODY)


def main(impl: str, rounds: int) -> None:
    call = floor_call() if impl == "floor" else client_call()
    call()  # warm: the first call builds the validators
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    print(json.dumps({"impl": impl, "ms_per_call": best * 1000, "bytes": len(BODY)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
