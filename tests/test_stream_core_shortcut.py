"""The stream core's shortcut for the usual read (one whole ``data:`` event per read) changes
nothing: the same events, the same final response and the same error as when the same bytes go
through the SSE decoder, whatever the reads hide (a CR or LF, an unfinished event from the read
before, a CR whose LF starts the next read, an event name, a seq_id, another run)."""

from __future__ import annotations

import json
from typing import Any, List, Optional, Tuple

from hypothesis import given, settings
from hypothesis import strategies as st

from letta_client import LettaError
from letta_client._stream_core import NEED_DATA, Signal, StreamCore

Outcome = Tuple[List[Any], Optional[str], List[Any], Tuple[Optional[str], Optional[int]]]

SSE_ALPHABET = st.sampled_from(["data", "event", ":", " ", "\n", "\r", "\r\n", "x", "é", "{}", "[DONE]"])
sse_like_text = st.lists(SSE_ALPHABET, max_size=20).map("".join)

json_event = st.fixed_dictionaries(
    {
        "message_type": st.sampled_from(["assistant_message", "reasoning_message", "ping", "brand_new_type"]),
        "id": st.just("message-1"),
        "date": st.just("2026-11-22T03:36:20+00:00"),
        "otid": st.sampled_from(["otid-a", "otid-b", None]),
        "run_id": st.sampled_from(["run-1", "run-2", None]),
        "seq_id": st.sampled_from([None, None, 1, 2]),
        "content": st.text(max_size=8),
        "reasoning": st.text(max_size=8),
    }
).map(lambda event: json.dumps(event, ensure_ascii=False))

pieces = st.lists(
    st.tuples(
        st.sampled_from(["data: ", "data: ", "data:", "event: x\ndata: ", ""]),
        st.one_of(json_event, sse_like_text, st.tuples(json_event, sse_like_text).map("".join)),
        st.sampled_from(["\n\n", "\n\n", "\n\n", "", "\n", "\r"]),  # how the read ends
    ),
    max_size=8,
)


def drive(reads: List[bytes]) -> Outcome:
    """Feed the reads to a core as a driver would; what it delivered, the error it raised, the
    messages of its final response, and where its cursor is."""
    core = StreamCore(None, yield_pings=True)
    events: List[Any] = []
    error: Optional[str] = None
    try:
        for read in [*reads, None]:
            event = core.received(read)
            while type(event) is not Signal:
                events.append(event.model_dump(mode="json"))
                event = NEED_DATA if core.steady else core.next_event()
            if event is not NEED_DATA:
                break
    except LettaError as raised:
        error = f"{type(raised).__name__}: {getattr(raised, 'raw', None)!r}"
    messages = [message.model_dump(mode="json") for message in core.accumulator.messages()]
    return events, error, messages, (core.cursor.run_id, core.cursor.last_seq_id)


@settings(max_examples=400)
@given(pieces=pieces)
def test_reads_shaped_like_whole_events_give_what_the_decoder_gives(pieces: List[Tuple[str, str, str]]) -> None:
    reads = [f"{prefix}{text}{end}".encode() for prefix, text, end in pieces]
    through_the_decoder = [b": one read that is not an event\n\n" + b"".join(reads)]
    assert drive(reads) == drive(through_the_decoder)


def test_the_usual_read_takes_the_shortcut_and_a_split_one_does_not() -> None:
    """The property above is only worth something if both paths run: the usual read of a token
    delta of the part before leaves the core steady (the shortcut); the first delta of a part,
    and a read that is not one whole event, do not."""
    payload = json.dumps(
        {
            "message_type": "assistant_message",
            "id": "m",
            "date": "2026-11-22T03:36:20+00:00",
            "otid": "o",
            "content": "hi",
        }
    )
    core = StreamCore(None, yield_pings=True)
    assert type(core.received(f"data: {payload}\n\n".encode())) is not Signal and not core.steady
    assert type(core.received(f"data: {payload}\n\n".encode())) is not Signal and core.steady
    other = StreamCore(None, yield_pings=True)
    assert other.received(f"data: {payload}\n".encode()) is NEED_DATA and not other.steady
    assert type(other.received(b"\n")) is not Signal and not other.steady
