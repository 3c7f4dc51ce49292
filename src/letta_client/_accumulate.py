"""Merges stream events into whole messages (token mode deltas, or step mode as-is).

In token mode every chunk of one LLM call shares an ``id``; the ``otid`` tells the parts apart,
so chunks merge on ``(otid, message_type)``: text fragments are joined, tool-call deltas are
grouped by ``tool_call_id`` (parallel calls share one otid). A part made of a single event is
returned unchanged, so step-mode streams come out exactly as they arrived.

This runs on every event of every stream, so the common case is one step: a token delta of the
same part as the one before it appends its fragment to that part's list. Fragments are joined
once, when the final response is asked for: memory is proportional to the final text.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Type, Union

from .types.content import TextContent
from .types.messages import (
    ApprovalRequestMessage,
    AssistantMessage,
    HiddenReasoningMessage,
    LettaMessageUnion,
    ReasoningMessage,
    ToolCall,
    ToolCallMessage,
)

__all__ = ["MessageAccumulator"]

_Mergeable = Union[AssistantMessage, ReasoningMessage, HiddenReasoningMessage, ToolCallMessage, ApprovalRequestMessage]


class _Part:
    """All chunks of one message: the first event, and what the ones after it add."""

    __slots__ = ("count", "first")

    def __init__(self, first: Any) -> None:
        self.first = first
        self.count = 0

    def add(self, event: Any) -> None:
        raise NotImplementedError

    def build(self) -> LettaMessageUnion:
        raise NotImplementedError


class _AssistantPart(_Part):
    __slots__ = ("fragments",)

    def __init__(self, first: AssistantMessage) -> None:
        super().__init__(first)
        self.fragments: List[Union[str, List[TextContent]]] = []

    def add(self, event: AssistantMessage) -> None:
        self.count += 1
        self.fragments.append(event.content)

    def build(self) -> LettaMessageUnion:
        if self.count == 1:
            return self.first  # type: ignore[no-any-return]
        fragments = self.fragments
        if all(isinstance(f, str) for f in fragments):
            content: Union[str, List[TextContent]] = "".join(f for f in fragments if isinstance(f, str))
        else:
            content = [p if isinstance(p, TextContent) else TextContent(text=p) for p in _flatten(fragments)]
        return self.first.model_copy(update={"content": content})  # type: ignore[no-any-return]


class _ReasoningPart(_Part):
    __slots__ = ("fragments", "signature")

    def __init__(self, first: ReasoningMessage) -> None:
        super().__init__(first)
        self.fragments: List[str] = []
        self.signature: Optional[str] = None

    def add(self, event: ReasoningMessage) -> None:
        self.count += 1
        self.fragments.append(event.reasoning)
        if event.signature:
            self.signature = event.signature

    def build(self) -> LettaMessageUnion:
        if self.count == 1:
            return self.first  # type: ignore[no-any-return]
        update = {"reasoning": "".join(self.fragments), "signature": self.signature}
        return self.first.model_copy(update=update)  # type: ignore[no-any-return]


class _HiddenReasoningPart(_Part):
    __slots__ = ("fragments",)

    def __init__(self, first: HiddenReasoningMessage) -> None:
        super().__init__(first)
        self.fragments: List[str] = []

    def add(self, event: HiddenReasoningMessage) -> None:
        self.count += 1
        if event.hidden_reasoning:
            self.fragments.append(event.hidden_reasoning)

    def build(self) -> LettaMessageUnion:
        if self.count == 1:
            return self.first  # type: ignore[no-any-return]
        joined = "".join(self.fragments) or self.first.hidden_reasoning
        return self.first.model_copy(update={"hidden_reasoning": joined})  # type: ignore[no-any-return]


class _ToolCallsPart(_Part):
    """Tool-call deltas, grouped by ``tool_call_id`` (a delta without one continues the last call)."""

    __slots__ = ("calls", "last_call_id")

    def __init__(self, first: Union[ToolCallMessage, ApprovalRequestMessage]) -> None:
        super().__init__(first)
        self.calls: Dict[str, Tuple[List[Optional[str]], List[str]]] = {}
        self.last_call_id = ""

    def add(self, event: Union[ToolCallMessage, ApprovalRequestMessage]) -> None:
        self.count += 1
        for delta in event.calls:
            call_id = delta.tool_call_id or self.last_call_id
            name, arguments = self.calls.setdefault(call_id, ([None], []))
            if name[0] is None and delta.name:
                name[0] = delta.name
            if delta.arguments:
                arguments.append(delta.arguments)
            self.last_call_id = call_id

    def build(self) -> LettaMessageUnion:
        if self.count == 1 or not self.calls:
            return self.first  # type: ignore[no-any-return]
        calls = [
            ToolCall(name=name[0] or "", arguments="".join(arguments), tool_call_id=call_id)
            for call_id, (name, arguments) in self.calls.items()
        ]
        return self.first.model_copy(update={"tool_call": calls[0], "tool_calls": calls})  # type: ignore[no-any-return]


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

    __slots__ = ("_items", "_last", "_last_class", "_last_otid", "_parts")

    def __init__(self) -> None:
        self._items: List[Union[_Part, LettaMessageUnion]] = []
        self._parts: Dict[Tuple[str, Type[Any]], _Part] = {}
        self._last: Optional[_Part] = None  # the part the last message went to, and its key
        self._last_otid: Optional[str] = None
        self._last_class: Optional[Type[Any]] = None

    def add(self, message: Any) -> None:
        """Take the next message (a known message type: each has an ``otid``)."""
        otid: Optional[str] = message.otid
        cls: Type[Any] = message.__class__
        if otid == self._last_otid and cls is self._last_class:  # the usual token delta
            self._last.add(message)  # type: ignore[union-attr]
            return
        part_type = _PARTS.get(cls)
        if part_type is None or otid is None:  # a message that stands alone
            self._items.append(message)
            self._last = self._last_otid = self._last_class = None
            return
        key = (otid, cls)
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = part_type(message)
            self._items.append(part)
        part.add(message)
        self._last, self._last_otid, self._last_class = part, otid, cls

    def messages(self) -> List[LettaMessageUnion]:
        return [item.build() if isinstance(item, _Part) else item for item in self._items]
