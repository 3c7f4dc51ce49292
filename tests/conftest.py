"""Shared fixtures for the offline test suite.

Test modules cannot ``import conftest`` (``tests/live`` has a conftest too), so every helper is a
fixture:

* ``fixture(name)`` loads a recorded exchange from ``tests/fixtures``; ``fixture_response(name)``
  turns it into an ``httpx.Response`` to replay through respx.
* ``mock_api`` is a respx router on ``http://letta.test`` (relative routes work);
  ``make_client`` / ``make_async_client`` build clients on it whose ``transport.sleep`` records
  the delays in ``sleeps`` instead of sleeping. ``client`` / ``async_client`` carry ``API_KEY``.
* ``any_client`` is ``client`` and then ``async_client``: one ``async def`` test body runs in both
  modes (see ``tests/_both.py`` for ``resolve`` / ``collect``).
* tests marked ``real_sockets`` run their ``AsyncLetta`` clients over ``DefaultAioHttpClient``
  when ``LETTA_TEST_ASYNC_HTTP=aiohttp`` (see ``tests/_async_http.py``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Union

import httpx
import pytest
import respx
from hypothesis import HealthCheck, settings

from _async_http import ASYNC_HTTP
from letta_client import AsyncLetta, DefaultAioHttpClient, Letta

# Property tests judge behaviour, not speed: no per-example deadline (a loaded CI machine would make
# them flaky), and in CI a fixed seed so that a run can be reproduced.
settings.register_profile(
    "letta", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=os.environ.get("CI") == "true"
)
settings.load_profile("letta")

FIXTURES = Path(__file__).parent / "fixtures"
BASE_URL = "http://letta.test"
API_KEY = "sk-let-SECRET-0123456789abcdef"
ENV_VARS = ("LETTA_API_KEY", "LETTA_BASE_URL", "LETTA_LOG")
_DROPPED_HEADERS = {"content-length", "date", "server", "transfer-encoding"}


def load_fixture(name: str) -> Dict[str, Any]:
    """A recorded exchange: ``request{method,url,headers,json}``, ``status``, ``headers``, ``body_text``…"""
    file = name if name.endswith(".json") else f"{name}.http.json"
    return json.loads((FIXTURES / file).read_text(encoding="utf-8"))


def load_fixture_response(name: str) -> httpx.Response:
    """The recorded response, replayable through respx (status, content-type, exact body bytes)."""
    record = load_fixture(name)
    headers = [(k, v) for k, v in record["headers"] if k.lower() not in _DROPPED_HEADERS]
    return httpx.Response(record["status"], headers=headers, content=record["body_text"].encode("utf-8"))


@pytest.fixture(name="fixture")
def fixture_loader() -> Callable[[str], Dict[str, Any]]:
    return load_fixture


@pytest.fixture(name="fixture_response")
def fixture_response_loader() -> Callable[[str], httpx.Response]:
    return load_fixture_response


@pytest.fixture(autouse=True)
def _clean_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline tests must not pick up the developer's Letta settings."""
    if "live" in Path(str(request.node.path)).parts:
        return
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _async_http_under_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``LETTA_TEST_ASYNC_HTTP=aiohttp``, an ``AsyncLetta`` made by a ``real_sockets`` test
    without an ``http_client`` connects through ``DefaultAioHttpClient``."""
    if ASYNC_HTTP == "aiohttp" and request.node.get_closest_marker("real_sockets") is not None:
        monkeypatch.setattr(AsyncLetta, "_new_http_client", lambda self: DefaultAioHttpClient())


@pytest.fixture
def mock_api() -> Iterator[respx.MockRouter]:
    """A respx router on ``BASE_URL``; any request nobody mocked fails the test."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def sleeps() -> List[float]:
    """The delays the clients built by ``make_client``/``make_async_client`` would have slept."""
    return []


@pytest.fixture
def make_client(sleeps: List[float]) -> Iterator[Callable[..., Letta]]:
    clients: List[Letta] = []

    def make(**kwargs: Any) -> Letta:
        kwargs.setdefault("base_url", BASE_URL)
        client = Letta(**kwargs)
        client._transport.sleep = sleeps.append
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
async def make_async_client(sleeps: List[float]) -> AsyncIterator[Callable[..., AsyncLetta]]:
    clients: List[AsyncLetta] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def make(**kwargs: Any) -> AsyncLetta:
        kwargs.setdefault("base_url", BASE_URL)
        client = AsyncLetta(**kwargs)
        client._transport.sleep = fake_sleep
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
def client(make_client: Callable[..., Letta], mock_api: respx.MockRouter) -> Letta:
    """A client with ``API_KEY`` on the mocked API."""
    return make_client(api_key=API_KEY)


@pytest.fixture
def async_client(make_async_client: Callable[..., AsyncLetta], mock_api: respx.MockRouter) -> AsyncLetta:
    return make_async_client(api_key=API_KEY)


@pytest.fixture(params=["sync", "async"])
def any_client(request: pytest.FixtureRequest, client: Letta, async_client: AsyncLetta) -> Union[Letta, AsyncLetta]:
    """The sync client, then the async one: the same test body covers both twins."""
    return client if request.param == "sync" else async_client


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One extra line: how the live tests (against a real Letta server) fared."""
    counts: Dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if "live" in getattr(report, "keywords", {}) and getattr(report, "when", "call") in ("call", "setup"):
                if outcome == "passed" and report.when != "call":
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
        terminalreporter.write_line(f"live tests against a real Letta server: {summary}")
