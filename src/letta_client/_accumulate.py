"""Merges stream events into whole messages (token mode deltas, or step mode as-is).

In token mode every chunk of one LLM call shares an ``id``; the ``otid`` tells the parts apart,
so chunks merge on ``(otid, message_type)``: text fragments are joined, tool-call deltas are
grouped by ``tool_call_id`` (parallel calls share one otid). A part made of a single event is
returned unchanged, so step-mode streams come out exactly as they arrived. Fragments are kept
in lists and joined once, at the end: memory is proportional to the final text.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Union

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
_MERGEABLE = (
    AssistantMessage,
    ReasoningMessage,
    HiddenReasoningMessage,
    ToolCallMessage,
    ApprovalRequestMessage,
)


class _Part:
    """All chunks of one message: the first event, and the fragments that follow it."""

    __slots__ = ("calls", "count", "first", "fragments", "last_call_id", "signature")

    def __init__(self, first: _Mergeable) -> None:
        self.first = first
        self.count = 0
        self.fragments: List[Union[str, List[TextContent]]] = []
        self.calls: Dict[str, Tuple[List[Optional[str]], List[str]]] = {}
        self.last_call_id = ""
        self.signature: Optional[str] = None

    def add(self, event: _Mergeable) -> None:
        self.count += 1
        if isinstance(event, AssistantMessage):
            self.fragments.append(event.content)
        elif isinstance(event, ReasoningMessage):
            self.fragments.append(event.reasoning)
            self.signature = event.signature or self.signature
        elif isinstance(event, HiddenReasoningMessage):
            if event.hidden_reasoning:
                self.fragments.append(event.hidden_reasoning)
        else:
            for delta in event.calls:
                call_id = delta.tool_call_id or self.last_call_id
                name, arguments = self.calls.setdefault(call_id, ([None], []))
                if name[0] is None and delta.name:
                    name[0] = delta.name
                if delta.arguments:
                    arguments.append(delta.arguments)
                self.last_call_id = call_id

    def build(self) -> LettaMessageUnion:
        first = self.first
        if self.count == 1:
            return first
        if isinstance(first, AssistantMessage):
            if all(isinstance(f, str) for f in self.fragments):
                content: Union[str, List[TextContent]] = "".join(f for f in self.fragments if isinstance(f, str))
            else:
                content = [p if isinstance(p, TextContent) else TextContent(text=p) for p in _flatten(self.fragments)]
            return first.model_copy(update={"content": content})
        if isinstance(first, ReasoningMessage):
            joined = "".join(f for f in self.fragments if isinstance(f, str))
            return first.model_copy(update={"reasoning": joined, "signature": self.signature})
        if isinstance(first, HiddenReasoningMessage):
            joined = "".join(f for f in self.fragments if isinstance(f, str))
            return first.model_copy(update={"hidden_reasoning": joined or first.hidden_reasoning})
        calls = [
            ToolCall(name=name[0] or "", arguments="".join(arguments), tool_call_id=call_id)
            for call_id, (name, arguments) in self.calls.items()
        ]
        if not calls:
            return first
        return first.model_copy(update={"tool_call": calls[0], "tool_calls": calls})


def _flatten(fragments: List[Union[str, List[TextContent]]]) -> List[Union[str, TextContent]]:
    flat: List[Union[str, TextContent]] = []
    for fragment in fragments:
        if isinstance(fragment, str):
            flat.append(fragment)
        else:
            flat.extend(fragment)
    return flat


class MessageAccumulator:
    def __init__(self) -> None:
        self._items: List[Union[_Part, LettaMessageUnion]] = []
        self._parts: Dict[Tuple[str, str], _Part] = {}

    def add(self, message: LettaMessageUnion) -> None:
        if isinstance(message, _MERGEABLE) and message.otid is not None:
            key = (message.otid, message.message_type)
            part = self._parts.get(key)
            if part is None:
                part = self._parts[key] = _Part(message)
                self._items.append(part)
            part.add(message)
        else:
            self._items.append(message)

    def messages(self) -> List[LettaMessageUnion]:
        return [item.build() if isinstance(item, _Part) else item for item in self._items]
