"""Realistic SSE bodies for the benchmarks, built in memory."""

from __future__ import annotations

import json
import uuid

RUN = "run-" + str(uuid.UUID(int=7))
DATE = "2026-11-22T03:36:20+00:00"


def _base(kind: str, message_id: str, otid: str, **fields: object) -> dict[str, object]:
    return {
        "id": message_id,
        "date": DATE,
        "name": None,
        "message_type": kind,
        "otid": otid,
        "sender_id": None,
        "step_id": "step-" + str(uuid.UUID(int=3)),
        "is_err": None,
        "seq_id": None,
        "run_id": RUN,
        **fields,
    }


def mixed_events(count: int) -> list[dict[str, object]]:
    """A token-mode turn, repeated: reasoning deltas, a tool call in deltas, a tool return,
    assistant deltas — the mix a real agent turn produces."""
    events: list[dict[str, object]] = [_base("ping", "ping-" + str(uuid.UUID(int=1)), None)]  # type: ignore[arg-type]
    step = 0
    while len(events) < count - 2:
        step += 1
        mid = f"message-{uuid.UUID(int=step * 4)}"
        for i in range(8):
            events.append(
                _base(
                    "reasoning_message",
                    mid,
                    f"{step}-0",
                    source="reasoner_model",
                    reasoning=f"thinking {i} ",
                    signature=None,
                )
            )
        delta = {"name": "get_weather", "arguments": '{"city": "Pa', "tool_call_id": f"call_{step}"}
        events.append(_base("tool_call_message", mid, f"{step}-1", tool_call=delta, tool_calls=delta))
        rest = {"arguments": 'ris"}', "tool_call_id": f"call_{step}"}
        events.append(_base("tool_call_message", mid, f"{step}-1", tool_call=rest, tool_calls=rest))
        ret = {
            "type": "tool",
            "tool_return": "Sunny, 21C",
            "status": "success",
            "tool_call_id": f"call_{step}",
            "stdout": None,
            "stderr": None,
        }
        events.append(
            _base(
                "tool_return_message",
                f"message-{uuid.UUID(int=step * 4 + 1)}",
                f"{step}-2",
                tool_return="Sunny, 21C",
                status="success",
                tool_call_id=f"call_{step}",
                stdout=None,
                stderr=None,
                tool_returns=[ret],
            )
        )
        aid = f"message-{uuid.UUID(int=step * 4 + 2)}"
        for i in range(20):
            events.append(_base("assistant_message", aid, f"{step}-3", content=f"word{i} é✓ "))
    events = events[: count - 2]
    events.append({"message_type": "stop_reason", "stop_reason": "end_turn"})
    events.append(
        {
            "message_type": "usage_statistics",
            "completion_tokens": 1,
            "prompt_tokens": 2,
            "total_tokens": 3,
            "step_count": step,
            "run_ids": None,
            "cached_input_tokens": None,
            "cache_write_tokens": None,
            "reasoning_tokens": None,
            "context_tokens": 3,
        }
    )
    return events


def sse_body(events: list[dict[str, object]]) -> bytes:
    frames = [f"data: {json.dumps(e, separators=(',', ':'), ensure_ascii=False)}\n\n" for e in events]
    frames.append("data: [DONE]\n\n")
    return "".join(frames).encode()


def chunked(body: bytes, size: int = 4096) -> list[bytes]:
    """The body as network reads of ``size`` bytes (frames split across reads)."""
    return [body[i : i + size] for i in range(0, len(body), size)]
