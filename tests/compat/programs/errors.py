"""Handling errors as the official README does: the status errors, the connection error, and
``with_options`` for per-request retries and timeouts.

Covers: ``letta_client.NotFoundError`` / ``UnprocessableEntityError`` / ``APIStatusError``
with ``.status_code`` and ``.response``, every error being an ``APIError``,
``letta_client.APIConnectionError`` with its ``__cause__`` when nothing listens,
``client.with_options(max_retries=0, timeout=...)``, and ``Letta(max_retries=0)``.
"""

from __future__ import annotations

import os
import socket

import letta_client
from letta_client import Letta

MISSING_AGENT = "agent-00000000-0000-4000-8000-000000000000"


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))

    try:
        client.agents.retrieve(agent_id=MISSING_AGENT)
    except letta_client.NotFoundError as error:
        assert error.status_code == 404 and error.response.status_code == 404
        assert isinstance(error, letta_client.APIStatusError) and isinstance(error, letta_client.APIError)
        print("404:", type(error).__name__)
    else:
        raise AssertionError("a missing agent was found")

    try:
        client.with_options(max_retries=0, timeout=20.0).agents.messages.create(agent_id="not-an-id", input="hi")
    except letta_client.APIStatusError as error:
        assert isinstance(error, letta_client.UnprocessableEntityError), type(error)
        assert error.status_code == 422
        print("422:", type(error).__name__)
    else:
        raise AssertionError("a malformed agent id was accepted")

    nowhere = Letta(base_url=f"http://127.0.0.1:{_closed_port()}", api_key="key", max_retries=0)
    try:
        nowhere.agents.list()
    except letta_client.APIConnectionError as error:
        assert error.__cause__ is not None  # the underlying httpx error
        assert isinstance(error, letta_client.APIError)
        print("unreachable:", type(error).__name__)
    else:
        raise AssertionError("a closed port answered")
    finally:
        nowhere.close()
        client.close()


if __name__ == "__main__":
    main()
