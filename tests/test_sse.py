"""SSEDecoder: framing rules, any chunking, any line ending, and agreement with httpx-sse."""

from __future__ import annotations

import tracemalloc
from typing import List, Tuple

import pytest
from httpx_sse._decoders import SSEDecoder as HttpxSSEDecoder
from httpx_sse._decoders import SSELineDecoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _stream_helpers import SSE_FIXTURES, fixture_body, frame, message, sse, stop
from letta_client import EventTooLargeError
from letta_client._sse import DEFAULT_MAX_EVENT_SIZE, SSEDecoder

Events = List[Tuple[str, str]]

# A body with multi-byte UTF-8 (2, 3 and 4 bytes), an event name, a comment and a multi-line data field.
UNICODE_BODY = sse(
    message("assistant_message", 1, content="It is 4°C in Zürich — 晴れ 🌤️"),
    b": keep-alive comment\n\n",
    frame(message("reasoning_message", 2, reasoning="naïve ✓ 𝄞"), event="message"),
    b"event: custom\ndata: first line\ndata: second \xc3\xa9\n\n",
    stop(),
    "[DONE]",
)
BODIES = [fixture_body(name) for name in SSE_FIXTURES] + [UNICODE_BODY]


def as_text(frames: List[Tuple[str, bytes]]) -> Events:
    """The frames with their data as text, decoded as the stream decodes a payload's text."""
    return [(name, data.decode("utf-8", "replace")) for name, data in frames]


def decode_all(body: bytes) -> Events:
    decoder = SSEDecoder()
    return as_text(decoder.feed(body) + decoder.flush())


def decode_chunks(chunks: List[bytes]) -> Events:
    decoder = SSEDecoder()
    frames: List[Tuple[str, bytes]] = []
    for chunk in chunks:
        frames.extend(decoder.feed(chunk))
    return as_text(frames + decoder.flush())


def split_at(body: bytes, cuts: List[int]) -> List[bytes]:
    points = sorted({0, len(body), *(c % (len(body) + 1) for c in cuts)})
    return [body[a:b] for a, b in zip(points, points[1:])]


def with_line_endings(body: bytes, ending: bytes) -> bytes:
    return body.replace(b"\r\n", b"\n").replace(b"\n", ending)


# --- the framing rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"data: x\n\n", [("message", "x")]),
        (b"data:x\n\n", [("message", "x")]),  # the space after the colon is optional
        (b"data:  x\n\n", [("message", " x")]),  # only one space is dropped
        (b"data: a\ndata: b\n\n", [("message", "a\nb")]),
        (b"event: error\ndata: {}\n\n", [("error", "{}")]),
        (b"event:\ndata: x\n\n", [("message", "x")]),  # empty event name means "message"
        (b": comment\ndata: x\n\n", [("message", "x")]),
        (b": only a comment\n\n", []),
        (b"event: ping\n\n", []),  # no data: not dispatched
        (b"data\n\n", [("message", "")]),  # a field name alone has an empty value
        (b"data:\n\n", [("message", "")]),
        (b"id: 7\nretry: 100\nfoo: bar\ndata: x\n\n", [("message", "x")]),
        (b"data: x\n\ndata: y", [("message", "x")]),  # an unfinished event at EOF is dropped
        (b"data: x\r\n\r\n", [("message", "x")]),
        (b"data: x\r\r", [("message", "x")]),
        (b"data: x\n\r", [("message", "x")]),  # a trailing CR still ends its line at EOF
        (b"\n\n\ndata: x\n\n\n\n", [("message", "x")]),
        (b"data: \xff\n\n", [("message", "\ufffd")]),  # invalid UTF-8 is replaced
    ],
)
def test_framing(body: bytes, expected: Events) -> None:
    assert decode_all(body) == expected
    assert decode_chunks([bytes([b]) for b in body]) == expected


def test_feed_returns_each_event_as_soon_as_its_blank_line_arrives() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"\n") == [("message", b"a")]
    assert decoder.feed(b"data: b\r") == []
    assert decoder.feed(b"\r") == [("message", b"b")]  # CR CR: no need to wait for a possible LF
    assert decoder.feed(b"\ndata: c\n\ndata: d\n\n") == [("message", b"c"), ("message", b"d")]
    assert decoder.flush() == []


def test_fixture_bodies_frame_into_their_data_lines() -> None:
    for name in SSE_FIXTURES:
        body = fixture_body(name)
        data_lines = [line[6:] for line in body.decode().split("\n") if line.startswith("data: ")]
        assert [data for _, data in decode_all(body)] == data_lines, name


# --- any chunking, any line ending --------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.sampled_from(BODIES), cuts=st.lists(st.integers(min_value=0, max_value=200_000), max_size=40))
def test_any_split_gives_the_same_events(body: bytes, cuts: List[int]) -> None:
    assert decode_chunks(split_at(body, cuts)) == decode_all(body)


@pytest.mark.parametrize("index", range(len(BODIES)))
def test_one_byte_chunks_give_the_same_events(index: int) -> None:
    body = BODIES[index]
    assert decode_chunks([body[i : i + 1] for i in range(len(body))]) == decode_all(body)


@settings(max_examples=200)
@given(
    body=st.sampled_from(BODIES),
    ending=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    cuts=st.lists(st.integers(min_value=0, max_value=200_000), max_size=20),
)
def test_line_endings_give_the_same_events(body: bytes, ending: bytes, cuts: List[int]) -> None:
    variant = with_line_endings(body, ending)
    assert decode_chunks(split_at(variant, cuts)) == decode_all(body)


def test_split_between_cr_and_lf_and_inside_utf8() -> None:
    crlf = with_line_endings(UNICODE_BODY, b"\r\n")
    expected = decode_all(UNICODE_BODY)
    for i in range(len(crlf)):
        if crlf[i : i + 2] == b"\r\n" or crlf[i] >= 0x80:
            assert decode_chunks([crlf[: i + 1], crlf[i + 1 :]]) == expected, i


# --- differential: httpx-sse ----------------------------------------------------------------


def reference_events(text: str) -> Events:
    """httpx-sse's decoders fed line by line, dispatching on blank lines.

    Intentional differences, normalised here: httpx-sse dispatches an event that has no
    ``data`` line (only ``event:``/``id:``/``retry:``) — the SSE spec and we do not; and it
    names an event without ``event:`` ``""`` where the spec and we say ``"message"``."""
    lines = SSELineDecoder()
    decoder = HttpxSSEDecoder()
    events: Events = []
    for line in lines.decode(text) + lines.flush() if text else []:
        has_data = bool(decoder._data)
        event = decoder.decode(line)
        if event is not None and has_data:
            events.append((event.event or "message", event.data))
    return events


SSE_ALPHABET = st.sampled_from(["data", "event", "id", "retry", ":", " ", "\n", "\r", "\r\n", "x", "é", "🌤", "{}"])
sse_like_text = st.lists(SSE_ALPHABET, max_size=60).map("".join)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=500)
@given(text=st.one_of(sse_like_text, any_text))
def test_same_events_as_httpx_sse(text: str) -> None:
    assert decode_all(text.encode()) == reference_events(text)


@settings(max_examples=300)
@given(text=sse_like_text, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=10))
def test_same_events_as_httpx_sse_in_chunks(text: str, cuts: List[int]) -> None:
    assert decode_chunks(split_at(text.encode(), cuts)) == reference_events(text)


@settings(max_examples=300)
@given(
    pieces=st.lists(st.tuples(st.sampled_from(["data: ", "data:", "event: x\ndata: ", ""]), sse_like_text), max_size=6)
)
def test_reads_shaped_like_whole_events_give_the_same_events_as_httpx_sse(pieces: List[Tuple[str, str]]) -> None:
    """Each read looks like one whole ``data: …`` event (what the stream core's shortcut takes,
    see ``test_stream_core_shortcut``) but may hide a CR, an LF, an unfinished event from the
    read before, or a CR whose LF starts this read."""
    chunks = [f"{prefix}{text}\n\n" for prefix, text in pieces]
    assert decode_chunks([chunk.encode() for chunk in chunks]) == reference_events("".join(chunks))


@pytest.mark.parametrize("body", BODIES, ids=[*SSE_FIXTURES, "unicode"])
def test_fixtures_same_events_as_httpx_sse(body: bytes) -> None:
    assert decode_all(body) == reference_events(body.decode())


# --- the maximum event size ---------------------------------------------------------------


def feed_all(decoder: SSEDecoder, chunks: List[bytes]) -> List[Tuple[str, bytes]]:
    frames: List[Tuple[str, bytes]] = []
    for chunk in chunks:
        frames.extend(decoder.feed(chunk))
    return frames + decoder.flush()


def test_the_default_maximum_event_size_is_16_mib() -> None:
    assert DEFAULT_MAX_EVENT_SIZE == 16 * 1024 * 1024
    assert SSEDecoder().max_event_size == DEFAULT_MAX_EVENT_SIZE


@settings(max_examples=300)
@given(
    body=st.sampled_from(BODIES),
    pick=st.integers(min_value=0),
    delta=st.integers(min_value=-2, max_value=2),
    cuts=st.lists(st.integers(min_value=0, max_value=200_000), max_size=20),
)
def test_an_event_is_too_large_exactly_when_it_is_longer_than_the_limit(
    body: bytes, pick: int, delta: int, cuts: List[int]
) -> None:
    """Whatever the chunking: every event up to ``limit`` bytes (its lines, without the blank
    line that ends it) is decoded, and the first longer one raises with its size."""
    events = [block for block in body.split(b"\n\n")[:-1] if block]
    limit = max(1, len(events[pick % len(events)]) + delta)  # right at the size of one of the events
    too_large = next((block for block in events if len(block) > limit), None)
    decoder = SSEDecoder(max_event_size=limit)
    if too_large is None:
        assert as_text(feed_all(decoder, split_at(body, cuts))) == decode_all(body)
        return
    with pytest.raises(EventTooLargeError) as raised:
        feed_all(decoder, split_at(body, cuts))
    assert raised.value.limit == limit and raised.value.size > limit
    assert f"{limit:,}" in str(raised.value) and "max_event_size" in str(raised.value)


def test_an_event_that_never_ends_raises_once_it_passes_the_limit() -> None:
    decoder = SSEDecoder(max_event_size=100_000)
    chunk = b"data: " + b"x" * 4090  # lines with no blank line between them: one event that never ends
    fed = 0
    with pytest.raises(EventTooLargeError) as raised:
        while True:
            assert decoder.feed(chunk + b"\n") == []
            fed += len(chunk) + 1
            assert fed <= 100_000
    assert raised.value.size > 100_000


def test_an_event_that_never_ends_holds_no_more_than_the_limit() -> None:
    """tracemalloc: the bytes kept for an unfinished event stay below the limit (here 4 MiB of
    64 KiB reads), and are let go when the decoder raises."""
    limit = 4 * 1024 * 1024
    decoder = SSEDecoder(max_event_size=limit)
    chunk = b"y" * 65536
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        with pytest.raises(EventTooLargeError):
            for _ in range(1_000):  # 64 MiB if nothing stopped it
                decoder.feed(chunk)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - base < limit + 4 * len(chunk)
    assert current - base < 4 * len(chunk)


def test_a_huge_data_line_costs_about_twice_its_size_while_it_is_decoded() -> None:
    """tracemalloc: an 8 MiB ``data:`` line in 64 KiB reads peaks at about 2x its size (the reads,
    then the joined event while the reads are let go; the payload is a slice of it), not 3x."""
    size = 8 * 1024 * 1024
    line = b"data: " + b"z" * size + b"\n\n"
    chunks = [line[i : i + 65536] for i in range(0, len(line), 65536)]
    del line
    decoder = SSEDecoder()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        frames = feed_all(decoder, chunks)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [len(data) for _, data in frames] == [size]
    assert peak - base < 2.2 * size
    assert current - base < 1.1 * size  # only the payload is kept


@pytest.mark.parametrize("cut", range(1, 13))
def test_an_event_of_exactly_the_limit_passes_wherever_the_reads_split_it(cut: int) -> None:
    body = b"data: 12345\n\n"  # an event of 11 bytes
    for limit, passes in ((11, True), (10, False)):
        decoder = SSEDecoder(max_event_size=limit)
        if passes:
            assert feed_all(decoder, [body[:cut], body[cut:]]) == [("message", b"12345")]
        else:
            with pytest.raises(EventTooLargeError):
                feed_all(decoder, [body[:cut], body[cut:]])
