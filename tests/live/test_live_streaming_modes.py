"""Token mode, step mode and the plain JSON answer describe the same turn the same way."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from letta_client import AsyncLetta, Letta


def _essence(messages: List[Any]) -> List[Tuple[str, Any]]:
    """What a message says, without ids, otids and dates (each run makes new ones)."""
    out: List[Tuple[str, Any]] = []
    for m in messages:
        kind = m.message_type
        if kind == "assistant_message":
            out.append((kind, m.text))
        elif kind == "reasoning_message":
            out.append((kind, m.reasoning))
        elif kind in ("tool_call_message", "approval_request_message"):
            out.append((kind, [(c.name, c.arguments) for c in m.calls]))
        elif kind == "tool_return_message":
            out.append((kind, m.status))
        else:
            out.append((kind, None))
    return out


@pytest.mark.parametrize("text", ["[think] [chunks=6] compare the modes", "[chunks=12] plain words only"])
def test_token_stream_accumulates_to_the_step_stream(live_url, agent_id, text):
    with Letta(base_url=live_url, timeout=120) as client:
        step = client.agents.messages.send(agent_id, input=text, streaming=True).get_final_response()
        token_stream = client.agents.messages.send(agent_id, input=text, streaming=True, stream_tokens=True)
        deltas = [e for e in token_stream if e.message_type == "assistant_message"]
        token = token_stream.get_final_response()
        whole = client.agents.messages.send(agent_id, input=text)
    assert len(deltas) > 1, "token mode really streamed fragments"
    assert _essence(token.messages) == _essence(step.messages) == _essence(whole.messages)
    assert token.stop_reason.stop_reason == step.stop_reason.stop_reason == "end_turn"


@pytest.mark.real_sockets
def test_async_text_stream_matches_the_final_text(live_url, agent_id):
    async def main() -> Tuple[str, str]:
        async with AsyncLetta(base_url=live_url, timeout=120) as client:
            stream = await client.agents.messages.send(
                agent_id, input="[chunks=8] async words", streaming=True, stream_tokens=True
            )
            pieces = [piece async for piece in stream.text_stream]
            final = await stream.get_final_response()
            return "".join(pieces), final.text

    import asyncio

    joined, final_text = asyncio.run(main())
    assert joined == final_text and final_text.startswith("Echo: async words")
