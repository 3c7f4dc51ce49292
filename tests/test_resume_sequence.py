"""A background stream's ``seq_id`` sequence: gaps, duplicates and foreign frames are never silent.

``FaultyReplayServer`` serves a background run and its ``POST /v1/runs/{run_id}/stream`` replays
through ``httpx.MockTransport``, and corrupts each connection as a hypothesis-drawn plan says:
it reorders, skips, repeats, mixes in another run's frames, replays from the start, or cuts the
connection. Whatever it does, the stream delivers every message exactly once and in order, or
raises a typed error after delivering an in-order prefix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _stream_helpers import ChunkStream
from letta_client import (
    AsyncLetta,
    Letta,
    LettaError,
    ResumeError,
    StreamSequenceError,
)
from letta_client.types import AssistantMessage

AGENT = "agent-00000000-0000-4000-8000-000000000000"
RUN = "run-aaaaaaaa-0000-4000-8000-000000000000"
OTHER_RUN = "run-bbbbbbbb-0000-4000-8000-000000000000"
BASE_URL = "http://letta.test"
FAULTS = ("swap", "skip", "repeat", "foreign", "impostor", "from_start", "cut", "stale_ping")


def _frame(payload: Dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def numbered(kind: str, seq_id: int, run_id: str = RUN, **fields: Any) -> Dict[str, Any]:
    return {
        "id": f"{kind}-{run_id[4:12]}-{seq_id}",
        "date": "2026-11-22T03:37:30+00:00",
        "message_type": kind,
        "seq_id": seq_id,
        "run_id": run_id,
        **fields,
    }


@dataclass
class Stored:
    seq_id: int  # the number it used up (stop_reason / usage / [DONE] show none)
    text: bytes
    shown: bool  # whether the frame shows its number


def background_run(words: int) -> List[Stored]:
    """Ping 1, ``words`` assistant messages, then stop_reason, usage and [DONE]."""
    frames = [Stored(1, _frame(numbered("ping", 1)), True)]
    for seq in range(2, words + 2):
        frames.append(Stored(seq, _frame(numbered("assistant_message", seq, content=f"w{seq}")), True))
    tail = [
        _frame({"message_type": "stop_reason", "stop_reason": "end_turn"}),
        _frame({"message_type": "usage_statistics", "completion_tokens": 1}),
        b"data: [DONE]\n\n",
    ]
    for offset, text in enumerate(tail, start=words + 2):
        frames.append(Stored(offset, text, False))
    return frames


@dataclass
class FaultyReplayServer:
    """The original send and every resume; ``plans[i]`` corrupts the i-th connection."""

    run: List[Stored]
    plans: List[Tuple[str, int]]
    resumes: List[int] = field(default_factory=list)  # the starting_after of each resume

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream"):
            after = json.loads(request.content)["starting_after"]
            self.resumes.append(after)
        else:
            after = 0
        frames = [f for f in self.run if f.seq_id > after]
        connection = len(self.resumes)
        if connection < len(self.plans):
            frames = self.corrupt(frames, *self.plans[connection])
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=ChunkStream([f.text for f in frames])
        )

    def corrupt(self, frames: List[Stored], fault: str, where: int) -> List[Stored]:
        shown = [i for i, f in enumerate(frames) if f.shown]
        if not shown:
            return frames
        i = shown[where % len(shown)]
        frames = list(frames)
        if fault == "swap" and i + 1 < len(frames) and frames[i + 1].shown:
            frames[i], frames[i + 1] = frames[i + 1], frames[i]
        elif fault == "skip" and i != shown[-1]:
            del frames[i]  # (the last numbered frame is never skipped: nothing after it shows a number)
        elif fault == "repeat":
            frames.insert(i + 1, frames[i])
        elif fault == "foreign":
            if not self.resumes:  # never first on the original stream: its first frame names the run
                i = min(max(i, 1), len(frames) - 1)
            seq_id = frames[i].seq_id
            frames.insert(
                i, Stored(seq_id, _frame(numbered("assistant_message", seq_id, OTHER_RUN, content="x")), True)
            )
        elif fault == "impostor":  # a new frame under a number that was sent already
            seq_id = frames[i].seq_id
            frames.insert(
                i + 1, Stored(seq_id, _frame(numbered("assistant_message", seq_id, content="impostor")), True)
            )
        elif fault == "from_start":
            frames = [f for f in self.run if f.seq_id <= frames[0].seq_id - 1] + frames
        elif fault == "cut":
            frames = frames[: i + 1]
        elif fault == "stale_ping":
            frames.insert(i + 1, Stored(1, _frame(numbered("ping", 1)), True))
        return frames


def expected_words(run: List[Stored]) -> List[str]:
    return [f"w{f.seq_id}" for f in run if f.shown and f.seq_id > 1]


def check(words: List[str], expected: List[str], error: Optional[BaseException]) -> None:
    """Every message exactly once in order; after a typed error, an in-order prefix of them."""
    if error is None:
        assert words == expected
    else:
        assert isinstance(error, LettaError), repr(error)
        assert words == expected[: len(words)]


def sync_client(server: FaultyReplayServer) -> Letta:
    http = httpx.Client(transport=httpx.MockTransport(server.handle))
    client = Letta(base_url=BASE_URL, api_key="k", max_retries=0, http_client=http)
    client._transport.sleep = lambda seconds: None
    return client


def async_client(server: FaultyReplayServer) -> AsyncLetta:
    async def no_sleep(seconds: float) -> None:
        return None

    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
    client = AsyncLetta(base_url=BASE_URL, api_key="k", max_retries=0, http_client=http)
    client._transport.sleep = no_sleep
    return client


def consume_sync(server: FaultyReplayServer, **kwargs: Any) -> Tuple[List[str], Optional[BaseException], Any]:
    words: List[str] = []
    stream = sync_client(server).agents.messages.send(AGENT, input="go", streaming=True, background=True, **kwargs)
    try:
        for event in stream:
            if isinstance(event, AssistantMessage):
                words.append(event.text)
    except Exception as error:
        return words, error, stream
    return words, None, stream


async def consume_async(server: FaultyReplayServer, **kwargs: Any) -> Tuple[List[str], Optional[BaseException], Any]:
    words: List[str] = []
    client = async_client(server)
    stream = await client.agents.messages.send(AGENT, input="go", streaming=True, background=True, **kwargs)
    try:
        async for event in stream:
            if isinstance(event, AssistantMessage):
                words.append(event.text)
    except Exception as error:
        return words, error, stream
    return words, None, stream


plans = st.lists(st.tuples(st.sampled_from(FAULTS), st.integers(0, 50)), max_size=6)


@settings(max_examples=300)
@given(words=st.integers(1, 12), plan=plans)
def test_a_faulty_replay_delivers_everything_once_or_raises(words: int, plan: List[Tuple[str, int]]) -> None:
    run = background_run(words)
    server = FaultyReplayServer(run, plan)
    delivered, error, stream = consume_sync(server, max_resume_attempts=3)
    check(delivered, expected_words(run), error)
    assert stream.run_id == RUN
    if error is None:
        assert stream.finished and stream.stop_reason is not None
    if len(plan) <= 2:  # a short plan ends in honest connections: the stream recovers
        assert error is None, error


@settings(max_examples=60)
@given(words=st.integers(1, 8), plan=plans)
async def test_a_faulty_replay_async(words: int, plan: List[Tuple[str, int]]) -> None:
    run = background_run(words)
    delivered, error, stream = await consume_async(FaultyReplayServer(run, plan), max_resume_attempts=3)
    check(delivered, expected_words(run), error)
    assert stream.run_id == RUN


# --- each fault, recovered -------------------------------------------------------------------

Mode = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def consume(request: pytest.FixtureRequest) -> Mode:
    if request.param == "sync":

        async def run_sync(server: FaultyReplayServer, **kwargs: Any) -> Any:
            return consume_sync(server, **kwargs)

        return run_sync
    return consume_async


@pytest.mark.parametrize(
    ("fault", "where", "resumes"),
    [
        ("skip", 3, [3]),  # seq 4 is missing: re-request after 3, the last one delivered in order
        ("swap", 3, [3]),  # 5 arrives before 4: the same
        ("foreign", 3, [3]),  # another run's frame where 4 was due
    ],
)
async def test_a_fault_is_re_requested_from_the_last_contiguous_seq_id(
    consume: Mode, fault: str, where: int, resumes: List[int]
) -> None:
    run = background_run(6)
    server = FaultyReplayServer(run, [(fault, where)])
    words, error, stream = await consume(server)
    assert error is None and words == expected_words(run)
    assert server.resumes == resumes and stream.reconnects == 1 and stream.run_id == RUN


async def test_a_replay_from_the_start_and_repeats_are_dropped(consume: Mode) -> None:
    run = background_run(5)
    server = FaultyReplayServer(run, [("cut", 2), ("from_start", 0), ("repeat", 0)])
    words, error, stream = await consume(server)
    assert error is None and words == expected_words(run)
    assert stream.reconnects == 1 and server.resumes == [3]
    server = FaultyReplayServer(run, [("repeat", 2)])
    words, error, stream = await consume(server)
    assert error is None and words == expected_words(run) and stream.reconnects == 0


async def test_a_new_event_with_a_used_number_is_a_conflict(consume: Mode) -> None:
    """A frame whose number was delivered already, with other content, is not taken for a replay."""
    run = background_run(4)
    words, error, _ = await consume(FaultyReplayServer(run, [("impostor", 2)]), resume=False)
    assert isinstance(error, StreamSequenceError)
    assert error.fault == "conflict" and error.received_seq_id == 3 and error.last_seq_id == 3
    assert words == ["w2", "w3"]  # the impostor was never delivered
    assert error.partial_response is not None
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == words
    assert error.partial_response.stop_reason.stop_reason == "incomplete"

    server = FaultyReplayServer(run, [("impostor", 2)])
    words, error, _ = await consume(server)
    assert error is None and words == expected_words(run) and server.resumes == [3]


async def test_without_resume_a_gap_raises_stream_sequence_error(consume: Mode) -> None:
    run = background_run(5)
    words, error, stream = await consume(FaultyReplayServer(run, [("skip", 3)]), resume=False)
    assert isinstance(error, StreamSequenceError)
    assert error.fault == "gap" and error.expected_seq_id == 4 and error.received_seq_id == 5
    assert error.run_id == RUN and error.last_seq_id == 3 and words == ["w2", "w3"]
    assert "gap" in str(error) and stream.response.is_closed


async def test_another_runs_frames_never_change_the_run_id(consume: Mode) -> None:
    run = background_run(3)
    server = FaultyReplayServer(run, [("foreign", 1)] * 10)
    words, error, stream = await consume(server, max_resume_attempts=2)
    assert isinstance(error, ResumeError) and isinstance(error.__cause__, StreamSequenceError)
    assert error.__cause__.fault == "foreign" and error.__cause__.received_run_id == OTHER_RUN
    assert stream.run_id == RUN and "x" not in words


async def test_a_malformed_run_id_is_a_resume_error(consume: Mode) -> None:
    bad = "run-1 \n2"
    run = [Stored(1, _frame(numbered("ping", 1, bad)), True)]
    server = FaultyReplayServer(run, [])
    _, error, _ = await consume(server)
    assert isinstance(error, ResumeError) and not isinstance(error, ValueError)
    assert "malformed" in str(error) and error.run_id == bad and server.resumes == []
