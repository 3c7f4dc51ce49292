"""A background stream whose numbers are missing, zero, garbage or hidden in chunks this SDK does
not know, through cuts: every event is delivered exactly once and in order, or the stream raises
a typed error that carries what was received. Nothing is dropped or doubled in silence.

``NumberingServer`` serves a background run and its resumes (``POST /v1/runs/{id}/stream`` with
``starting_after``) through ``httpx.MockTransport``. The run holds assistant messages, unknown
chunks that use up a number without showing it (as ``stop_reason`` does), unknown chunks that
show one, and unknown chunks a server sends live but never stores. Each connection may be cut,
have its numbers stripped (a proxy), start with a message numbered 0, or carry a garbage number.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from _stream_helpers import ChunkStream
from letta_client import Letta, LettaError, StreamSequenceError
from letta_client.types import AssistantMessage, UnknownMessage

AGENT = "agent-00000000-0000-4000-8000-000000000000"
RUN = "run-aaaaaaaa-0000-4000-8000-000000000000"
GARBAGE = itertools.count()  # each garbage chunk a server sends is its own


@dataclass
class Stored:
    seq_id: int  # the number it uses up (0: none, a live-only chunk)
    payload: Any  # a dict, or the literal data of the frame
    shown: bool  # whether the frame shows its number
    live_only: bool = False  # sent on the original connection, never stored


def data(payload: Any) -> bytes:
    text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return b"data: " + text.encode() + b"\n\n"


def assistant(seq_id: int) -> Dict[str, Any]:
    return {
        "id": f"message-{seq_id:04d}",
        "date": "2026-11-22T03:37:30+00:00",
        "message_type": "assistant_message",
        "otid": f"otid-{seq_id:04d}",
        "seq_id": seq_id,
        "run_id": RUN,
        "content": f"w{seq_id}",
    }


def unknown(name: str, seq_id: Optional[int]) -> Dict[str, Any]:
    payload: Dict[str, Any] = {"id": name, "message_type": "mystery_chunk", "run_id": RUN}
    if seq_id is not None:
        payload["seq_id"] = seq_id
    return payload


def build_run(items: List[str]) -> List[Stored]:
    """``items``: ``word``, ``hidden`` (an unknown chunk holding a number), ``shown`` (an unknown
    chunk showing one) or ``live`` (an unknown chunk never stored); between ping 1 and the end."""
    ping = {"id": "ping-1", "date": "2026-11-22T03:37:30+00:00", "message_type": "ping", "seq_id": 1, "run_id": RUN}
    run = [Stored(1, ping, True)]
    seq_id = 1
    for index, item in enumerate(items):
        if item == "live":
            run.append(Stored(0, unknown(f"live-{index}", None), False, live_only=True))
            continue
        seq_id += 1
        if item == "word":
            run.append(Stored(seq_id, assistant(seq_id), True))
        else:
            run.append(Stored(seq_id, unknown(f"{item}-{index}", seq_id if item == "shown" else None), item == "shown"))
    for tail in ({"message_type": "stop_reason", "stop_reason": "end_turn"}, {"message_type": "usage_statistics"}):
        seq_id += 1
        run.append(Stored(seq_id, tail, False))
    run.append(Stored(seq_id + 1, "[DONE]", False))
    return run


def event_key(stored: Stored) -> Optional[Tuple[str, str]]:
    payload = stored.payload
    if not isinstance(payload, dict) or payload["message_type"] in ("ping", "stop_reason", "usage_statistics"):
        return None
    if payload["message_type"] == "assistant_message":
        return ("a", str(payload["content"]))
    return ("u", str(payload["id"]))


@dataclass
class NumberingServer:
    run: List[Stored]
    plans: List[List[Tuple[str, int]]]
    resumes: List[int] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream"):
            after = json.loads(request.content)["starting_after"]
            self.resumes.append(after)
            frames = [f for f in self.run if f.seq_id > after and not f.live_only]
        else:
            frames = list(self.run)
        connection = len(self.resumes)
        texts = [data(f.payload) for f in frames]
        for fault, where in self.plans[connection] if connection < len(self.plans) else []:
            texts = corrupt(texts, fault, where, original=connection == 0)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream(texts))


def corrupt(texts: List[bytes], fault: str, where: int, original: bool) -> List[bytes]:
    if not texts:
        return texts
    i = where % len(texts)
    if fault == "cut":
        return texts[: i + 1]
    if fault == "strip":  # a proxy that drops every seq_id
        return [strip(text) for text in texts]
    if fault == "skipfirst":  # the replay of the first message left out
        first = next((j for j, text in enumerate(texts) if b"assistant_message" in text), None)
        return texts if first is None else texts[:first] + texts[first + 1 :]
    if fault == "zero" and original:
        return [data({**assistant(0), "content": "w0"}), *texts]
    if fault == "garbage":  # a chunk whose seq_id is not a number
        chunk = {**unknown(f"garbage-{next(GARBAGE)}", None), "seq_id": [[], {}, "7", True][where % 4]}
        return [*texts[:i], data(chunk), *texts[i:]]
    return texts


def strip(text: bytes) -> bytes:
    body = text[6:-2]
    if not body.startswith(b"{"):
        return text
    payload = json.loads(body)
    payload.pop("seq_id", None)
    return data(payload)


def consume(server: NumberingServer) -> Tuple[List[Tuple[str, str]], Optional[BaseException]]:
    http = httpx.Client(transport=httpx.MockTransport(server.handle))
    client = Letta(base_url="http://letta.test", api_key="k", max_retries=0, http_client=http)
    client._transport.sleep = lambda seconds: None
    delivered: List[Tuple[str, str]] = []
    stream = client.agents.messages.send(AGENT, input="go", streaming=True, background=True, max_resume_attempts=3)
    try:
        for event in stream:
            if isinstance(event, AssistantMessage):
                delivered.append(("a", event.text))
            elif isinstance(event, UnknownMessage):
                delivered.append(("u", str(event.model_dump().get("id"))))
    except Exception as error:
        return delivered, error
    return delivered, None


def check(run: List[Stored], delivered: List[Tuple[str, str]], error: Optional[BaseException]) -> None:
    extra = [key for key in delivered if key[1].startswith("garbage-") or key == ("a", "w0")]
    delivered = [key for key in delivered if key not in extra]  # what a server sent beyond the run
    assert len(extra) == len(set(extra))
    expected = [key for key in map(event_key, run) if key is not None]
    live = {key for stored in run if stored.live_only for key in [event_key(stored)] if key is not None}
    assert len(delivered) == len(set(delivered)), f"delivered twice: {delivered}"
    position = [expected.index(key) for key in delivered]
    assert position == sorted(position), f"out of order: {delivered}"
    stored = [key for key in expected if key not in live]
    got = [key for key in delivered if key not in live]
    if error is None:
        assert got == stored
        return
    assert isinstance(error, LettaError), repr(error)
    assert got == stored[: len(got)]
    received = getattr(error, "partial_response", None)
    assert received is not None, f"{type(error).__name__} carries no partial_response"
    assert [m.text for m in received.messages if isinstance(m, AssistantMessage)] == [
        text for kind, text in delivered if kind == "a"
    ]


items = st.lists(st.sampled_from(["word", "word", "hidden", "shown", "live"]), min_size=1, max_size=10)
faults = st.lists(
    st.tuples(st.sampled_from(["cut", "cut", "strip", "zero", "garbage"]), st.integers(0, 40)), max_size=2
)


@settings(max_examples=400, deadline=None)
@given(items=items, plans=st.lists(faults, max_size=4))
def test_numbers_missing_zero_garbage_or_hidden_never_lose_or_double(
    items: List[str], plans: List[List[Tuple[str, int]]]
) -> None:
    run = build_run(items)
    server = NumberingServer(run, plans)
    delivered, error = consume(server)
    check(run, delivered, error)
    only_cuts = all(fault in ("cut", "garbage") for plan in plans for fault, _ in plan)
    if only_cuts and len(plans) <= 3:  # the numbers tell everything: the stream recovers
        assert error is None, error


def test_an_unknown_chunk_that_hides_a_number_costs_nothing() -> None:
    """The frame after it is numbered one more than expected: it held a number, as stop_reason does."""
    run = build_run(["word", "hidden", "word", "hidden", "hidden", "word"])
    server = NumberingServer(run, [])
    delivered, error = consume(server)
    assert error is None and server.resumes == []  # no resume, no gap
    assert delivered == [key for key in map(event_key, run) if key is not None]


def test_a_cut_right_after_a_hidden_number_is_resumed_once() -> None:
    run = build_run(["word", "hidden"])
    server = NumberingServer(run, [[("cut", 2)]])  # ping, word, the hidden chunk; then the cut
    delivered, error = consume(server)
    assert error is None and server.resumes == [2]
    assert delivered == [("a", "w2"), ("u", "hidden-1")]  # the replayed chunk is recognised by its text


def test_a_first_message_numbered_zero_is_a_surprise_not_a_replay() -> None:
    server = NumberingServer(build_run(["word"]), [[("zero", 0)]])
    delivered, error = consume(server)
    assert isinstance(error, StreamSequenceError) and error.fault == "surprise", error
    assert "seq_id 0" in str(error) and server.resumes == []  # raised at once, never re-requested
    assert delivered == []


def test_numbers_stripped_then_a_cut_with_an_honest_replay_are_recognised() -> None:
    """The replay shows the numbers the first connection lost: matched by text without them."""
    run = build_run(["word", "word", "word"])
    server = NumberingServer(run, [[("strip", 0), ("cut", 2)]])
    delivered, error = consume(server)
    assert error is None and server.resumes == [0]
    assert delivered == [("a", "w2"), ("a", "w3"), ("a", "w4")]


def test_a_message_without_its_number_the_replay_does_not_bring_back_raises_saying_why() -> None:
    run = build_run(["word", "word", "word"])
    server = NumberingServer(run, [[("strip", 0), ("cut", 2)], [("skipfirst", 0)]])
    delivered, error = consume(server)
    assert delivered == [("a", "w2"), ("a", "w3")]
    assert isinstance(error, StreamSequenceError) and error.fault == "unnumbered", error
    assert "without their seq_id" in str(error)
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == ["w2", "w3"]


def test_numbers_stripped_on_every_connection_are_matched_by_position() -> None:
    run = build_run(["word", "word", "word"])
    server = NumberingServer(run, [[("strip", 0), ("cut", 2)], [("strip", 0)]])
    delivered, error = consume(server)
    assert error is None and delivered == [("a", "w2"), ("a", "w3"), ("a", "w4")]
