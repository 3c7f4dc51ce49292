"""``letta_client.web.letta_sse``: Letta's own events for custom frontends. Every event the real
server sent (the recorded streams) comes out as JSON that our decoder reads back into the same
event; errors lose the server's ``detail``; the stream ends ``data: [DONE]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from letta_client._decode import decode_text
from letta_client.types.messages import LettaErrorMessage, LettaStopReason, LettaStreamingResponse
from letta_client.web._framer import Framer, Problem
from letta_client.web.letta_sse import LettaEventEncoder

FIXTURES = Path(__file__).parent.parent / "fixtures"
RUN = "run-11111111-1111-4111-8111-111111111111"


def recorded(name: str) -> List[Tuple[Optional[str], str]]:
    """The ``(event name, data)`` of each frame of a recorded stream."""
    frames: List[Tuple[Optional[str], str]] = []
    for block in (FIXTURES / name).read_text().split("\n\n"):
        event: Optional[str] = None
        data: List[str] = []
        for line in block.splitlines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        if data:
            frames.append((event, "\n".join(data)))
    return frames


SSE_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.sse"))


@pytest.mark.parametrize("name", SSE_FIXTURES)
def test_every_recorded_event_comes_back_as_itself(name: str) -> None:
    encoder = LettaEventEncoder()
    for event_name, data in recorded(name):
        if not data.startswith("{"):
            continue
        event = decode_text(data)
        if event.message_type == "ping":
            continue  # the framer makes pings SSE comments
        [(out_name, out)] = encoder.event(event)
        again = decode_text(out)
        expected = event.model_dump()
        if isinstance(event, LettaErrorMessage):
            assert out_name == "error" and "detail" not in json.loads(out)
            expected["detail"] = None
        else:
            assert out_name is None and event_name is None
        assert type(again) is type(event)
        assert again.model_dump() == expected
        assert json.loads(out) == {k: v for k, v in json.loads(data).items() if k != "detail" or out_name is None}


def test_the_stream_ends_done_and_a_problem_is_an_error_event_first() -> None:
    encoder = LettaEventEncoder()
    assert encoder.end(None) == [(None, "[DONE]")]
    encoder = LettaEventEncoder()
    event = decode_text(
        json.dumps({"message_type": "ping", "id": "ping-1", "date": "2026-11-22T03:36:18+00:00", "run_id": RUN})
    )
    encoder.event(event)
    [(name, data), done] = encoder.end(Problem("interrupted", "The connection to the agent server was lost."))
    assert name == "error" and done == (None, "[DONE]")
    error = decode_text(data)
    assert isinstance(error, LettaErrorMessage)
    assert (error.run_id, error.error_type, error.message, error.detail) == (
        RUN,
        "interrupted",
        "The connection to the agent server was lost.",
        None,
    )


def test_an_event_made_in_code_keeps_its_type() -> None:
    [(_, data)] = LettaEventEncoder().event(LettaStopReason(stop_reason="end_turn"))
    assert json.loads(data) == {"message_type": "stop_reason", "stop_reason": "end_turn"}


def test_framed_with_ids_and_the_error_detail_never_leaves() -> None:
    payloads: List[Dict[str, Any]] = [
        {
            "message_type": "assistant_message",
            "id": "message-1",
            "date": "2026-11-22T03:36:18+00:00",
            "content": "hi",
            "run_id": RUN,
            "seq_id": 2,
        },
        {"message_type": "stop_reason", "stop_reason": "llm_api_error"},
        {
            "message_type": "error_message",
            "run_id": RUN,
            "error_type": "llm_error",
            "message": "An error occurred.",
            "detail": "Traceback: sk-SECRET",
        },
    ]
    events: List[LettaStreamingResponse] = [decode_text(json.dumps(p)) for p in payloads]
    framer = Framer(LettaEventEncoder())
    body = b"".join(framer.event(e) for e in events) + framer.end(None)
    assert b"SECRET" not in body
    blocks = [block.split("\n") for block in body.decode().split("\n\n")[:-1]]
    assert [block[:-1] for block in blocks] == [
        [f"id: {RUN}:2"],
        [f"id: {RUN}:2.1"],
        [f"id: {RUN}:2.2", "event: error"],
        [f"id: {RUN}:2.3"],
    ]
    assert [block[-1] for block in blocks][-1] == "data: [DONE]"
    assert [json.loads(block[-1][6:]) for block in blocks[:-1]] == [
        payloads[0],
        payloads[1],
        {k: v for k, v in payloads[2].items() if k != "detail"},
    ]
