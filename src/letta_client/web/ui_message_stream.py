"""The AI SDK's UI message stream (npm ``ai`` major version ``AI_SDK_MAJOR``): a Letta run as the
SSE parts ``useChat`` reads, a conversation's history as the ``UIMessage``\\ s it shows, and
``useChat``'s POST body as what to send to Letta.

One assistant ``UIMessage`` is one assistant turn: the run a user message started and the runs
that answers to its approval requests started after it (``useChat`` continues the same message
when it sends an approval's answer, so those runs keep its id). Its id is the id of the turn's
first run; ``metadata.runId`` is the run it was last updated by. A stream carries, in its
``start`` and ``finish`` parts, ``messageMetadata`` with ``runId``, ``stopReason`` and ``usage``
(``inputTokens``, ``outputTokens``, ``totalTokens``, ``stepCount``, and ``cachedInputTokens`` /
``reasoningTokens`` when the server counted them). The history does not keep a run's stop
reason or usage, so a restored message carries ``runId`` alone.

What the restore leaves out: system messages (the agent's instructions and memory are not the
browser's to read). Every other message the browser has no part for (a summary, a compaction
event, a type a newer server adds) becomes a ``data-letta-<type>`` part holding its JSON, on the
stream and in the restore alike.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from ..types.messages import (
    ApprovalResponseMessage,
    ApprovalReturn,
    LettaMessageUnion,
    LettaStreamingResponse,
    SystemMessage,
    ToolReturn,
    UserMessage,
)
from ._framer import Frame, Problem
from ._inbound import Outgoing
from ._sse import STREAM_HEADERS, compact_json
from ._ui_assemble import Assembler
from ._ui_parts import Part, UIParts, answers_of, approval_id
from ._ui_request import parse_chat_request, turn_key_message_id

__all__ = [
    "AI_SDK_MAJOR",
    "UI_MESSAGE_STREAM_HEADERS",
    "UIMessageStreamEncoder",
    "approval_id",
    "parse_chat_request",
    "ui_messages",
]

AI_SDK_MAJOR = 7
"""The major version of npm ``ai`` whose stream parser (``uiMessageChunkSchema``) and reader
(``readUIMessageStream``) these parts are checked against."""

UI_MESSAGE_STREAM_HEADERS: Dict[str, str] = {**STREAM_HEADERS, "x-vercel-ai-ui-message-stream": "v1"}
"""The headers of a UI message stream response: an unbuffered event stream, marked as the v1
UI message stream."""

_DONE: Frame = (None, "[DONE]")


def _frames(parts: List[Part]) -> List[Frame]:
    return [(None, compact_json(part)) for part in parts]


class UIMessageStreamEncoder:
    """A Letta run as UI message stream frames (an ``Encoder`` for ``Framer``).

    ``message_id`` and ``answers`` are for a run that an approval's answer started: the id of the
    assistant message it continues, and the answers sent (the ``approvals`` of the Letta approval
    message). Build it with ``for_request`` on a send and with ``for_run`` on a resume, so that
    both give the same frames. Deterministic: the same events give the same bytes.
    """

    def __init__(
        self,
        *,
        message_id: Optional[str] = None,
        answers: Sequence[object] = (),
        prelude: Sequence[Part] = (),
    ) -> None:
        self._parts = UIParts(message_id=message_id, answers=answers)
        self._prelude = list(prelude)

    @classmethod
    def for_request(cls, outgoing: Outgoing) -> UIMessageStreamEncoder:
        """The encoder of the run that ``outgoing`` (from ``parse_chat_request``) starts."""
        first = outgoing.messages[0] if outgoing.messages else {}
        if first.get("type") != "approval":
            return cls()
        return cls(message_id=turn_key_message_id(outgoing.key), answers=list(first.get("approvals") or []))

    @classmethod
    def for_run(cls, history: Iterable[LettaMessageUnion], run_id: str) -> UIMessageStreamEncoder:
        """The encoder of run ``run_id`` when it is followed again (a resume), from the
        conversation's history, oldest first, reaching back at least to the user message that
        started the turn.

        If an approval's answer started the run, the continued message's id and the answers are
        read there, and so is the ``prelude``: the parts of the turn's earlier runs and the answers,
        which a replay from the start needs (the AI SDK starts such a replay from an empty
        message, and the run's tool outputs belong to calls of those runs)."""
        for turn in _turns(history):
            if isinstance(turn, UserMessage):
                continue
            for index, leg in enumerate(turn.legs):
                if leg.run == run_id and leg.answers is not None:
                    return cls(message_id=turn.id, answers=leg.answers, prelude=_prelude(turn, index))
        return cls()

    def prelude(self) -> List[Frame]:
        """Frames that rebuild what the browser showed before this run: what ``Framer`` sends
        ahead of the run's first event, numbered before it (so a resume that got past them skips
        them). Empty unless ``for_run`` found the run continues a turn."""
        return _frames(self._prelude)

    def event(self, event: LettaStreamingResponse) -> List[Frame]:
        return _frames(self._parts.event(event))

    def end(self, problem: Optional[Problem]) -> List[Frame]:
        return [*_frames(self._parts.end(problem)), _DONE]


def _run_of(message: LettaMessageUnion) -> Optional[str]:
    run = getattr(message, "run_id", None)
    return run if isinstance(run, str) else None


def _user(message: UserMessage) -> Dict[str, Any]:
    parts: List[Dict[str, Any]] = []
    if isinstance(message.content, str):
        parts.append({"type": "text", "text": message.content})
    else:
        for item in message.content:
            kind = getattr(item, "type", None)
            if kind == "text":
                parts.append({"type": "text", "text": getattr(item, "text", "")})
            elif kind == "image":
                part = _image(getattr(item, "source", None))
                if part is not None:
                    parts.append(part)
    return {"id": message.id, "role": "user", "parts": parts}


def _image(source: Any) -> Optional[Dict[str, Any]]:
    kind = getattr(source, "type", None)
    if kind == "url":
        return {"type": "file", "mediaType": "image/*", "url": source.url}
    if kind == "base64":
        return {"type": "file", "mediaType": source.media_type, "url": f"data:{source.media_type};base64,{source.data}"}
    return None


class _Leg:
    """One run of an assistant turn: its messages, and the answers that started it (``None`` for
    the run a user message started)."""

    def __init__(self, run: Optional[str], answers: Optional[Sequence[object]]) -> None:
        self.run = run
        self.answers = answers
        self.messages: List[LettaMessageUnion] = []

    def parts(self, message_id: str) -> List[Part]:
        """What the stream of this run sends, built from its stored messages."""
        parts = UIParts(message_id=message_id if self.answers is not None else None, answers=self.answers or ())
        out = [part for message in self.messages for part in parts.event(message)]
        return out + parts.end(None)


class _AssistantTurn:
    """The messages between two user messages: the run a user message started, and the runs
    that answers to its approval requests started after it. ``id`` is the first run's."""

    def __init__(self, message_id: str) -> None:
        self.id = message_id
        self.legs: List[_Leg] = []


def _turns(history: Iterable[LettaMessageUnion]) -> Iterator[Union[UserMessage, _AssistantTurn]]:
    """The history as user messages and assistant turns (system messages left out)."""
    turn: Optional[_AssistantTurn] = None
    for message in history:
        if isinstance(message, SystemMessage):
            continue
        if isinstance(message, UserMessage):
            if turn is not None:
                yield turn
                turn = None
            yield message
            continue
        run = _run_of(message)
        answers = list(message.approvals or []) if isinstance(message, ApprovalResponseMessage) else None
        if turn is not None and run != turn.legs[-1].run and answers is None:
            yield turn
            turn = None
        if turn is None:
            # a history that starts with an answer: the turn's beginning is outside it
            turn = _AssistantTurn(run or message.id or "")
        if answers is not None and (not turn.legs or run != turn.legs[-1].run):
            turn.legs.append(_Leg(run, answers))
            continue
        if not turn.legs:
            turn.legs.append(_Leg(run, None))
        turn.legs[-1].messages.append(message)
    if turn is not None:
        yield turn


_NOT_IN_PRELUDE = frozenset({"start", "finish", "abort", "message-metadata", "error"})


def _approval_responses(answers: Sequence[object]) -> List[Part]:
    """What the browser did with the approval requests before it sent these answers."""
    out: List[Part] = []
    for answer in answers_of(answers):
        if isinstance(answer, ApprovalReturn):
            part: Part = {
                "type": "tool-approval-response",
                "approvalId": approval_id(answer.tool_call_id),
                "approved": answer.approve,
            }
            if answer.reason is not None:
                part["reason"] = answer.reason
            out.append(part)
    return out


def _prelude(turn: _AssistantTurn, index: int) -> List[Part]:
    """The parts that rebuild the turn up to its run ``index`` (which answers started). A call the
    browser answered with a client tool's output loses its approval request there, as it did in
    the browser (``addToolOutput`` drops a pending approval)."""
    answered = {
        answer.tool_call_id
        for leg in turn.legs[1 : index + 1]
        for answer in answers_of(leg.answers or [])
        if isinstance(answer, ToolReturn)
    }
    out: List[Part] = [{"type": "start", "messageId": turn.id}]
    for leg in turn.legs[:index]:
        if leg.answers is not None:
            out += _approval_responses(leg.answers)
        for part in leg.parts(turn.id):
            if part["type"] in _NOT_IN_PRELUDE:
                continue
            if part["type"] == "tool-approval-request" and part["toolCallId"] in answered:
                continue
            out.append(part)
    out += _approval_responses(turn.legs[index].answers or [])
    return out


def ui_messages(history: Iterable[LettaMessageUnion]) -> List[Dict[str, Any]]:
    """A conversation's history (oldest first, as ``conversations.messages.list(id,
    order="asc")`` gives it) as AI SDK ``UIMessage``\\ s: ``{id, role, parts, metadata?}``.

    A user message keeps its Letta id and its text (and images, as ``file`` parts). The
    messages between two user messages form one assistant message, built through the same parts
    the stream sends, so that for a finished turn it equals what the AI SDK assembled from the
    stream (``step-start`` parts included); between two runs of a turn, the answers show as the
    browser showed them when it sent them. An assistant message with no part is left out.
    """
    out: List[Dict[str, Any]] = []
    for turn in _turns(history):
        if isinstance(turn, UserMessage):
            out.append(_user(turn))
            continue
        assembler = Assembler(turn.id)
        for index, leg in enumerate(turn.legs):
            if index > 0:
                assembler.answer(answers_of(leg.answers or []))
            assembler.apply(leg.parts(turn.id))
        message = assembler.message()
        if message["parts"]:
            out.append(message)
    return out
