"""Records the answer ``benchmarks/agents_page.py`` parses: ``GET /v1/agents/?limit=50`` with the
blocks, tools and tags included, from a real Letta server (``scripts/live-server start``).

    .venv/bin/python scripts/record_agents_page.py URL   # writes benchmarks/fixtures/agents_page.json.gz

It creates 50 agents, each with three memory blocks and the base tools, reads the page, then
deletes the agents again. The model and embedding are the live server's scripted ones.
"""

from __future__ import annotations

import gzip
import sys
import uuid
from pathlib import Path

import httpx

OUT = Path(__file__).resolve().parent.parent / "benchmarks" / "fixtures" / "agents_page.json.gz"
INCLUDE = ["agent.blocks", "agent.tools", "agent.tags"]


def main(url: str) -> None:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=url.rstrip("/"), timeout=120, trust_env=False) as http:
        made = []
        try:
            for index in range(50):
                body = {
                    "name": f"{prefix}-{index:02d}",
                    "model": "openai-proxy/fake-gpt",
                    "embedding": "openai/text-embedding-3-small",
                    "tags": [prefix, f"n{index % 5}"],
                    "memory_blocks": [
                        {"label": "human", "value": f"The user #{index} likes benchmarks. " * 8},
                        {"label": "persona", "value": "A patient, exact assistant. " * 12},
                        {"label": "notes", "value": "Nothing yet.", "description": "Scratch notes"},
                    ],
                }
                answer = http.post("/v1/agents/", json=body)
                answer.raise_for_status()
                made.append(answer.json()["id"])
            page = http.get("/v1/agents/", params={"limit": 50, "tags": prefix, "include": INCLUDE})
            page.raise_for_status()
            assert len(page.json()) == 50
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_bytes(gzip.compress(page.content, mtime=0))
            print(f"{OUT.name}: {len(page.content)} bytes, {len(OUT.read_bytes())} compressed")
        finally:
            for agent_id in made:
                http.delete(f"/v1/agents/{agent_id}")


if __name__ == "__main__":
    main(sys.argv[1])
