"""The demo page in a real browser (Debian's Chromium, driven by Playwright) against the simulator.

Between the page and the demo sits a loopback proxy that cuts the page's stream responses 1–5
times per turn at random byte offsets, once with a reset, otherwise with a close; in one turn it
holds the stream in the middle and the page reloads. In 20 turns of 200 chunks, what the page shows
must equal what the server holds, and the parts the page applied must be exactly the run's parts,
each once, in order (held against the run replayed whole from the demo). Approve and deny work
from the page; Stop cancels the run; closing the tab does not.
"""

from __future__ import annotations

import os
import random
import threading
from typing import Any, Iterator, List, Tuple

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
    simulated_server,
    wait_idle,
)
from letta_client.testing import Hold, Reply, Simulator

pytestmark = pytest.mark.real_clients

TRIALS = 20
SEED = int(os.environ.get("LETTA_BROWSER_SEED", "20231223"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def demo(sim: Simulator) -> Iterator[Demo]:
    with simulated_server(sim) as base_url, serve_demo(base_url) as demo:
        yield demo


@pytest.fixture
def page(browser: Any, demo: Demo) -> Iterator[Any]:
    """A tab on the demo; every request it makes must go to the demo's origin."""
    with demo_page(browser, demo) as page:
        yield page


def _check_exactly_once(demo: Demo, conversation_id: str, applied: List[Tuple[str, str]]) -> str:
    runs = {event_id.split(":")[0] for event_id, _ in applied}
    assert len(runs) == 1, runs
    run_id = runs.pop()
    assert applied == replayed_parts(demo, conversation_id, run_id)
    return run_id


def test_twenty_turns_through_a_cutting_proxy_show_what_the_server_holds(page: Any, demo: Demo, sim: Simulator) -> None:
    rng = random.Random(SEED)
    reload_at = rng.randrange(3, TRIALS)
    turns = 0
    passed = 0
    for trial in range(TRIALS):
        words = " ".join(f"t{trial}w{i}" for i in range(200))
        held = threading.Event() if trial == reload_at else None
        sim.script(demo.agent_id, [Reply(words), *([Hold(held, timeout=120)] if held else [])])
        offsets = [rng.randint(1, 2500) for _ in range(rng.randint(1, 5))]
        demo.proxy.plan(offsets, reset=[rng.random() < 0.3 for _ in offsets])
        before = len(demo.proxy.stream_passages())
        if held is not None:
            demo.proxy.hold(after=rng.randint(2000, 12000))  # the POST: it stalls in the middle
        since = chat_state(page)["events"]
        send(page, f"trial {trial}")
        if held is not None:
            assert demo.proxy.held.wait(WAIT_MS / 1000)
            page.wait_for_function(f"() => window.__chat.events.length > {since}", timeout=WAIT_MS)
            shown = [text for kind, text in rendered(page) if kind == "assistant"]
            assert 0 < len(shown[-1].split()) < 200, (demo.proxy.stream_passages()[before:], applied(page, since)[:5])
            page.reload()
            demo.proxy.release()
            turns, since = 0, 0
            page.wait_for_function(f"() => document.body.textContent.includes('t{trial}w199')", timeout=WAIT_MS)
            held.set()  # the run ends only now: the page resumed it while it was still running
        wait_idle(page, turns + 1)
        turns = chat_state(page)["turns"]
        state = chat_state(page)
        assert (state["status"], state["problem"]) == ("idle", None)
        conversation_id = conversation_of(page)
        run_id = _check_exactly_once(demo, conversation_id, applied(page, since))
        demo.client.runs.wait(run_id, poll_interval=0.01)  # the conversation is free for the next turn
        passages = demo.proxy.stream_passages()[before:]
        if held is not None:  # the held POST, which ended with the page that reloaded
            assert passages[0].request == "POST /api/chat" and passages[0].sent != 0
            passages = passages[1:]
        assert demo.proxy.pending_cuts == 0 and len([p for p in passages if p.cut]) == len(offsets), passages
        assert rendered(page) == history_texts(demo.client, conversation_id)
        passed += 1
    assert passed == TRIALS


def test_approve_and_deny_from_the_page(page: Any, demo: Demo) -> None:
    send(page, "please shout hello")
    wait_idle(page, 1)
    page.click("[data-action=approve]")
    page.wait_for_selector("[data-part=tool][data-state=output-available]", timeout=WAIT_MS)
    wait_idle(page, 2)
    tool = page.locator("[data-part=tool]").last
    assert "PLEASE SHOUT HELLO!" in tool.inner_text()
    conversation_id = conversation_of(page)
    returns = [
        m
        for m in demo.client.conversations.messages.list(conversation_id, order="asc")
        if m.message_type == "tool_return_message"
    ]
    assert [(r.status, r.tool_return) for r in returns] == [("success", "PLEASE SHOUT HELLO!")]

    send(page, "shout no more")
    wait_idle(page, 3)
    page.click("[data-action=deny]")
    wait_idle(page, 4)
    denied = page.locator("[data-part=tool]").last
    assert denied.get_attribute("data-state") in ("output-denied", "output-error")
    returns = [
        m
        for m in demo.client.conversations.messages.list(conversation_id, order="asc")
        if m.message_type == "tool_return_message"
    ]
    assert [r.status for r in returns] == ["success", "error"]
    assert returns[1].tool_return == "Error: request to call tool denied. User reason: denied in the chat page"
    assert page.locator("[data-action]").count() == 0
    shown = rendered(page)
    assert shown == history_texts(demo.client, conversation_id)

    page.reload()  # the history restores the same, with no question left open
    wait_idle(page, 1)
    assert rendered(page) == shown
    assert page.locator("[data-action]").count() == 0
    states = page.eval_on_selector_all("[data-part=tool]", "nodes => nodes.map((n) => n.dataset.state)")
    assert states[0] == "output-available" and states[1] in ("output-denied", "output-error")


def test_stop_cancels_the_run(page: Any, demo: Demo, sim: Simulator) -> None:
    held = threading.Event()
    sim.script(demo.agent_id, [Reply("a long answer that never ends"), Hold(held, timeout=120)])
    send(page, "go on forever")
    page.wait_for_function("() => document.body.textContent.includes('never ends')", timeout=WAIT_MS)
    page.click("#stop")
    wait_idle(page, 1)
    events = applied(page)
    run_id = events[0][0].split(":")[0]
    assert demo.client.runs.retrieve(run_id).status == "cancelled"
    assert not held.is_set()
    assert chat_state(page)["problem"] is None
    assert events[-1][1] in ("abort", "finish")


def test_closing_the_tab_does_not_stop_the_run(browser: Any, demo: Demo, sim: Simulator) -> None:
    held = threading.Event()
    sim.script(demo.agent_id, [Reply("the first half, and"), Hold(held, timeout=120)])
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo.url)
    page.wait_for_function("() => window.__chat && window.__chat.ready", timeout=WAIT_MS)
    send(page, "a turn nobody waits for")
    page.wait_for_function("() => document.body.textContent.includes('first half')", timeout=WAIT_MS)
    conversation_id = conversation_of(page)
    run_id = applied(page)[0][0].split(":")[0]
    demo.proxy.page_left.clear()
    context.close()
    # the proxy saw the tab go and closed its side to the demo, which closes its stream to Letta
    assert demo.proxy.page_left.wait(WAIT_MS / 1000)
    assert [p.request for p in demo.proxy.stream_passages() if p.status == PAGE_LEFT] == ["POST /api/chat"]
    held.set()
    run = demo.client.runs.wait(run_id, poll_interval=0.01)
    assert (run.status, run.stop_reason) == ("completed", "end_turn")
    assert not [r for r in sim.requests if r.path.endswith("/cancel")]
    assert ("assistant", "the first half, and") in history_texts(demo.client, conversation_id)
