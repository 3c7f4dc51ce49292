"""The demo page in a real browser (Debian's Chromium, driven by Playwright) against the real Letta
0.16.8 server: the same checks as ``tests/web/test_web_browser.py`` on the simulator.

The scripted model (``fake_llm.py``) answers ``[chunks=200]`` with exactly 200 tokens, and
``[gap=S]`` spaces them out, so that a reload comes while the run is still going. The agent is a
fresh one with the demo's approval tool (``shout``, which the server runs once approved).
"""

from __future__ import annotations

import os
import random
from typing import Any, Iterator, List

import pytest

from _browser import (
    PAGE_LEFT,
    WAIT_MS,
    Demo,
    applied,
    chat_state,
    chromium,
    conversation_of,
    demo_page,
    history_texts,
    rendered,
    replayed_parts,
    send,
    serve_demo,
    wait_idle,
)
from letta_client import Letta
from letta_client.web._demo import install_approval_tool

pytestmark = pytest.mark.real_clients

TRIALS = int(os.environ.get("LETTA_LIVE_BROWSER_TRIALS", "20"))
SEED = int(os.environ.get("LETTA_BROWSER_SEED", "20231223"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def demo(live_url: str, make_agent: Any) -> Iterator[Demo]:
    agent_id = make_agent()
    with Letta(base_url=live_url, timeout=120) as client:
        assert install_approval_tool(client, agent_id) is None
    with serve_demo(live_url, agent_id=agent_id) as demo:
        yield demo


@pytest.fixture
def page(browser: Any, demo: Demo) -> Iterator[Any]:
    """A tab on the demo; every request it makes must go to the demo's origin."""
    with demo_page(browser, demo) as page:
        yield page


def test_turns_through_a_cutting_proxy_show_what_the_server_holds(page: Any, demo: Demo) -> None:
    rng = random.Random(SEED)
    reload_at = rng.randrange(1, TRIALS) if TRIALS > 1 else 0
    turns = 0
    for trial in range(TRIALS):
        reloading = trial == reload_at
        offsets = [rng.randint(1, 2500) for _ in range(rng.randint(1, 5))]
        demo.proxy.plan(offsets, reset=[rng.random() < 0.3 for _ in offsets])
        before = len(demo.proxy.stream_passages())
        if reloading:
            demo.proxy.hold(after=rng.randint(1500, 6000))
        since = chat_state(page)["events"]
        send(page, f"[chunks=200] {'[gap=0.02] ' if reloading else ''}trial {trial}")
        if reloading:
            assert demo.proxy.held.wait(WAIT_MS / 1000)
            page.wait_for_function(f"() => window.__chat.events.length > {since}", timeout=WAIT_MS)
            page.reload()
            demo.proxy.release()
            turns, since = 0, 0
        wait_idle(page, turns + 1)
        state = chat_state(page)
        turns = state["turns"]
        assert (state["status"], state["problem"]) == ("idle", None)
        conversation_id = conversation_of(page)
        events = applied(page, since)
        runs = {event_id.split(":")[0] for event_id, _ in events}
        assert len(runs) == 1, runs
        run_id = runs.pop()
        assert events == replayed_parts(demo, conversation_id, run_id)
        if reloading:  # the page resumed the run while it was still going
            assert events[0][1] == "start" and page.evaluate("() => window.__chat.resumed !== null")
        passages = demo.proxy.stream_passages()[before:]
        if reloading:
            assert passages[0].request == "POST /api/chat"
            passages = passages[1:]
        assert demo.proxy.pending_cuts == 0 and len([p for p in passages if p.cut]) == len(offsets), passages
        assert rendered(page) == history_texts(demo.client, conversation_id)


def _returns(client: Letta, conversation_id: str) -> List[Any]:
    return [
        m
        for m in client.conversations.messages.list(conversation_id, order="asc")
        if m.message_type == "tool_return_message"
    ]


def test_approve_and_deny_from_the_page(page: Any, demo: Demo) -> None:
    send(page, "[tool:shout] please")
    wait_idle(page, 1)
    page.click("[data-action=approve]")
    page.wait_for_selector("[data-part=tool][data-state=output-available]", timeout=WAIT_MS)
    wait_idle(page, 2)
    assert "TEST!" in page.locator("[data-part=tool]").last.inner_text()
    conversation_id = conversation_of(page)
    assert [(r.status, r.tool_return) for r in _returns(demo.client, conversation_id)] == [("success", "TEST!")]

    send(page, "[tool:shout] again")
    wait_idle(page, 3)
    page.click("[data-action=deny]")
    wait_idle(page, 4)
    assert page.locator("[data-part=tool]").last.get_attribute("data-state") in ("output-denied", "output-error")
    returns = _returns(demo.client, conversation_id)
    assert [r.status for r in returns] == ["success", "error"]
    assert returns[1].tool_return == "Error: request to call tool denied. User reason: denied in the chat page"
    assert page.locator("[data-action]").count() == 0
    shown = rendered(page)
    assert shown == history_texts(demo.client, conversation_id)
    page.reload()
    wait_idle(page, 1)
    assert rendered(page) == shown and page.locator("[data-action]").count() == 0


def test_stop_cancels_the_run(page: Any, demo: Demo) -> None:
    send(page, "[chunks=200] [gap=0.05] stop me")
    page.wait_for_function("() => document.body.textContent.includes('Echo: stop')", timeout=WAIT_MS)
    page.click("#stop")
    wait_idle(page, 1)
    run_id = applied(page)[0][0].split(":")[0]
    run = demo.client.runs.wait(run_id, poll_interval=0.05)
    assert run.status == "cancelled"
    assert chat_state(page)["problem"] is None


def test_closing_the_tab_does_not_stop_the_run(browser: Any, demo: Demo) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo.url)
    page.wait_for_function("() => window.__chat && window.__chat.ready", timeout=WAIT_MS)
    send(page, "[chunks=60] [gap=0.05] nobody waits")
    page.wait_for_function("() => document.body.textContent.includes('Echo: nobody')", timeout=WAIT_MS)
    conversation_id = conversation_of(page)
    run_id = applied(page)[0][0].split(":")[0]
    demo.proxy.page_left.clear()
    context.close()
    assert demo.proxy.page_left.wait(WAIT_MS / 1000)
    assert [p.request for p in demo.proxy.stream_passages() if p.status == PAGE_LEFT] == ["POST /api/chat"]
    run = demo.client.runs.wait(run_id, poll_interval=0.05)
    assert (run.status, run.stop_reason) == ("completed", "end_turn")
    answers = [text for kind, text in history_texts(demo.client, conversation_id) if kind == "assistant"]
    assert len(answers) == 1 and answers[0].startswith("Echo: nobody waits")
