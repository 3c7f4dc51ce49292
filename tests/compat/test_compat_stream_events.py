"""For every recorded stream, this SDK yields the events the official SDK yields, in the same
order, pings included (the official sequences are recorded in
``tests/fixtures/official_stream_events.json`` by ``benchmarks/official_stream_events.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import httpx
import pytest

from letta_client import AsyncLetta, IncompleteStreamError, Letta, LettaStreamError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OFFICIAL: Dict[str, Dict[str, Any]] = json.loads((FIXTURES / "official_stream_events.json").read_text("utf-8"))
# What identifies an event: its type and the ids the server gave it.
KEYS = ("message_type", "id", "otid", "seq_id", "run_id", "step_id", "stop_reason")
# The official SDK ends a stream that stops without a stop_reason as if it were complete; this SDK
# says so (the events before are the same).
TRUNCATED = {"f_background_stream_partial.sse"}


def _identity(event: Dict[str, Any]) -> Tuple[Any, ...]:
    return tuple(event.get(key) for key in KEYS)


def _transport(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    )


def test_every_recorded_stream_has_an_official_sequence() -> None:
    assert sorted(OFFICIAL) == sorted(path.name for path in FIXTURES.glob("*.sse"))
    assert any(event["message_type"] == "ping" for record in OFFICIAL.values() for event in record["events"])


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_same_events_in_the_same_order_as_the_official_sdk(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    seen: List[Dict[str, Any]] = []
    outcome = "end"
    with Letta(base_url="http://letta.test", http_client=httpx.Client(transport=_transport(body))) as client:
        try:
            with client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True) as stream:
                for event in stream:
                    seen.append(event.model_dump(mode="json", exclude_unset=True))
        except (LettaStreamError, IncompleteStreamError) as error:
            outcome = type(error).__name__
    official = OFFICIAL[name]
    assert [_identity(e) for e in seen] == [_identity(e) for e in official["events"]]
    if name in TRUNCATED:
        assert (official["outcome"], outcome) == ("end", "IncompleteStreamError")
    else:
        assert (official["outcome"] == "end") == (outcome == "end")


@pytest.mark.parametrize("name", ["d_pings_slow_step.sse", "i_fail_llm_step_stream.sse"])
async def test_async_streams_yield_the_official_events_too(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    seen: List[Tuple[Any, ...]] = []
    async with AsyncLetta(
        base_url="http://letta.test", http_client=httpx.AsyncClient(transport=_transport(body))
    ) as client:
        stream = await client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True)
        try:
            async for event in stream:
                seen.append(_identity(event.model_dump(mode="json", exclude_unset=True)))
        except LettaStreamError:
            pass
    assert seen == [_identity(e) for e in OFFICIAL[name]["events"]]


def test_hiding_pings_stays_an_option_and_leaves_text_and_final_response_alone() -> None:
    body = (FIXTURES / "d_pings_slow_step.sse").read_bytes()
    with Letta(base_url="http://letta.test", http_client=httpx.Client(transport=_transport(body))) as client:
        with client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True, yield_pings=False) as quiet:
            kinds = [event.message_type for event in quiet]
        text = "".join(client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True).text_stream)
        final = client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True).get_final_response()
    official = [e["message_type"] for e in OFFICIAL["d_pings_slow_step.sse"]["events"]]
    assert kinds == [kind for kind in official if kind != "ping"]
    assert text and final.text == text
    assert all(message.message_type != "ping" for message in final.messages)
