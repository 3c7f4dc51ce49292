"""Soak test of exactly-once conversation sends against a real Letta server, through random faults.

    scripts/live-server start
    python benchmarks/soak_conversations.py [--faults 200] [--seed 1] [--conversations 4]

A loopback proxy (``tests/live/_request_faults.py``) breaks sends at random: before the request
is complete, after it arrived but before any answer byte, or mid-stream (also the recovery
requests, now and then). Each send goes out through one of the SDK's paths, chosen at random
(``--views``): the plain call, ``with_raw_response`` + ``parse()``, or ``with_streaming_response``
+ ``parse()``. Every turn is then checked against the server: the events delivered are exactly
the run's stored events (none doubled, none missing, in order), and at the end each
conversation's history holds every user message once and one answer per turn (no lost or
doubled turn). Prints the figures; exits non-zero on any discrepancy.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "live"))

from _request_faults import Breaker, Fault

from conftest import _state, create_agent, delete_agent
from letta_client import Letta, Stream

SEND = r"^POST /v1/conversations/[^/ ]+/messages"
RECOVERY = r"^POST /v1/conversations/[^/ ]+/(messages|stream)"


def _stored(events: List[Any]) -> List[Tuple[int, str, str]]:
    """(seq_id, type, text) of every event but pings: what must arrive exactly once."""
    out = []
    for event in events:
        seq_id = getattr(event, "seq_id", None)
        if event.message_type in ("ping", "stop_reason", "usage_statistics") or seq_id is None:
            continue
        out.append((seq_id, event.message_type, str(getattr(event, "content", ""))))
    return out


VIEWS = ("plain", "raw", "streamed")


def _send(client: Letta, view: str, conversation: str, **params: Any) -> Tuple[Any, List[Any]]:
    """One send through ``view``, read to its end: (the stream or the response, the events)."""
    messages = client.conversations.messages
    if view == "raw":
        result = messages.with_raw_response.send(conversation, **params).parse()
        return result, list(result) if isinstance(result, Stream) else []
    if view == "streamed":
        with messages.with_streaming_response.send(conversation, **params) as response:
            result = response.parse()
            return result, list(result) if isinstance(result, Stream) else []
    result = messages.send(conversation, **params)
    return result, list(result) if isinstance(result, Stream) else []


def _random_fault(rng: random.Random) -> Fault:
    kind = rng.choice(["early", "lost", "cut", "cut"])
    if kind == "early":
        return Fault("early", after=rng.randint(0, 120))
    if kind == "cut":
        return Fault("cut", after=rng.randint(0, 2500))
    return Fault("lost")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", type=int, default=200, help="faults to inject at least (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--conversations", type=int, default=4)
    parser.add_argument("--url", default=None, help="the server (default: scripts/live-server's)")
    parser.add_argument(
        "--views", default=",".join(VIEWS), help=f"the send paths to pick from (default {','.join(VIEWS)})"
    )
    args = parser.parse_args()
    views = [view for view in args.views.split(",") if view]
    if not views or set(views) - set(VIEWS):
        parser.error(f"--views: choose from {', '.join(VIEWS)}")
    url = (args.url or _state().get("LETTA_LIVE_URL") or "").rstrip("/")
    if not url:
        print("no server: run scripts/live-server start, or give --url")
        return 2
    rng = random.Random(args.seed)
    agent = create_agent(url)
    problems: List[str] = []
    turns: Dict[str, List[str]] = {}
    counts = {"turns": 0, "events": 0, "doubled": 0, "missing": 0, "recoveries": 0, "non_streaming": 0}
    by_view = {view: 0 for view in views}
    started = time.perf_counter()
    try:
        with (
            Breaker(url) as breaker,
            Letta(base_url=breaker.base_url, timeout=120) as client,
            Letta(base_url=url, timeout=120) as direct,
        ):
            conversations = [client.conversations.create(agent_id=agent).id for _ in range(args.conversations)]
            while len(breaker.applied) < args.faults:
                number = counts["turns"]
                conversation = rng.choice(conversations)
                text = f"soak {number}"
                message = f"[chunks={rng.randint(3, 40)}] {text}"
                breaker.add(SEND, _random_fault(rng))
                if rng.random() < 0.3:
                    breaker.add(RECOVERY, _random_fault(rng))  # the recovery breaks too
                streaming = rng.random() < 0.8
                view = rng.choice(views)
                by_view[view] += 1
                run_id: Optional[str]
                if streaming:
                    stream, events = _send(
                        client,
                        view,
                        conversation,
                        input=message,
                        stream_tokens=rng.random() < 0.5,
                        max_resume_attempts=8,
                    )
                    run_id, answer = (
                        stream.run_id,
                        "".join(e.content for e in events if e.message_type == "assistant_message"),
                    )
                    counts["recoveries"] += stream.reconnects
                else:
                    response, _ = _send(
                        client, view, conversation, input=message, streaming=False, max_resume_attempts=8
                    )
                    events, answer, run_id = [], response.text, None
                    counts["non_streaming"] += 1
                counts["turns"] += 1
                turns.setdefault(conversation, []).append(text)
                if not answer.startswith(f"Echo: {text}"):
                    problems.append(f"turn {number}: answer {answer[:80]!r}")
                if streaming and run_id is not None:
                    replay = _stored(list(direct.runs.stream(run_id, starting_after=0)))
                    got = _stored(events)
                    counts["events"] += len(got)
                    doubled = len(got) - len(set(got))
                    missing = len(set(replay) - set(got))
                    counts["doubled"] += doubled
                    counts["missing"] += missing
                    if got != sorted(set(got)) or doubled or missing or set(got) - set(replay):
                        problems.append(f"turn {number}: events differ from the run's ({len(got)} vs {len(replay)})")
            lost = doubled_turns = 0
            for conversation, texts in turns.items():
                history = list(direct.conversations.messages.list(conversation, order="asc", limit=1000))
                users = [str(m.content) for m in history if m.message_type == "user_message"]
                answers = [str(m.content) for m in history if m.message_type == "assistant_message"]
                for text in texts:
                    sent = sum(1 for u in users if u.endswith(f"] {text}"))
                    answered = sum(
                        1
                        for a in answers
                        if a.startswith(f"Echo: {text}") and a[len(f"Echo: {text}") :].strip(".") == ""
                    )
                    lost += sent == 0 or answered == 0
                    doubled_turns += sent > 1 or answered > 1
            if lost or doubled_turns:
                problems.append(f"history: {lost} lost turn(s), {doubled_turns} doubled turn(s)")
    finally:
        delete_agent(url, agent)
    elapsed = time.perf_counter() - started
    kinds = {kind: breaker.applied.count(kind) for kind in ("early", "lost", "cut")}
    print(
        f"faults={len(breaker.applied)} ({', '.join(f'{k}={v}' for k, v in kinds.items())}) turns={counts['turns']} "
        f"(non-streaming {counts['non_streaming']}; {', '.join(f'{k}={v}' for k, v in by_view.items())}) "
        f"recoveries={counts['recoveries']} events={counts['events']} "
        f"doubled_events={counts['doubled']} missing_events={counts['missing']} lost_turns={lost} "
        f"doubled_turns={doubled_turns} elapsed={elapsed:.0f}s"
    )
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
