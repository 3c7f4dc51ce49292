"""The framer: ids on every frame, pings outside the count, and a resume that gives the browser
exactly what it lacks, wherever the stream was cut."""

from __future__ import annotations

import json
import uuid
from typing import List, Optional, Sequence, Tuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from letta_client.types.messages import (
    AssistantMessage,
    LettaPing,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
)
from letta_client.web._event_ids import EventId
from letta_client.web._framer import Frame, Framer, Problem
from letta_client.web._sse import comment, frame

RUN = f"run-{uuid.UUID(int=7)}"
DATE = "2026-12-05T00:00:00Z"


class Echo:
    """A toy encoder: ``n`` frames per message (its text is ``n`` letters), one for the stop
    reason, one for usage, and ``[DONE]`` (or the problem) at the end."""

    def event(self, event: LettaStreamingResponse) -> List[Frame]:
        if isinstance(event, AssistantMessage):
            return [(None, json.dumps({"m": event.id, "i": i})) for i in range(len(event.text))]
        if isinstance(event, LettaStopReason):
            return [("stop", json.dumps({"stop": event.stop_reason}))]
        if isinstance(event, LettaUsageStatistics):
            return [(None, json.dumps({"usage": event.total_tokens}))]
        return []

    def end(self, problem: Optional[Problem]) -> List[Frame]:
        return [(None, "[DONE]")] if problem is None else [("error", json.dumps({"error": problem.text}))]


def message(seq: int, letters: int, run: str = RUN) -> AssistantMessage:
    return AssistantMessage.model_validate(
        {
            "message_type": "assistant_message",
            "id": f"m{seq}",
            "date": DATE,
            "content": "x" * letters,
            "run_id": run,
            "seq_id": seq,
        }
    )


def ping(seq: int) -> LettaPing:
    return LettaPing.model_validate({"message_type": "ping", "id": "p", "date": DATE, "run_id": RUN, "seq_id": seq})


def turn(sizes: Sequence[int], pings_after: Sequence[int] = ()) -> List[LettaStreamingResponse]:
    events: List[LettaStreamingResponse] = []
    for seq, size in enumerate(sizes, start=2):
        events.append(message(seq, size))
        if seq in pings_after:
            events.append(ping(seq))  # a keep-alive repeats the last number
    events.append(LettaStopReason(stop_reason="end_turn"))
    events.append(LettaUsageStatistics(total_tokens=9))
    return events


def frames_of(events: Sequence[LettaStreamingResponse], after: Optional[EventId] = None) -> List[Tuple[str, str]]:
    """(id, data) of every frame sent (comments left out)."""
    framer = Framer(Echo(), after=after)
    raw = b"".join(framer.event(e) for e in events) + framer.end(None)
    out: List[Tuple[str, str]] = []
    for block in raw.decode().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(":"))
        if "data" in lines:
            out.append((lines.get("id", ""), lines["data"]))
    return out


def test_each_frame_has_its_runs_position_and_the_unnumbered_ones_go_on_in_the_last_group() -> None:
    ids = [event_id for event_id, _ in frames_of(turn([2, 1]))]
    assert ids == [f"{RUN}:2", f"{RUN}:2.1", f"{RUN}:3", f"{RUN}:3.1", f"{RUN}:3.2", f"{RUN}:3.3"]
    assert [EventId.parse(i) for i in ids][-1] == EventId(RUN, 3, 3)


def test_a_ping_is_a_comment_and_does_not_move_the_count() -> None:
    framer = Framer(Echo())
    assert framer.event(message(2, 2)).count(b"id: ") == 2
    assert framer.event(ping(2)) == comment("ping")
    assert framer.event(LettaStopReason(stop_reason="end_turn")).startswith(f"id: {RUN}:2.2\n".encode())


def test_a_stream_without_numbers_has_no_ids() -> None:
    plain = AssistantMessage.model_validate(
        {"message_type": "assistant_message", "id": "m", "date": DATE, "content": "ab"}
    )
    framer = Framer(Echo())
    assert b"id:" not in framer.event(plain) + framer.end(None)


def test_end_is_sent_once_and_a_problem_is_framed_like_any_part() -> None:
    framer = Framer(Echo())
    framer.event(message(2, 1))
    assert framer.end(Problem("error", "the agent's turn failed")) == frame(
        json.dumps({"error": "the agent's turn failed"}), id=f"{RUN}:2.1", event="error"
    )
    assert framer.end(None) == b""


def test_frames_of_another_run_are_never_skipped() -> None:
    other = f"run-{uuid.UUID(int=8)}"
    sent = frames_of([message(2, 2, run=other)], after=EventId(RUN, 9, 9))
    assert len(sent) == 3


@pytest.mark.parametrize(
    "bad", [None, "", "run-x:1", f"{RUN}", f"{RUN}:", f"{RUN}:1.", f"{RUN}:-1", f"{RUN}:1/2", "../x:1"]
)
def test_an_id_that_is_not_ours_reads_as_none(bad: Optional[str]) -> None:
    assert EventId.parse(bad) is None


@given(
    sizes=st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8),
    pings=st.sets(st.integers(min_value=2, max_value=10)),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=5),
)
def test_a_stream_cut_anywhere_and_resumed_from_its_last_id_gives_each_frame_once(
    sizes: List[int], pings: set[int], cuts: List[int]
) -> None:
    events = turn(sizes, sorted(pings))
    whole = frames_of(events)
    received: List[Tuple[str, str]] = []
    last: Optional[EventId] = None
    for cut in [*sorted(cuts), len(whole)]:
        # each connection replays the run from its start; the browser keeps what came before the cut
        got = frames_of(events, after=last)
        received += got[: max(0, cut - len(received))]
        if received:
            last = EventId.parse(received[-1][0])
    assert received == whole
