"""Raw and streaming HTTP responses: ``with_raw_response`` and ``with_streaming_response``.

Covers: ``client.agents.messages.with_raw_response.create(...)`` (``.headers``,
``.status_code``, ``.http_version``, ``.elapsed``, ``.retries_taken``, ``.is_closed``,
``.parse()``), ``with client.agents.messages.with_streaming_response.create(...,
streaming=True) as response`` read with ``response.iter_lines()``, the same without streaming
read with ``.parse()``, and ``client.agents.with_raw_response.retrieve``.
"""

from __future__ import annotations

import json
import os
from typing import List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types import AgentState
from letta_client.types.agents import LettaResponse


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("raw"))
    try:
        raw = client.agents.messages.with_raw_response.create(agent_id=agent.id, input="Raw hello")
        assert raw.status_code == 200
        assert raw.headers.get("content-type", "").startswith("application/json"), raw.headers
        assert raw.http_version in ("HTTP/1.1", "HTTP/2")
        assert raw.elapsed.total_seconds() >= 0
        assert raw.retries_taken == 0
        assert raw.is_closed
        response = raw.parse()
        assert isinstance(response, LettaResponse)
        assert any(m.message_type == "assistant_message" for m in response.messages)

        events: List[str] = []
        with client.agents.messages.with_streaming_response.create(
            agent_id=agent.id, input="Streamed raw hello", streaming=True
        ) as streamed:
            assert streamed.status_code == 200
            assert streamed.headers.get("content-type", "").startswith("text/event-stream")
            for line in streamed.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    events.append(json.loads(line[len("data: ") :])["message_type"])
        assert streamed.is_closed
        assert "assistant_message" in events and events[-1] == "usage_statistics", events

        with client.agents.messages.with_streaming_response.create(agent_id=agent.id, input="Parsed later") as unread:
            parsed = unread.parse()
        assert isinstance(parsed, LettaResponse) and parsed.stop_reason.stop_reason == "end_turn"

        raw_agent = client.agents.with_raw_response.retrieve(agent.id)
        fetched = raw_agent.parse()
        assert isinstance(fetched, AgentState) and fetched.id == agent.id
        print("raw:", raw.http_version, "events:", events)
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
