"""A Letta turn as AG-UI 1.0 events (``@ag-ui/core`` 1.0), the conversation as AG-UI messages, and
a browser's ``RunAgentInput`` read into what to send to Letta.

The events, for one run::

    RUN_STARTED
      STEP_STARTED / STEP_FINISHED                  one per Letta step (stepName = the step id)
      REASONING_START, REASONING_MESSAGE_START/CONTENT/END, REASONING_END
      TEXT_MESSAGE_START/CONTENT/END                 the agent's text (role "assistant")
      TOOL_CALL_START/ARGS/END                       a tool call (parentMessageId = the step's message)
      TOOL_CALL_RESULT                               a tool's result (metadata.letta.status)
      CUSTOM "letta.<message_type>"                  any other Letta message, as its JSON
    RUN_FINISHED  outcome success | interrupt | cancelled, usage    or    RUN_ERROR

A ``requires_approval`` stop is the ``interrupt`` outcome: one interrupt per tool call waiting
(``id`` and ``toolCallId`` = the call's id, ``reason`` ``"tool_approval"``); the next
``RunAgentInput.resume`` answers them (see ``parse_run_input``). Each frame is ``data: <json>``,
what ``@ag-ui/client``'s SSE reader reads. Ids are derived from Letta's (see
``_agui_projection``), so the same events give the same bytes and ``agui_messages`` of the
history gives the messages a browser assembled from the stream.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, cast

from ..types.messages import (
    LettaErrorMessage,
    LettaMessageUnion,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
    SystemMessage,
    UserMessage,
)
from ._agui_inbound import RESUME_PAYLOAD_SCHEMA, RunInput, parse_run_input
from ._agui_projection import AGUIEvent, MessageFold, Projection, content_value, denial_text
from ._framer import Frame, Problem
from ._sse import compact_json

__all__ = ["AGUI_PROTOCOL_VERSION", "AGUIEncoder", "RunInput", "agui_messages", "parse_run_input"]

AGUI_PROTOCOL_VERSION = "1.0"
"""The AG-UI protocol version these events follow (``RUN_STARTED.protocolVersion``)."""

_FAILED_STOPS: Mapping[str, str] = {
    "error": "The agent's turn failed.",
    "llm_api_error": "The model provider failed to answer.",
    "invalid_llm_response": "The model gave an answer the agent could not use.",
    "invalid_tool_call": "The model made a tool call the agent could not run.",
    "max_tokens_exceeded": "The answer was cut off: the model reached its token limit.",
    "context_window_overflow_in_system_prompt": "The agent's instructions do not fit the model's context window.",
    "insufficient_credits": "The model provider reports insufficient credits.",
}
"""Stop reasons that end a turn as a failure, with what a browser is told when the server sent
no error message of its own."""

_SHOWN_ERRORS = frozenset(
    {"context_window_overflow_in_system_prompt", "stream_incomplete", "stream_task_cancelled", "cleanup_error"}
)
"""Error types whose server message is a fixed sentence (besides the ``llm_*`` ones), safe to show;
any other (``internal_error`` carries an exception's text) is replaced by a generic sentence."""

_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _dumps(event: AGUIEvent) -> str:
    return compact_json(event)


def _error_text(error: LettaErrorMessage) -> str:
    if error.error_type.startswith("llm_") or error.error_type in _SHOWN_ERRORS:
        text = " ".join(error.message.split())
        if text:
            return text[:300]
    return "The agent's turn failed on the server."


def _code(value: str) -> Optional[str]:
    return value if _CODE.fullmatch(value) else None


def _usage(usage: LettaUsageStatistics) -> List[Dict[str, int]]:
    entry = {
        "inputTokens": usage.prompt_tokens,
        "outputTokens": usage.completion_tokens,
        "totalTokens": usage.total_tokens,
        "reasoningTokens": usage.reasoning_tokens,
        "cachedInputTokens": usage.cached_input_tokens,
        "cacheWriteInputTokens": usage.cache_write_tokens,
    }
    return [{key: value for key, value in entry.items() if isinstance(value, int) and value >= 0}]


def _answered(sent: Sequence[Mapping[str, Any]]) -> Dict[str, Tuple[Union[str, List[Dict[str, Any]]], str]]:
    """The results the browser's answer gives, per tool call: a client tool's output, or a
    denial's (in Letta's words). An approved call's result comes from the server."""
    results: Dict[str, Tuple[Union[str, List[Dict[str, Any]]], str]] = {}
    for message in sent:
        if message.get("type") != "approval":
            continue
        for entry in message.get("approvals") or ():
            if not isinstance(entry, Mapping):
                continue
            item = cast(Mapping[str, Any], entry)
            call = item.get("tool_call_id")
            if not isinstance(call, str):
                continue
            if item.get("type") == "tool":
                output = item.get("tool_return")
                results[call] = (output if isinstance(output, str) else "", str(item.get("status") or "success"))
            elif item.get("type") == "approval" and item.get("approve") is False:
                results[call] = (denial_text(item.get("reason")), "error")
    return results


class AGUIEncoder:
    """AG-UI 1.0 events for one Letta run (an ``Encoder`` for ``Framer``).

    ``thread_id`` is the conversation, ``run_id`` the AG-UI run (``RunAgentInput.runId``).
    ``sent`` is what the run was started with (``RunInput.outgoing.messages``): when it answers
    approvals, the answers' results are shown even where Letta does not stream them (token mode).
    """

    def __init__(self, thread_id: str, run_id: str, *, sent: Sequence[Mapping[str, Any]] = ()) -> None:
        self.thread_id = thread_id
        self.run_id = run_id
        self._projection = Projection()
        self._projection.answered(_answered(sent))
        self._started = False
        self._stop_reason: Optional[str] = None
        self._usage: Optional[LettaUsageStatistics] = None
        self._error: Optional[LettaErrorMessage] = None

    def event(self, event: LettaStreamingResponse) -> List[Frame]:
        if isinstance(event, LettaStopReason):
            self._stop_reason = str(event.stop_reason)
        elif isinstance(event, LettaUsageStatistics):
            self._usage = event
        elif isinstance(event, LettaErrorMessage):
            self._error = event
        else:
            self._projection.message(event)
        return self._frames()

    def end(self, problem: Optional[Problem]) -> List[Frame]:
        finished: AGUIEvent
        error = self._error
        failed = problem is not None and problem.kind != "cancelled"
        if error is None and not failed and self._stop_reason not in _FAILED_STOPS:
            self._projection.flush_answered()
        self._projection.close()
        usage = {} if self._usage is None else {"usage": _usage(self._usage)}
        if error is not None or failed or self._stop_reason in _FAILED_STOPS:
            finished = {"type": "RUN_ERROR", **self._failure(problem), **usage}
        else:
            finished = {"type": "RUN_FINISHED", "threadId": self.thread_id, "runId": self.run_id}
            finished["outcome"] = self._outcome(problem)
            finished.update(usage)
            if self._stop_reason is not None and _code(self._stop_reason):
                finished["metadata"] = {"letta": {"stopReason": self._stop_reason}}
        return self._frames([finished])

    def _failure(self, problem: Optional[Problem]) -> Dict[str, str]:
        if self._error is not None:
            failure = {"message": _error_text(self._error)}
            code = _code(self._error.error_type)
            return {**failure, "code": code} if code else failure
        if problem is not None:
            return {"message": problem.text, "code": problem.kind}
        reason = self._stop_reason or "error"
        return {"message": _FAILED_STOPS.get(reason, _FAILED_STOPS["error"]), "code": reason}

    def _outcome(self, problem: Optional[Problem]) -> Dict[str, Any]:
        if (problem is not None and problem.kind == "cancelled") or self._stop_reason == "cancelled":
            return {"type": "cancelled"}
        waiting = self._projection.waiting()
        if self._stop_reason == "requires_approval" and waiting:
            interrupts = [
                {
                    "id": call,
                    "reason": "tool_approval",
                    "toolCallId": call,
                    "message": f"The agent wants to run the tool {name}." if name else "The agent wants to run a tool.",
                    "responseSchema": RESUME_PAYLOAD_SCHEMA,
                }
                for call, name in waiting
            ]
            return {"type": "interrupt", "interrupts": interrupts}
        return {"type": "success"}

    def _frames(self, tail: Sequence[AGUIEvent] = ()) -> List[Frame]:
        events = self._projection.drain() + list(tail)
        if not events:
            return []
        if not self._started:
            self._started = True
            started: AGUIEvent = {
                "type": "RUN_STARTED",
                "threadId": self.thread_id,
                "runId": self.run_id,
                "protocolVersion": AGUI_PROTOCOL_VERSION,
            }
            events.insert(0, started)
        return [(None, _dumps(event)) for event in events]


def agui_messages(history: Iterable[LettaMessageUnion]) -> List[Dict[str, Any]]:
    """A conversation's history (oldest first, as ``messages.list(..., order="asc")`` gives it)
    as AG-UI ``Message``\\ s: user, assistant (with ``toolCalls``), tool and reasoning messages,
    with the ids and order a browser assembled from the turns' events. System messages (the
    agent's instructions) are left out, and so are messages AG-UI has no role for."""
    fold = MessageFold()
    projection = Projection()
    for message in history:
        if isinstance(message, SystemMessage):
            continue
        if isinstance(message, UserMessage):
            projection.close()
            fold.apply(projection.drain())
            fold.add({"id": message.id, "role": "user", "content": content_value(message.content)})
            continue
        projection.message(message)
    projection.close()
    fold.apply(projection.drain())
    return fold.messages
