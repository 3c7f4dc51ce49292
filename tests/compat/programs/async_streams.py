"""The async client's streams and responses: a background stream resumed from its run, and the
raw and streaming responses, each awaited as the official SDK's async side wants.

Covers: ``stream = await client.agents.messages.create(..., streaming=True, background=True)``
read with ``async with stream`` / ``async for``, ``await client.runs.messages.stream(run_id,
starting_after=...)``, ``await client.agents.messages.with_raw_response.create(...)`` then
``await raw.parse()``, ``async with client.agents.messages.with_streaming_response.create(...)``
read with ``async for line in response.iter_lines()``, and ``await client.agents.messages.reset``.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import List, Optional

from _agent import agent_fields

from letta_client import AsyncLetta
from letta_client.types.agents import AssistantMessage, LettaResponse


async def main() -> None:
    async with AsyncLetta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY")) as client:
        agent = await client.agents.create(**agent_fields("async-streams"))
        try:
            run_id: Optional[str] = None
            seq_id: Optional[int] = None
            stream = await client.agents.messages.create(
                agent_id=agent.id, input="Async background turn", streaming=True, background=True
            )
            async with stream:
                async for chunk in stream:
                    run_id = getattr(chunk, "run_id", None) or run_id
                    seq_id = getattr(chunk, "seq_id", None) or seq_id
                    if run_id and seq_id:
                        break
            assert run_id and seq_id is not None, (run_id, seq_id)

            text = ""
            rest = await client.runs.messages.stream(run_id, starting_after=seq_id)
            async for chunk in rest:
                later = getattr(chunk, "seq_id", None)
                assert later is None or later > seq_id, (seq_id, later)
                if isinstance(chunk, AssistantMessage):
                    text += str(chunk.content)
            assert "background turn" in text, text

            raw = await client.agents.messages.with_raw_response.create(agent_id=agent.id, input="Async raw")
            assert raw.status_code == 200 and raw.retries_taken == 0
            response = await raw.parse()
            assert isinstance(response, LettaResponse) and response.stop_reason.stop_reason == "end_turn"

            kinds: List[str] = []
            async with client.agents.messages.with_streaming_response.create(
                agent_id=agent.id, input="Async lines", streaming=True
            ) as streamed:
                async for line in streamed.iter_lines():
                    if line.startswith("data: {"):
                        kinds.append(json.loads(line[len("data: ") :])["message_type"])
            assert "assistant_message" in kinds and kinds[-1] == "usage_statistics", kinds

            state = await client.agents.messages.reset(agent_id=agent.id, add_default_initial_messages=False)
            assert state is not None and len(state.message_ids or []) == 1
            print("run:", run_id, "resumed after", seq_id, "lines:", kinds)
        finally:
            await client.agents.delete(agent_id=agent.id)


if __name__ == "__main__":
    asyncio.run(main())
