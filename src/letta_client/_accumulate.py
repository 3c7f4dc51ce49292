"""Merges stream events into whole messages (token mode deltas, or step mode as-is).

In token mode every chunk of one LLM call shares an ``id``; the ``otid`` tells the parts apart,
so chunks merge on ``(otid, message_type)``: text fragments are joined, tool-call deltas are
grouped by ``tool_call_id`` (parallel calls share one otid). A part made of a single event is
returned as that event, so step-mode streams come out exactly as they arrived.

This runs on every event of every stream, so the common case is two calls into C: a token delta
of the same part as the one before it has its fragment taken by the part's ``attrgetter`` and
stored by its list's bound ``append`` (or ``extend``), with no Python function of this module in
between. Fragments are joined once, when the final response is asked for: memory is proportional
to the final text.

What is kept of a message's first chunk (and of a message that stands alone) is its payload's
bytes, decoded again when the final response is built: one ``bytes`` object instead of a model's
tree of objects. Keeping a model from every few events, among events that are freed at once,
slowed the whole decode by about 4% (``benchmarks.stream_decode``); the bytes cost less.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union, cast

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

_Mergeable = Union[AssistantMessage, ReasoningMessage, HiddenReasoningMessage, ToolCallMessage, ApprovalRequestMessage]


class _Part:
    """All chunks of one message: the first one's payload, and a fragment of each chunk (the
    first one's too), taken by ``fragment`` and stored by ``store`` (``fragments.append`` unless
    a part says otherwise)."""

    __slots__ = ("fragments", "raw", "store")

    fragment: Callable[[Any], Any]  # a C-level getter, set by each part

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.fragments: List[Any] = []
        self.store: Callable[[Any], Any] = self.fragments.append

    def first(self) -> Any:
        """The first chunk, decoded again from its payload."""
        return decode_event(self.raw)

    def build(self) -> LettaMessageUnion:
        raise NotImplementedError


class _AssistantPart(_Part):
    __slots__ = ()

    fragment = attrgetter("content")

    def build(self) -> LettaMessageUnion:
        fragments: List[Union[str, List[TextContent]]] = self.fragments
        if len(fragments) == 1:
            return self.first()  # type: ignore[no-any-return]
        if all(isinstance(f, str) for f in fragments):
            content: Union[str, List[TextContent]] = "".join(f for f in fragments if isinstance(f, str))
        else:
            content = [p if isinstance(p, TextContent) else TextContent(text=p) for p in _flatten(fragments)]
        return self.first().model_copy(update={"content": content})  # type: ignore[no-any-return]


class _ReasoningPart(_Part):
    """Fragments are ``reasoning, signature`` pairs laid out flat (``extend``: no tuple kept)."""

    __slots__ = ()

    fragment = attrgetter("reasoning", "signature")

    def __init__(self, raw: bytes) -> None:
        super().__init__(raw)
        self.store = self.fragments.extend

    def build(self) -> LettaMessageUnion:
        fragments: List[Optional[str]] = self.fragments
        if len(fragments) == 2:
            return self.first()  # type: ignore[no-any-return]
        signatures = [s for s in fragments[1::2] if s]
        update = {"reasoning": "".join(fragments[0::2]), "signature": signatures[-1] if signatures else None}  # type: ignore[arg-type]
        return self.first().model_copy(update=update)  # type: ignore[no-any-return]


class _HiddenReasoningPart(_Part):
    __slots__ = ()

    fragment = attrgetter("hidden_reasoning")

    def build(self) -> LettaMessageUnion:
        fragments: List[Optional[str]] = self.fragments
        first = self.first()
        if len(fragments) == 1:
            return first  # type: ignore[no-any-return]
        joined = "".join(f for f in fragments if f) or first.hidden_reasoning
        return first.model_copy(update={"hidden_reasoning": joined})  # type: ignore[no-any-return]


class _ToolCallsPart(_Part):
    """Tool-call deltas, grouped by ``tool_call_id`` (a delta without one continues the last
    call); each chunk's ``calls`` are taken apart as they come (``store`` is ``add``)."""

    __slots__ = ("calls", "count", "last_call_id")

    fragment = attrgetter("calls")

    def __init__(self, raw: bytes) -> None:
        super().__init__(raw)
        self.store = self.add
        self.count = 0
        self.calls: Dict[str, Tuple[List[Optional[str]], List[str]]] = {}
        self.last_call_id = ""

    def add(self, calls: List[Union[ToolCall, ToolCallDelta]]) -> None:
        self.count += 1
        for delta in calls:
            call_id = delta.tool_call_id or self.last_call_id
            name, arguments = self.calls.setdefault(call_id, ([None], []))
            if name[0] is None and delta.name:
                name[0] = delta.name
            if delta.arguments:
                arguments.append(delta.arguments)
            self.last_call_id = call_id

    def build(self) -> LettaMessageUnion:
        if self.count == 1 or not self.calls:
            return self.first()  # type: ignore[no-any-return]
        calls = [
            ToolCall(name=name[0] or "", arguments="".join(arguments), tool_call_id=call_id)
            for call_id, (name, arguments) in self.calls.items()
        ]
        return self.first().model_copy(update={"tool_call": calls[0], "tool_calls": calls})  # type: ignore[no-any-return]


_PARTS: Dict[Type[Any], Type[_Part]] = {
    AssistantMessage: _AssistantPart,
    ReasoningMessage: _ReasoningPart,
    HiddenReasoningMessage: _HiddenReasoningPart,
    ToolCallMessage: _ToolCallsPart,
    ApprovalRequestMessage: _ToolCallsPart,
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
    """Takes the stream's messages (``add``, known message types only) in order."""

    __slots__ = ("_fragment", "_items", "_last_class", "_last_otid", "_parts", "_store")

    def __init__(self) -> None:
        self._items: List[Union[_Part, bytes]] = []
        self._parts: Dict[Tuple[str, Type[Any]], _Part] = {}
        self._last_otid: Optional[str] = None  # the key of the part the last message went to
        self._last_class: Optional[Type[Any]] = None
        self._fragment: Callable[[Any], Any] = _first  # and that part's ``fragment`` and ``store``
        self._store: Callable[[Any], Any] = self._items.append

    def add(self, message: Any, raw: bytes) -> None:
        """Take the next message (a known message type: each has an ``otid``) and its payload."""
        otid: Optional[str] = message.otid
        cls: Type[Any] = message.__class__
        if otid != self._last_otid or cls is not self._last_class:  # not the usual token delta
            part_type = _PARTS.get(cls)
            if part_type is None or otid is None:  # a message that stands alone
                self._items.append(raw)
                self._last_otid = self._last_class = None
                return
            key = (otid, cls)
            part = self._parts.get(key)
            if part is None:
                part = self._parts[key] = part_type(raw)
                self._items.append(part)
            self._last_otid, self._last_class = otid, cls
            self._fragment, self._store = part.fragment, part.store
        self._store(self._fragment(message))

    def messages(self) -> List[LettaMessageUnion]:
        return [
            item.build() if isinstance(item, _Part) else cast(LettaMessageUnion, decode_event(item))
            for item in self._items
        ]


_first = attrgetter("otid")  # a placeholder: no message is stored before a part is chosen
