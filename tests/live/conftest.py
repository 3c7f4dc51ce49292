"""Fixtures for tests that run against a real Letta server started by `scripts/live-server start`.

The server's URL comes from $LETTA_LIVE_URL, else from the state file the script writes
($LETTA_LIVE_CACHE or ~/.cache/letta-client-live, file live-server.env). Without a healthy server
the tests are skipped locally, and fail when CI=true.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).parent.resolve()
MODEL = "openai-proxy/fake-gpt"
EMBEDDING = "openai/text-embedding-3-small"


def _state() -> dict[str, str]:
    cache = os.environ.get("LETTA_LIVE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "letta-client-live")
    out: dict[str, str] = {}
    try:
        for line in Path(cache, "live-server.env").read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                out[key.strip()] = value.strip()
    except OSError:
        pass
    return out


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"live Letta server unavailable in CI: {reason}", pytrace=False)
    pytest.skip("no live Letta server: run scripts/live-server start")


def pytest_configure(config):
    config.addinivalue_line("markers", "live: needs a real Letta server")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def live_url() -> str:
    url = os.environ.get("LETTA_LIVE_URL") or _state().get("LETTA_LIVE_URL")
    if not url:
        _unavailable("LETTA_LIVE_URL is not set and scripts/live-server has no running state")
    url = url.rstrip("/")
    try:
        r = httpx.get(f"{url}/v1/health/", timeout=10, trust_env=False)
    except httpx.HTTPError as e:
        _unavailable(f"GET {url}/v1/health/ failed: {e!r}")
    if r.status_code != 200:
        _unavailable(f"GET {url}/v1/health/ answered {r.status_code}")
    return url


@pytest.fixture(scope="session")
def llm_url(live_url) -> str | None:
    """URL of the scripted model server (for GET /_stats), or None if unknown."""
    url = os.environ.get("LETTA_LIVE_LLM_URL") or _state().get("LETTA_LIVE_LLM_URL")
    return url.rstrip("/") if url else None


@pytest.fixture
def http(live_url):
    """Plain httpx client on the live server (no proxies from the environment)."""
    with httpx.Client(base_url=live_url, timeout=120, trust_env=False) as client:
        yield client


def create_agent(live_url: str, **extra) -> str:
    body = {
        "name": f"live-test-{uuid.uuid4().hex[:12]}",
        "model": MODEL,
        "embedding": EMBEDDING,
        "memory_blocks": [
            {"label": "human", "value": "The human is an automated test harness."},
            {"label": "persona", "value": "I am an agent driven by a deterministic fake model."},
        ],
        **extra,
    }
    r = httpx.post(f"{live_url}/v1/agents/", json=body, timeout=60, trust_env=False)
    assert r.status_code == 200, f"agent creation failed: {r.status_code} {r.text[:500]}"
    return r.json()["id"]


def delete_agent(live_url: str, agent_id: str) -> None:
    try:
        httpx.delete(f"{live_url}/v1/agents/{agent_id}", timeout=30, trust_env=False)
    except httpx.HTTPError:
        pass


@pytest.fixture
def make_agent(live_url):
    """Factory: make_agent(**extra_create_fields) -> agent id; the agents are deleted afterwards."""
    made: list[str] = []

    def make(**extra) -> str:
        made.append(create_agent(live_url, **extra))
        return made[-1]

    yield make
    for aid in made:
        delete_agent(live_url, aid)


@pytest.fixture
def agent_settings() -> dict[str, str]:
    """The ``model`` and ``embedding`` an agent on this server needs (the scripted model)."""
    return {"model": MODEL, "embedding": EMBEDDING}


@pytest.fixture
def agent_id(make_agent) -> str:
    """A fresh letta_v1_agent on the fake model (openai-proxy/fake-gpt), deleted afterwards."""
    return make_agent()


@pytest.fixture
def unique() -> str:
    """A marker string to put in a message, to find its requests in the model server's /_stats."""
    return f"m{uuid.uuid4().hex[:10]}-{int(time.time())}"
