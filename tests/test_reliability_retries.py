"""Retries never replay a message send the server may have acted on.

A loopback server answers each arrival at random: 500, 503, 503 with an LLM error body, 429,
a stall past the client's read timeout, or 200. It counts arrivals per ``otid``. A send may
arrive again only after an answer the policy calls safe (429/503 without an LLM error body).
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest

from _faults import LoopbackServer, Reply, Request, sse_frame
from _stream_helpers import AGENT_ID, stop
from letta_client import APIConnectionError, APIStatusError, APITimeoutError, Letta, LettaError

SAFE = {"429", "503"}  # answers after which a send may be retried
LLM_ERROR = {"error": {"type": "llm_error", "message": "the model failed"}}
OK = {"messages": [], "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"}, "usage": {}}


def otid_of(request: Request) -> str:
    return str(request.json()["messages"][0]["otid"])


def send(client: Letta, text: str, streaming: bool = False) -> None:
    messages: Any = [{"role": "user", "content": text}]
    if streaming:
        client.agents.messages.send(AGENT_ID, messages=messages, streaming=True).until_done()
    else:
        client.agents.messages.send(AGENT_ID, messages=messages)


class RandomServer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.answers: Dict[str, List[str]] = defaultdict(list)  # otid -> answers, in arrival order
        self.release = threading.Event()
        self.server = LoopbackServer(self.answer)

    def answer(self, request: Request) -> Reply:
        otid = otid_of(request)
        kind = self.rng.choice(["200", "500", "503", "503-llm", "429", "stall", "200-stream"])
        self.answers[otid].append(kind)
        if kind == "stall":
            return Reply(stall=self.release)
        if kind in ("200", "200-stream"):
            if request.json().get("streaming"):
                return Reply(frames=[sse_frame(stop()), sse_frame("[DONE]")])
            return Reply.json(200, OK)
        if kind == "503-llm":
            return Reply.json(503, LLM_ERROR)
        return Reply.json(int(kind), {"detail": "try again"}, {"retry-after": "0"} if kind == "429" else {})


@pytest.fixture
def random_server() -> Iterator[RandomServer]:
    server = RandomServer(seed=7)
    yield server
    server.release.set()
    server.server.close()


def client_for(server: RandomServer, max_retries: int = 3) -> Letta:
    client = Letta(base_url=server.server.base_url, api_key="k", max_retries=max_retries, timeout=httpx.Timeout(0.1))
    client._transport.sleep = lambda seconds: None
    return client


def check_policy(answers: List[str], max_retries: int) -> None:
    assert 1 <= len(answers) <= max_retries + 1
    assert all(answer in SAFE for answer in answers[:-1]), answers  # only safe answers were followed by a retry


def test_random_failures_never_replay_an_unsafe_send(random_server: RandomServer) -> None:
    client = client_for(random_server)
    outcomes: List[Tuple[str, type]] = []
    for i in range(120):
        streaming = i % 2 == 1
        try:
            send(client, f"message {i}", streaming)
            outcomes.append(("ok", type(None)))
        except LettaError as error:
            assert isinstance(error, (APIStatusError, APIConnectionError)), repr(error)
            outcomes.append(("error", type(error)))
    assert len(random_server.answers) == 120  # each send has its own otid
    for answers in random_server.answers.values():
        check_policy(answers, 3)
    assert sum(len(a) > 1 for a in random_server.answers.values()) > 10  # retries did happen
    assert any(kind is APITimeoutError for _, kind in outcomes)


def test_a_stalled_send_is_not_retried(random_server: RandomServer) -> None:
    def stall(request: Request) -> Reply:
        random_server.answers[otid_of(request)].append("stall")
        return Reply(stall=random_server.release)

    random_server.server.handler = stall
    with pytest.raises(APITimeoutError):
        send(client_for(random_server), "hi")
    assert [len(a) for a in random_server.answers.values()] == [1]


def test_connection_refused_is_retried_before_anything_was_sent() -> None:
    server = LoopbackServer(lambda request: Reply.json(200, OK))
    port = server.port
    server.close()  # nothing listens there now: every connect is refused
    sleeps: List[float] = []
    client = Letta(base_url=f"http://127.0.0.1:{port}", api_key="k", max_retries=2)
    client._transport.sleep = sleeps.append
    with pytest.raises(APIConnectionError):
        send(client, "hi")
    assert len(sleeps) == 2  # both retries were taken


def test_server_side_counts_match_the_policy_for_each_answer() -> None:
    def expect(kind: str) -> int:
        return 3 if kind in SAFE else 1  # max_retries=2: 1 + 2 arrivals when every answer is safe

    for kind in ("500", "503", "503-llm", "429"):
        arrivals: Dict[str, int] = defaultdict(int)

        def answer(request: Request, kind: str = kind, arrivals: Dict[str, int] = arrivals) -> Reply:
            arrivals[otid_of(request)] += 1
            if kind == "503-llm":
                return Reply.json(503, LLM_ERROR)
            return Reply.json(int(kind), {"detail": "no"})

        with LoopbackServer(answer) as server:
            client = Letta(base_url=server.base_url, api_key="k", max_retries=2)
            client._transport.sleep = lambda seconds: None
            with pytest.raises(APIStatusError):
                send(client, "hi")
        assert list(arrivals.values()) == [expect(kind)], kind
