"""Which HTTP client the async tests that go over real sockets use.

``scripts/test`` runs the tests marked ``real_sockets`` (loopback servers, fault proxies, the live
server) a second time with ``LETTA_TEST_ASYNC_HTTP=aiohttp``. Then every ``AsyncLetta`` such a
test creates without an ``http_client`` gets a ``DefaultAioHttpClient`` (the autouse fixture in
``conftest.py``), and ``async_http_client()`` gives one to the tests that configure their own.

Tests that mock httpx (respx, ``httpx.MockTransport``) never reach a transport, so they say
nothing about the aiohttp one; ``tests/test_aiohttp_transport.py`` checks it directly, in every
run, against httpx's default transport.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from letta_client import DefaultAioHttpClient

__all__ = ["ASYNC_HTTP", "async_http_client"]

ASYNC_HTTP = os.environ.get("LETTA_TEST_ASYNC_HTTP") or "httpx"
if ASYNC_HTTP not in ("httpx", "aiohttp"):
    raise RuntimeError(f"LETTA_TEST_ASYNC_HTTP must be httpx or aiohttp, not {ASYNC_HTTP!r}")


def async_http_client(**kwargs: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` over the transport under test."""
    if ASYNC_HTTP == "aiohttp":
        return DefaultAioHttpClient(**kwargs)
    return httpx.AsyncClient(**kwargs)
