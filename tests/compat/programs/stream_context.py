"""Stream a turn inside ``with``: the chunks, typed by the official streaming classes.

Covers: ``with client.agents.messages.create(..., streaming=True) as stream`` (step streaming; ``stream.response`` is the HTTP response),
``with client.agents.messages.stream(..., streaming=True, stream_tokens=True) as stream``
(the deprecated endpoint, token streaming), dispatch on ``chunk.message_type``, the first
chunk being a ping that carries the run id, and the ``LettaStopReason`` /
``LettaUsageStatistics`` chunks at the end.
"""

from __future__ import annotations

import os
import warnings
from typing import List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types.agents import AssistantMessage
from letta_client.types.agents.letta_streaming_response import LettaPing, LettaStopReason, LettaUsageStatistics


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("stream"))
    try:
        kinds: List[str] = []
        text = ""
        with client.agents.messages.create(
            agent_id=agent.id, messages=[{"role": "user", "content": "Stream me a step reply"}], streaming=True
        ) as stream:
            assert stream.response.headers["content-type"].startswith("text/event-stream")
            for chunk in stream:
                kinds.append(chunk.message_type or "")
                if isinstance(chunk, AssistantMessage):
                    text += str(chunk.content)
        print("step stream:", kinds)
        assert "step reply" in text, text
        assert kinds[-2:] == ["stop_reason", "usage_statistics"], kinds

        tokens: List[str] = []
        first = None
        stop = usage = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # stream() is deprecated upstream
            with client.agents.messages.stream(
                agent_id=agent.id, input="Stream me a token reply", streaming=True, stream_tokens=True
            ) as stream:
                for chunk in stream:
                    if first is None:
                        first = chunk
                    if chunk.message_type == "assistant_message":
                        tokens.append(str(chunk.content))
                    elif isinstance(chunk, LettaStopReason):
                        stop = chunk
                    elif isinstance(chunk, LettaUsageStatistics):
                        usage = chunk
        print("token stream:", len(tokens), "assistant chunks")
        assert isinstance(first, LettaPing), first
        assert first.run_id and first.run_id.startswith("run-"), first
        assert "token reply" in "".join(tokens), tokens
        assert stop is not None and stop.stop_reason == "end_turn"
        assert usage is not None and (usage.step_count or 0) >= 1
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
