"""Reliability soak: the reliability suite's checks (tests/test_reliability_*.py) at larger counts.

    python -m benchmarks.soak [--abandon 10000] [--resumes 300] [--sends 2000]

* abandon: streams left after their first event, pool of one connection; open fds stay flat;
* resumes: background streams broken by random faults (truncate/reset/1-byte writes) through
  the fault proxy; each must deliver every event exactly once;
* sends: non-streaming sends against a server answering 200/500/503/503-LLM/429 at random;
  a send (otid) may arrive twice only after a 429/503 without an LLM error body.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _faults import Fault, FaultProxy, LoopbackServer, Reply, Request, sse_frame
from letta_client import Letta, LettaError

AGENT = "agent-00000000-0000-4000-8000-000000000000"
RUN = "run-11111111-1111-4111-8111-111111111111"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
EVENTS = 30
STOP = [sse_frame({"message_type": "stop_reason", "stop_reason": "end_turn"}), sse_frame("[DONE]")]


def delta(seq_id: int) -> bytes:
    return sse_frame(
        {
            "message_type": "assistant_message",
            "id": "message-1",
            "otid": "o-1",
            "date": "2026-11-22T03:36:18+00:00",
            "content": f"w{seq_id} ",
            "seq_id": seq_id,
            "run_id": RUN,
        }
    )


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def abandon(count: int) -> str:
    frames = [delta(i) for i in range(1, EVENTS + 1)] + STOP
    with LoopbackServer(lambda request: Reply(frames=frames)) as server:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        client = Letta(
            base_url=server.base_url,
            api_key="k",
            max_retries=0,
            http_client=httpx.Client(limits=limits, timeout=httpx.Timeout(5.0, pool=2.0)),
        )
        for _ in client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
            break
        server.wait_idle()
        before, start = open_fds(), time.perf_counter()
        for _ in range(count):
            for _ in client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
                break
        seconds = time.perf_counter() - start
        assert server.wait_idle(), "a connection was left open"
        after = open_fds()
        client.close()
    assert after - before <= 2, (before, after)
    each = seconds / count * 1e3
    return f"abandoned streams: {count:,} in {seconds:.1f} s ({each:.2f} ms each), open fds {before} -> {after}"


def resumes(count: int) -> str:
    def answer(request: Request) -> Reply:
        after = int(request.json()["starting_after"]) if request.target.startswith("/v1/runs/") else 0
        return Reply(frames=[delta(i) for i in range(after + 1, EVENTS + 1)] + STOP)

    rng = random.Random(2026)
    reconnects = 0
    start = time.perf_counter()
    with LoopbackServer(answer) as server:
        frames = [delta(i) for i in range(1, EVENTS + 1)] + STOP
        head = len(Reply(frames=frames).head())
        first, body = head + len(delta(1)) + 8, head + sum(map(len, frames))  # faults after the run id arrived
        for _ in range(count):
            faults = [
                Fault(rng.choice(["truncate", "reset", "split"]), rng.randrange(first, body))
                for _ in range(rng.randrange(0, 5))
            ]
            with FaultProxy(server.port, faults) as proxy:
                client = Letta(base_url=proxy.base_url, api_key="k", max_retries=0)
                client._transport.sleep = lambda seconds: None
                stream = client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True, background=True)
                seen = [e.seq_id for e in stream if e.message_type == "assistant_message"]  # type: ignore[union-attr]
                assert seen == list(range(1, EVENTS + 1)), seen
                reconnects += stream.reconnects
                client.close()
    seconds = time.perf_counter() - start
    return (
        f"background resumes: {count:,} streams, {reconnects:,} reconnects, every event exactly once ({seconds:.1f} s)"
    )


def sends(count: int) -> str:
    rng = random.Random(7)
    answers: Dict[str, List[str]] = defaultdict(list)
    ok = {"messages": [], "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"}, "usage": {}}

    def answer(request: Request) -> Reply:
        kind = rng.choice(["200", "500", "503", "503-llm", "429"])
        answers[request.json()["messages"][0]["otid"]].append(kind)
        if kind == "200":
            return Reply.json(200, ok)
        if kind == "503-llm":
            return Reply.json(503, {"error": {"type": "llm_error", "message": "model failed"}})
        return Reply.json(int(kind), {"detail": "again"})

    start = time.perf_counter()
    with LoopbackServer(answer) as server:
        client = Letta(base_url=server.base_url, api_key="k", max_retries=3)
        client._transport.sleep = lambda seconds: None
        for _ in range(count):
            try:
                client.agents.messages.send(AGENT, messages=MESSAGES)
            except LettaError:
                pass
        client.close()
    seconds = time.perf_counter() - start
    retried = 0
    for seen in answers.values():
        assert 1 <= len(seen) <= 4 and all(a in ("429", "503") for a in seen[:-1]), seen
        retried += len(seen) > 1
    assert len(answers) == count
    return f"sends: {count:,} with random failures, {retried:,} retried, none replayed unsafely ({seconds:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--abandon", type=int, default=10_000)
    parser.add_argument("--resumes", type=int, default=300)
    parser.add_argument("--sends", type=int, default=2_000)
    args = parser.parse_args()
    print(abandon(args.abandon), flush=True)
    print(resumes(args.resumes), flush=True)
    print(sends(args.sends), flush=True)


if __name__ == "__main__":
    main()
