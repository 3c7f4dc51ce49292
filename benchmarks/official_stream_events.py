"""Record the events the official SDK yields for every recorded stream in ``tests/fixtures``.

    python -m benchmarks.official_stream_events > tests/fixtures/official_stream_events.json

Each ``*.sse`` transcript is served (through ``httpx.MockTransport``, no network) to the official
``letta-client`` in its own venv (see ``benchmarks._official``), as the answer to
``client.agents.messages.create(agent_id=..., input=..., streaming=True)``. For each transcript
the output lists every event the official stream yields, in order, as
``model_dump(mode="json", exclude_unset=True)``, and how the iteration ended (``"end"``, or the
exception's class name). ``tests/test_official_stream_events.py`` checks that this SDK yields
the same events in the same order.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _worker(fixtures: Path) -> Dict[str, Any]:  # pragma: no cover - runs in the official SDK's venv
    import httpx

    from letta_client import Letta  # the official SDK, in its own venv

    results: Dict[str, Any] = {}
    for path in sorted(fixtures.glob("*.sse")):
        body = path.read_bytes()

        def handler(request: httpx.Request, body: bytes = body) -> httpx.Response:
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

        http_client = httpx.Client(transport=httpx.MockTransport(handler))
        client = Letta(api_key="key", base_url="http://letta.test", http_client=http_client, max_retries=0)
        events = []
        outcome = "end"
        try:
            stream = client.agents.messages.create(agent_id="agent-1", input="hi", streaming=True)
            for event in stream:
                events.append(event.model_dump(mode="json", exclude_unset=True))
        except Exception as error:
            outcome = type(error).__name__
        results[path.name] = {"events": events, "outcome": outcome}
    return results


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        json.dump(_worker(Path(sys.argv[2])), sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return
    from benchmarks._official import official_python

    output = subprocess.run(
        [official_python(), str(Path(__file__).resolve()), "--worker", str(FIXTURES)],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",  # so that this project's letta_client is not importable there
    ).stdout
    sys.stdout.write(output)


if __name__ == "__main__":
    main()
