"""The API key never shows up in a log record (at DEBUG), a repr, or an exception's text.

A module-scoped fixture runs succeeding and failing calls (sync and async, JSON and streams:
401, 500 with retries, refused connections, timeouts, broken and erroring streams, a failed
resume, invalid bodies) against a loopback server with a known key, with every logger at
DEBUG, and collects what a user could print. The tests then scan it all.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import traceback
from typing import Any, Dict, Iterator, List

import httpx
import pytest

import letta_client
from _async_http import async_http_client
from _faults import LoopbackServer, Reply, Request, sse_frame
from _stream_helpers import AGENT_ID, message
from letta_client import AsyncLetta, Letta, LettaError

SECRET = "sk-let-TOPSECRET-9f8e7d6c5b4a3210"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
LOGGERS = ("", "letta_client", "httpx", "httpcore", "aiohttp")
pytestmark = pytest.mark.real_sockets  # the async calls go through DefaultAioHttpClient too (tests/_async_http.py)
STALL = threading.Event()


class Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def answer(request: Request) -> Reply:
    target = request.target
    if "unauthorized" in target:
        return Reply.json(401, {"detail": "bad key"})
    if "broken" in target:
        return Reply.json(500, {"detail": "boom"})
    if "badjson" in target:
        return Reply(200, {"content-type": "application/json"}, b"{not json")
    if "errorframe" in target:
        return Reply(
            frames=[
                sse_frame(
                    {
                        "message_type": "error_message",
                        "error_type": "internal_error",
                        "message": "failed",
                        "run_id": "run-1",
                    }
                )
            ]
        )
    if "incomplete" in target or target.startswith("/v1/runs/"):
        return Reply(frames=[sse_frame(message("assistant_message", 1, content="x", seq_id=1))])
    if "stall" in target:
        return Reply(stall=STALL)
    return Reply.json(
        200, {"messages": [], "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"}, "usage": {}}
    )


def scenarios(base_url: str, refused_url: str) -> Dict[str, List[Any]]:
    """Run the calls; return what they produced: objects to repr, exceptions."""
    objects: List[Any] = []
    errors: List[BaseException] = []
    client = Letta(base_url=base_url, api_key=SECRET, max_retries=2, timeout=httpx.Timeout(0.3, connect=2))
    client._transport.sleep = lambda seconds: None
    objects += [client, client.with_options(timeout=5), client._transport.options, client.agents, client.runs]
    calls = [
        lambda: client.agents.messages.send("agent-ok", messages=MESSAGES),
        lambda: client.agents.messages.send("agent-unauthorized", messages=MESSAGES),
        lambda: client.agents.messages.send("agent-broken", messages=MESSAGES),
        lambda: client.runs.retrieve("run-broken"),
        lambda: client.agents.messages.send("agent-badjson", messages=MESSAGES),
        lambda: client.agents.messages.send("agent-stall", messages=MESSAGES),
        lambda: client.agents.messages.send("agent-errorframe", messages=MESSAGES, streaming=True).until_done(),
        lambda: client.agents.messages.send("agent-incomplete", messages=MESSAGES, streaming=True).until_done(),
        lambda: client.agents.messages.send(
            "agent-incomplete", messages=MESSAGES, streaming=True, background=True, max_resume_attempts=1
        ).until_done(),
        lambda: Letta(base_url=refused_url, api_key=SECRET, max_retries=0).agents.messages.send(
            AGENT_ID, messages=MESSAGES
        ),
    ]
    for call in calls:
        try:
            objects.append(call())
        except LettaError as error:
            errors.append(error)

    async def async_calls() -> None:
        http = async_http_client()
        aclient = AsyncLetta(base_url=base_url, api_key=SECRET, max_retries=0, http_client=http)
        objects.append(aclient)
        for agent in ("agent-ok", "agent-unauthorized", "agent-incomplete"):
            try:
                stream = await aclient.agents.messages.send(agent, messages=MESSAGES, streaming=True)
                async for event in stream:
                    objects.append(event)
                objects.append(stream)
            except LettaError as error:
                errors.append(error)
        await aclient.close()
        await http.aclose()

    asyncio.run(async_calls())
    client.close()
    return {"objects": objects, "errors": errors}


@pytest.fixture(scope="module", autouse=True)
def produced() -> Iterator[Dict[str, Any]]:
    collector = Collector()
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    logging.getLogger().addHandler(collector)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    closed = LoopbackServer(answer)
    closed.close()  # connections to its port are refused
    with LoopbackServer(answer) as server:
        try:
            result = scenarios(server.base_url, closed.base_url)
        finally:
            STALL.set()
            logging.getLogger().removeHandler(collector)
            for name, level in saved.items():
                logging.getLogger(name).setLevel(level)
        result["records"] = collector.records
        result["sent"] = [r.header("authorization") for r in server.requests]
    yield result


def test_the_key_was_sent_and_the_scenarios_failed_as_planned(produced: Dict[str, Any]) -> None:
    assert f"Bearer {SECRET}" in produced["sent"]
    kinds = {type(error).__name__ for error in produced["errors"]}
    assert {"AuthenticationError", "InternalServerError", "APITimeoutError", "LettaStreamError"} <= kinds, kinds
    assert {"IncompleteStreamError", "APIConnectionError", "APIResponseValidationError"} <= kinds, kinds


def test_no_log_record_holds_the_key(produced: Dict[str, Any]) -> None:
    records: List[logging.LogRecord] = produced["records"]
    assert any(r.name.startswith("letta_client") and r.levelno == logging.DEBUG for r in records)
    for record in records:
        text = record.getMessage() + repr(record.args) + repr(record.__dict__)
        assert SECRET not in text, record.getMessage()


def test_no_repr_or_str_holds_the_key(produced: Dict[str, Any]) -> None:
    assert len(produced["objects"]) > 5
    for item in produced["objects"]:
        assert SECRET not in repr(item) and SECRET not in str(item)


def test_no_exception_text_or_traceback_holds_the_key(produced: Dict[str, Any]) -> None:
    for error in produced["errors"]:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        text += repr(error) + str(error) + repr(getattr(error, "body", None))
        request = getattr(error, "request", None)
        if request is not None:
            text += repr(request) + repr(request.headers)
        assert SECRET not in text, type(error).__name__


def test_the_package_namespace_does_not_hold_the_key() -> None:
    assert all(SECRET not in repr(getattr(letta_client, name, None)) for name in dir(letta_client))
