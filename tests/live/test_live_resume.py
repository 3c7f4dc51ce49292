"""Background streams, runs and history against the real server: a cut connection resumes."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from letta_client import Letta


class _CutOnce(httpx.BaseTransport):
    """A real transport whose first streaming message send breaks off after ``cut_after`` bytes."""

    def __init__(self, cut_after: int) -> None:
        self._inner = httpx.HTTPTransport()
        self._cut_after = cut_after
        self.cuts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if self.cuts or not request.url.path.endswith("/messages") or request.method != "POST":
            return response
        self.cuts += 1
        return httpx.Response(
            response.status_code, headers=response.headers, stream=_Truncated(response, self._cut_after)
        )

    def close(self) -> None:
        self._inner.close()


class _Truncated(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._limit = limit

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._response.stream:  # type: ignore[union-attr]
            if sent + len(chunk) >= self._limit:
                yield chunk[: self._limit - sent]
                raise httpx.ReadError("connection cut by the test")
            sent += len(chunk)
            yield chunk

    def close(self) -> None:
        self._response.close()


def _shape(events: list[object]) -> list[str]:
    """Message types in order, token deltas of one message folded into one entry."""
    shape: list[str] = []
    for event in events:
        kind = event.message_type
        if not shape or shape[-1] != kind or kind in ("stop_reason", "usage_statistics"):
            shape.append(kind)
    return shape


@pytest.mark.parametrize("cut_after", [700, 2500])
def test_background_stream_cut_mid_turn_resumes_with_the_same_shape(live_url, agent_id, cut_after):
    text = "[chunks=40] a long background answer"
    with Letta(base_url=live_url, timeout=120) as client:
        reference = client.agents.messages.send(
            agent_id, input=text, streaming=True, stream_tokens=True, background=True, yield_pings=True
        )
        expected = list(reference)
        assert reference.reconnects == 0
        expected_text = reference.get_final_response().text
        assert expected_text.startswith("Echo: a long background answer")

    transport = _CutOnce(cut_after)
    reconnects: list[int] = []
    with Letta(base_url=live_url, timeout=120, http_client=httpx.Client(transport=transport)) as client:
        stream = client.agents.messages.send(
            agent_id,
            input=text,
            streaming=True,
            stream_tokens=True,
            background=True,
            yield_pings=True,
            on_reconnect=lambda attempt, run_id, last_seq_id, error: reconnects.append(attempt),
        )
        events = list(stream)
        final = stream.get_final_response()
    assert transport.cuts == 1 and stream.reconnects == 1 and reconnects == [1]
    seq_ids = [e.seq_id for e in events if getattr(e, "seq_id", None) is not None]  # type: ignore[attr-defined]
    assert seq_ids == sorted(set(seq_ids)), "every event exactly once, in order"
    assert _shape(events) == _shape(expected)
    assert [e.message_type for e in events].count("stop_reason") == 1
    assert [e.message_type for e in events].count("usage_statistics") == 1
    assert final.text == expected_text


def test_runs_and_history_after_a_turn(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        stream = client.agents.messages.send(agent_id, input="remember me", streaming=True, background=True)
        stream.until_done()
        assert stream.run_id is not None
        run = client.runs.wait(stream.run_id, timeout=60)
        assert run.status == "completed" and run.is_terminal
        replayed = list(client.runs.stream(stream.run_id, starting_after=0))
        assert [e.message_type for e in replayed][-2:] == ["stop_reason", "usage_statistics"]
        history = list(client.agents.messages.list(agent_id, order="asc", limit=2))
        contents = [getattr(m, "content", None) for m in history]
        assert "Echo: remember me" in contents
        assert len({(m.id, m.otid, m.message_type) for m in history}) == len(history)


def test_create_async_then_wait(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        run = client.agents.messages.create_async(agent_id, input="in the background please")
        assert run.status in ("created", "running")
        done = client.runs.wait(run.id, timeout=60)
        assert done.status == "completed"
        texts = [getattr(m, "content", None) for m in client.runs.messages.list(run.id)]
        assert "Echo: in the background please" in texts
