"""A turn's span ends exactly once, with the right status, however its stream is consumed.

Property: for any way of consuming a stream (read it all, ``break`` and let go, drop it unread,
raise in the loop inside ``with stream:``, ``close()`` half-way, cancel the ``asyncio`` task),
after any number of events, sync or async, agents or conversations: exactly one
``invoke_agent`` span is exported, and its status and ``letta.turn.end`` are those of the pattern.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _otel import Traced, attributes
from letta_client.testing import Simulator
from letta_client.testing._script import Hold, Reply

PATTERNS = ["all", "break", "drop", "throw", "close", "cancel"]
WORDS = "one two three four five six"


class _Boom(Exception):
    pass


def _expected(pattern: str, read: int, finished_at: int) -> Tuple[str, str]:
    """(status, letta.turn.end) of a pattern that stops after ``read`` events; the turn is
    finished once its ``stop_reason`` (event number ``finished_at``) was read."""
    if pattern == "all" or (pattern in ("break", "throw", "close") and read >= finished_at):
        return "UNSET", "finished"
    if pattern == "drop" or pattern == "break":
        return "UNSET", "dropped"
    if pattern == "cancel":
        return "ERROR", "error"
    return "UNSET", "closed"  # throw inside ``with stream:``, or close()


def _sync(sim: Simulator, send: str, pattern: str, read: int) -> int:
    client = sim.client()
    if send == "agent":
        stream = client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True, stream_tokens=True)
    else:
        conv = sim.create_conversation(sim.default_agent_id)
        stream = client.conversations.messages.send(conv, input="hi", stream_tokens=True)
    seen = 0
    if pattern == "all":
        seen = len(list(stream))
    elif pattern == "break":
        for _ in stream:
            seen += 1
            if seen >= read:
                break
    elif pattern == "throw":
        try:
            with stream:
                for _ in stream:
                    seen += 1
                    if seen >= read:
                        raise _Boom()
        except _Boom:
            pass
    elif pattern == "close":
        for _ in stream:
            seen += 1
            if seen >= read:
                break
        stream.close()
    del stream
    client.close()
    return seen


async def _async(sim: Simulator, send: str, pattern: str, read: int, release: threading.Event) -> int:
    client = sim.async_client()
    if send == "agent":
        stream = await client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True, stream_tokens=True)
    else:
        conv = sim.create_conversation(sim.default_agent_id)
        stream = await client.conversations.messages.send(conv, input="hi", stream_tokens=True)
    seen: List[Any] = []
    if pattern == "all":
        seen = [event async for event in stream]
    elif pattern in ("break", "close"):
        async for event in stream:
            seen.append(event)
            if len(seen) >= read:
                break
        if pattern == "close":
            await stream.close()
    elif pattern == "throw":
        try:
            async with stream:
                async for event in stream:
                    seen.append(event)
                    if len(seen) >= read:
                        raise _Boom()
        except _Boom:
            pass
    elif pattern == "cancel":
        reached = asyncio.Event()

        async def consume(events: Any) -> None:
            async for event in events:
                seen.append(event)
                if event.message_type == "assistant_message":
                    reached.set()

        task = asyncio.ensure_future(consume(stream))
        await reached.wait()  # the rest of the turn is held: the task waits in a read
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        del task
    del stream
    release.set()
    gc.collect()
    await client.close()
    return len(seen)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=st.sampled_from(PATTERNS),
    mode=st.sampled_from(["sync", "async"]),
    send=st.sampled_from(["agent", "conversation"]),
    read=st.integers(min_value=1, max_value=12),
)
def test_every_consumption_pattern_ends_exactly_one_span(pattern: str, mode: str, send: str, read: int) -> None:
    if pattern == "cancel" and mode == "sync":
        mode = "async"  # cancellation is an asyncio matter
    release = threading.Event()
    sim = Simulator()
    if pattern == "cancel":
        sim.script(sim.default_agent_id, [Reply(WORDS), Hold(release, timeout=30), Reply("the end")])
    else:
        sim.script(sim.default_agent_id, [Reply(WORDS)])
    finished_at = _finished_at(send)
    traced = Traced()
    traced.instrument()
    try:
        if mode == "sync":
            _sync(sim, send, pattern, read)
        else:
            asyncio.run(_async(sim, send, pattern, read, release))
        release.set()
        spans = traced.spans("invoke_agent")
        assert len(spans) == 1, [attributes(span) for span in spans]
        status, end = _expected(pattern, read, finished_at)
        found = attributes(spans[0])
        assert (spans[0].status.status_code.name, found["letta.turn.end"]) == (status, end), found
        if status == "ERROR":
            assert found["error.type"] == "CancelledError"
        else:
            assert "error.type" not in found
    finally:
        traced.instrumentor.uninstrument()


_FINISHED_AT: Dict[str, int] = {}


def _finished_at(send: str) -> int:
    """The number of the scripted turn's ``stop_reason`` event (read once per kind of send)."""
    if send not in _FINISHED_AT:
        sim = Simulator()
        sim.script(sim.default_agent_id, [Reply(WORDS)])
        client = sim.client()
        if send == "agent":
            stream = client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True, stream_tokens=True)
        else:
            stream = client.conversations.messages.send(
                sim.create_conversation(sim.default_agent_id), input="hi", stream_tokens=True
            )
        kinds = [event.message_type for event in stream]
        _FINISHED_AT[send] = kinds.index("stop_reason") + 1
    return _FINISHED_AT[send]
