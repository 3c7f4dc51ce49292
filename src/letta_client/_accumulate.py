"""Merges stream events into whole messages (token mode deltas, or step mode as-is).

In token mode every chunk of one LLM call shares an ``id``; the ``otid`` tells the parts apart,
so chunks merge on ``(otid, message_type)``: text fragments are joined, tool-call deltas are
grouped by ``tool_call_id`` (parallel calls share one otid). A part made of a single event is
returned as that event, so step-mode streams come out exactly as they arrived.

This runs on every event of every stream, so it is built for the common case, a token delta of
the same part as the one before it: its fragment is taken from the event's field dict by the
part's ``itemgetter`` and stored by the part list's own ``append`` (or ``extend``), two calls
into C. Fields are read from the event's ``__dict__``, never as attributes: a pydantic model's
attribute reads take ``BaseModel.__getattr__``'s slow path (about 0.1 µs each). A new part is a
plain list, ``[first chunk's payload, fragment, fragment, ...]``, with no object of this module
to set up. Fragments are joined once, when the final response is asked for: memory is
proportional to the final text.

What is kept of a message's first chunk (and of a message that stands alone) is its payload's
bytes, decoded again when the final response is built: one ``bytes`` object instead of a model's
tree of objects. Keeping a model from every few events, among events that are freed at once,
slowed the whole decode by about 4% (``benchmarks.stream_decode``); the bytes cost less.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, Type, Union, cast

from ._decode import decode_event
from .types.content import TextContent
from .types.messages import (
    ApprovalRequestMessage,
    AssistantMessage,
    HiddenReasoningMessage,
    LettaMessageUnion,
    ReasoningMessage,
    ToolCall,
    ToolCallDelta,
    ToolCallMessage,
)

__all__ = ["MessageAccumulator"]

Store = Callable[[Any], Any]


class _Kind(NamedTuple):
    """How the chunks of one kind of message are merged."""

    fragment: Callable[[Dict[str, Any]], Any]
    """Takes a chunk's fragment from its fields (a C-level getter)."""
    start: Callable[[bytes], Tuple[Any, Store]]
    """A new part from its first chunk's payload: the part, and what stores each fragment."""
    build: Callable[[Any], LettaMessageUnion]
    """The whole message, from the part."""


def _appending(raw: bytes) -> Tuple[List[Any], Store]:
    part: List[Any] = [raw]
    return part, part.append


def _extending(raw: bytes) -> Tuple[List[Any], Store]:
    part: List[Any] = [raw]
    return part, part.extend


def _build_assistant(part: List[Any]) -> LettaMessageUnion:
    first = decode_event(part[0])
    fragments: List[Union[str, List[TextContent]]] = part[1:]
    if len(fragments) == 1:
        return first  # type: ignore[return-value]
    if all(isinstance(f, str) for f in fragments):
        content: Union[str, List[TextContent]] = "".join(f for f in fragments if isinstance(f, str))
    else:
        content = [p if isinstance(p, TextContent) else TextContent(text=p) for p in _flatten(fragments)]
    return first.model_copy(update={"content": content})  # type: ignore[return-value]


def _build_reasoning(part: List[Any]) -> LettaMessageUnion:
    """Fragments are ``reasoning, signature`` pairs laid out flat (``extend``: no tuple kept)."""
    first = decode_event(part[0])
    if len(part) == 3:
        return first  # type: ignore[return-value]
    signatures = [s for s in part[2::2] if s]
    update = {"reasoning": "".join(part[1::2]), "signature": signatures[-1] if signatures else None}
    return first.model_copy(update=update)  # type: ignore[return-value]


def _build_hidden_reasoning(part: List[Any]) -> LettaMessageUnion:
    first: Any = decode_event(part[0])
    if len(part) == 2:
        return first  # type: ignore[no-any-return]
    joined = "".join(f for f in part[1:] if f) or first.hidden_reasoning
    return first.model_copy(update={"hidden_reasoning": joined})  # type: ignore[no-any-return]


class _ToolCalls:
    """Tool-call deltas, grouped by ``tool_call_id`` (a delta without one continues the last
    call); each chunk's calls are taken apart as they come (``add`` is the part's store)."""

    __slots__ = ("calls", "count", "last_call_id", "raw")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.count = 0
        self.calls: Dict[str, Tuple[List[Optional[str]], List[str]]] = {}
        self.last_call_id = ""

    @classmethod
    def start(cls, raw: bytes) -> Tuple[_ToolCalls, Store]:
        part = cls(raw)
        return part, part.add

    def add(self, fragment: Tuple[Any, Union[ToolCall, ToolCallDelta]]) -> None:
        """One chunk's ``(tool_calls, tool_call)``: a list, one delta, or only ``tool_call``."""
        tool_calls, tool_call = fragment
        calls: List[Union[ToolCall, ToolCallDelta]]
        if isinstance(tool_calls, list):
            calls = cast(List[Union[ToolCall, ToolCallDelta]], tool_calls)
        else:
            calls = [tool_call if tool_calls is None else tool_calls]
        self.count += 1
        for delta in calls:
            fields = delta.__dict__
            call_id: str = fields["tool_call_id"] or self.last_call_id
            name, arguments = self.calls.setdefault(call_id, ([None], []))
            if name[0] is None and fields["name"]:
                name[0] = fields["name"]
            if fields["arguments"]:
                arguments.append(fields["arguments"])
            self.last_call_id = call_id

    def build(self) -> LettaMessageUnion:
        first: Any = decode_event(self.raw)
        if self.count == 1 or not self.calls:
            return first  # type: ignore[no-any-return]
        calls = [
            ToolCall(name=name[0] or "", arguments="".join(arguments), tool_call_id=call_id)
            for call_id, (name, arguments) in self.calls.items()
        ]
        return first.model_copy(update={"tool_call": calls[0], "tool_calls": calls})  # type: ignore[no-any-return]


_TOOL_CALLS = _Kind(itemgetter("tool_calls", "tool_call"), _ToolCalls.start, _ToolCalls.build)

_KINDS: Dict[Type[Any], _Kind] = {
    AssistantMessage: _Kind(itemgetter("content"), _appending, _build_assistant),
    ReasoningMessage: _Kind(itemgetter("reasoning", "signature"), _extending, _build_reasoning),
    HiddenReasoningMessage: _Kind(itemgetter("hidden_reasoning"), _appending, _build_hidden_reasoning),
    ToolCallMessage: _TOOL_CALLS,
    ApprovalRequestMessage: _TOOL_CALLS,
}


def _flatten(fragments: List[Union[str, List[TextContent]]]) -> List[Union[str, TextContent]]:
    flat: List[Union[str, TextContent]] = []
    for fragment in fragments:
        if isinstance(fragment, str):
            flat.append(fragment)
        else:
            flat.extend(fragment)
    return flat


class MessageAccumulator:
    """Takes the stream's messages (``add``, known message types only) in order.

    ``otid``, ``cls``, ``fragment`` and ``store`` describe the part the last message went to: a
    caller may store a message of that ``otid`` and class itself, as ``store(fragment(fields))``
    (what ``add`` would do, without the call into Python)."""

    __slots__ = ("_items", "_parts", "cls", "fragment", "otid", "store")

    def __init__(self) -> None:
        self._items: List[Union[Tuple[Callable[[Any], LettaMessageUnion], Any], bytes]] = []
        self._parts: Dict[Tuple[str, Type[Any]], Tuple[Any, Store]] = {}
        self.otid: Optional[str] = None  # None: the last message stood alone
        self.cls: Optional[Type[Any]] = None
        self.fragment: Callable[[Dict[str, Any]], Any] = _first
        self.store: Store = self._items.append

    def add(self, cls: Type[Any], fields: Dict[str, Any], raw: bytes) -> None:
        """Take the next message: its class (a known message type), its fields (its ``__dict__``:
        each has an ``otid``) and its payload."""
        otid: Optional[str] = fields["otid"]
        if otid != self.otid or cls is not self.cls:  # not the usual token delta
            kind = _KINDS.get(cls)
            if kind is None or otid is None:  # a message that stands alone
                self._items.append(raw)
                self.otid = self.cls = None
                return
            key = (otid, cls)
            started = self._parts.get(key)
            if started is None:
                started = self._parts[key] = kind.start(raw)
                self._items.append((kind.build, started[0]))
            self.otid, self.cls = otid, cls
            self.fragment, self.store = kind.fragment, started[1]
        self.store(self.fragment(fields))

    def payloads(self) -> Iterator[bytes]:
        """Each message's first payload as it arrived, without building the messages (a reader
        of one field of every message: ``letta_client.otel`` finds the step ids in them)."""
        for item in self._items:
            if isinstance(item, bytes):
                yield item
            else:
                part = item[1]
                yield part.raw if isinstance(part, _ToolCalls) else part[0]

    def messages(self) -> List[LettaMessageUnion]:
        return [
            cast(LettaMessageUnion, decode_event(item)) if isinstance(item, bytes) else item[0](item[1])
            for item in self._items
        ]


_first = itemgetter("otid")  # a placeholder: no message is stored before a part is chosen
