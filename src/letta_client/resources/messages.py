"""``client.agents.messages``: send a message to an agent, as one JSON response or a stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence, Tuple, Union, cast, overload

from typing_extensions import Unpack, deprecated

from .._pagination import AsyncPaginator, Order, SyncPage
from .._response import APIResponse, parse_json
from .._resume import OnReconnect, async_run_resumer, sync_run_resumer
from .._streaming import AsyncStream, Stream
from .._transport import path_segment
from ..tools import ApprovalHook, AsyncApprovalHook, AsyncToolRunnerStream, ToolLike, ToolRunnerStream, ToolRunResult
from ..tools._flow import DEFAULT_MAX_ROUNDS, Plan
from ..types.messages import LettaMessageUnion, LettaStreamingResponse, MessageType
from ..types.params import (
    AsyncSendBody,
    AsyncSendParams,
    MessageSendBody,
    MessageSendParams,
    RequestOptions,
    StreamingSendBody,
    StreamingSendParams,
)
from ..types.response import LettaResponse
from ..types.run import Run
from ._body import build_body
from .runs import async_message_page, sync_message_page

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncMessages", "Messages"]


def _messages_path(agent_id: str, suffix: str = "") -> str:
    return f"/v1/agents/{path_segment(agent_id, 'agent_id')}/messages{suffix}"


def _wants_resume(resume: Optional[bool], body: Dict[str, Any]) -> bool:
    """``resume=None`` means "on for background streams"; only those can be resumed."""
    background = bool(body.get("background"))
    if resume and not background:
        raise ValueError("resume=True needs background=True: only background streams can be resumed")
    return background if resume is None else resume


def _history_query(
    before: Optional[str],
    after: Optional[str],
    limit: Optional[int],
    order: Optional[Order],
    group_id: Optional[str],
    conversation_id: Optional[str],
    include_return_message_types: Optional[Sequence[MessageType]],
) -> Dict[str, Any]:
    query: Dict[str, Any] = {
        "before": before,
        "after": after,
        "limit": limit,
        "order": order,
        "group_id": group_id,
        "conversation_id": conversation_id,
        "include_return_message_types": list(include_return_message_types)
        if include_return_message_types is not None
        else None,
    }
    return {key: value for key, value in query.items() if value is not None}


def _cancel_body(run_ids: Optional[Sequence[str]]) -> Dict[str, Any]:
    if run_ids is None:
        return {}
    if isinstance(run_ids, str) or not all(isinstance(run_id, str) and run_id for run_id in run_ids):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError("run_ids must be a list of run id strings")
    return {"run_ids": list(run_ids)}


def _cancel_result(response: Any) -> Dict[str, str]:
    return parse_json(response, Dict[str, str])


def _streaming_request(agent_id: str, params: Any, *, legacy: bool) -> Tuple[str, Dict[str, Any], RequestOptions]:
    """Path and body of a streaming send. The current endpoint needs ``"streaming": true``; the
    deprecated ``/messages/stream`` (``legacy``) streams anyway."""
    path = _messages_path(agent_id, "/stream" if legacy else "")
    body, options = build_body("send", params, StreamingSendBody, streaming=True)
    if not legacy:
        body["streaming"] = True
    return path, body, options


class Messages:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same calls, returning the raw HTTP response (``.headers``, ``.parse()``)."""
        return MessagesWithRawResponse(self)

    @overload
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> ToolRunnerStream: ...
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Any,
    ) -> Union[ToolRunResult, ToolRunnerStream]:
        """Send ``messages=``/``input=`` and run the agent's client-tool calls until the turn ends.

        ``tools``: ``@tool`` functions, plain functions, or ``ClientToolParam`` dicts (their calls
        go to ``on_approval``). ``on_approval(call)`` answers calls to tools the runner does not
        run (server tools that need approval): ``True``/``False``, ``approve(...)``, ``deny(...)``
        or ``tool_result(...)``. ``max_rounds`` caps the number of requests
        (``MaxRoundsExceededError``). ``resolve_pending`` lets the runner answer an approval left
        pending by an earlier turn when it can (else ``PendingApprovalError``). Other keywords
        are ``send`` parameters, used on every request.

        Returns a ``ToolRunResult``; with ``streaming=True`` a ``ToolRunnerStream`` of every event.
        """
        plan = Plan(
            agent_id,
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = ToolRunnerStream(plan, _AgentMessages(self, agent_id))
        return runner if streaming else runner.get_final_response()

    @overload
    def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Stream[LettaStreamingResponse]: ...
    @overload
    def send(
        self, agent_id: str, *, streaming: Literal[False] = False, **params: Unpack[MessageSendParams]
    ) -> LettaResponse: ...
    @overload
    def send(
        self,
        agent_id: str,
        *,
        streaming: bool,
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]: ...
    def send(
        self,
        agent_id: str,
        *,
        streaming: bool = False,
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Any,
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]:
        """Send messages to an agent: ``POST /v1/agents/{agent_id}/messages``.

        Give ``messages=[...]`` or ``input="..."``. With ``streaming=True`` the result is a
        ``Stream`` of typed events (``stream_tokens``, ``include_pings`` and ``background`` apply
        only then); otherwise the whole turn as a ``LettaResponse``. ``yield_pings=True`` lets
        keep-alive pings through to the iterator.

        A ``background=True`` stream resumes by itself when its connection breaks (``resume``
        defaults to on for background streams): it reopens ``/v1/runs/{run_id}/stream`` after
        the last ``seq_id`` and delivers every event once. ``max_resume_attempts`` failures in a
        row (default 5) give ``ResumeError``; ``on_reconnect(attempt, run_id, last_seq_id, error)``
        is called before each attempt, and ``stream.reconnects`` counts them.
        """
        if streaming:
            return self._stream(
                agent_id,
                params,
                legacy=False,
                yield_pings=yield_pings,
                resume=resume,
                max_resume_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
        return parse_json(self._post(agent_id, params), LettaResponse)

    create = send
    """The same as ``send`` (the name used by the official SDK)."""

    @deprecated(
        "messages.stream() uses the deprecated /messages/stream endpoint; use send(..., streaming=True)",
        category=None,
    )
    def stream(
        self, agent_id: str, *, yield_pings: bool = False, **params: Unpack[StreamingSendParams]
    ) -> Stream[LettaStreamingResponse]:
        """Stream a turn from the deprecated ``POST /v1/agents/{agent_id}/messages/stream``."""
        return self._stream(agent_id, params, legacy=True, yield_pings=yield_pings)

    def _post(self, agent_id: str, params: Any) -> Any:
        path = _messages_path(agent_id)
        body, options = build_body("send", params, MessageSendBody, streaming=False)
        return self._transport.request("POST", path, body=body, options=options, idempotent=False)

    def _stream(
        self,
        agent_id: str,
        params: Any,
        *,
        legacy: bool,
        yield_pings: bool,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> Stream[LettaStreamingResponse]:
        path, body, options = _streaming_request(agent_id, params, legacy=legacy)
        resumer = (
            sync_run_resumer(self._transport, {}, options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect)
            if _wants_resume(resume, body)
            else None
        )
        response = self._transport.request("POST", path, body=body, options=options, idempotent=False, stream=True)
        return Stream(response, yield_pings=yield_pings, resumer=resumer, numbered=bool(body.get("background")))

    def create_async(self, agent_id: str, **params: Unpack[AsyncSendParams]) -> Run:
        """Start a turn that runs on the server: ``POST /v1/agents/{agent_id}/messages/async``.

        Returns the new ``Run`` at once (status ``created``). Follow it with
        ``client.runs.wait(run.id)`` and read the result with ``client.runs.messages.list(run.id)``;
        ``callback_url`` makes the server POST the outcome there when the run ends.
        """
        body, options = build_body("create_async", params, AsyncSendBody, streaming=False)
        response = self._transport.request(
            "POST", _messages_path(agent_id, "/async"), body=body, options=options, idempotent=False
        )
        return parse_json(response, Run)

    def list(
        self,
        agent_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        group_id: Optional[str] = None,
        conversation_id: Optional[str] = None,
        include_return_message_types: Optional[Sequence[MessageType]] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[LettaMessageUnion]:
        """The agent's history: ``GET /v1/agents/{agent_id}/messages``.

        ``order`` is ``"desc"`` (newest first, the server's default) or ``"asc"``; each page's
        ``items`` come in that order. ``limit`` counts stored messages, and one can show as
        several items sharing an ``id`` (reasoning + tool call…). ``for m in page`` walks every
        later page too; ``page.has_next_page()`` / ``page.get_next_page()`` page by hand.
        Only an empty page ends the listing; with ``include_return_message_types`` a window of
        messages that are all filtered out also looks empty, so iteration stops there.
        """
        query = _history_query(before, after, limit, order, group_id, conversation_id, include_return_message_types)
        return sync_message_page(self._transport, _messages_path(agent_id), query, order or "desc", options)

    def cancel(
        self, agent_id: str, *, run_ids: Optional[Sequence[str]] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, str]:
        """Cancel runs of an agent: ``POST /v1/agents/{agent_id}/messages/cancel``.

        Without ``run_ids`` the server cancels the agent's most recent run. Returns each run id
        with ``"cancelled"`` or ``"failed"`` (a finished run also reports ``"cancelled"``).
        Cancelling twice is harmless, so the request is retried like a read.
        """
        response = self._transport.request(
            "POST", _messages_path(agent_id, "/cancel"), body=_cancel_body(run_ids), options=options, idempotent=True
        )
        return _cancel_result(response)


class MessagesWithRawResponse:
    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    def send(self, agent_id: str, **params: Unpack[MessageSendParams]) -> APIResponse[LettaResponse]:
        return APIResponse(self._messages._post(agent_id, params), LettaResponse)  # pyright: ignore[reportPrivateUsage]

    create = send


class _AgentMessages:
    """One agent's messages, as the tool runner sees them (``tools.MessageTarget``)."""

    def __init__(self, messages: Messages, agent_id: str) -> None:
        self._messages = messages
        self._agent_id = agent_id

    def send(self, body: Any) -> LettaResponse:
        return cast(LettaResponse, self._messages.send(self._agent_id, **body))

    def stream(self, body: Any) -> Stream[LettaStreamingResponse]:
        stream: Stream[LettaStreamingResponse] = self._messages.send(self._agent_id, streaming=True, **body)
        return stream

    def list(self, limit: int) -> List[LettaMessageUnion]:
        return self._messages.list(self._agent_id, limit=limit, order="desc").items[::-1]


class AsyncMessages:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        return AsyncMessagesWithRawResponse(self)

    @overload
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncToolRunnerStream: ...
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Any,
    ) -> Union[ToolRunResult, AsyncToolRunnerStream]:
        """See ``Letta.agents.messages.run_tools``; async tools run concurrently, and
        ``on_approval`` may be async."""
        plan = Plan(
            agent_id,
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = AsyncToolRunnerStream(plan, _AsyncAgentMessages(self, agent_id))
        return runner if streaming else await runner.get_final_response()

    @overload
    async def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncStream[LettaStreamingResponse]: ...
    @overload
    async def send(
        self, agent_id: str, *, streaming: Literal[False] = False, **params: Unpack[MessageSendParams]
    ) -> LettaResponse: ...
    @overload
    async def send(
        self,
        agent_id: str,
        *,
        streaming: bool,
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]: ...
    async def send(
        self,
        agent_id: str,
        *,
        streaming: bool = False,
        yield_pings: bool = False,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Any,
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]:
        """Send messages to an agent; see ``Letta.agents.messages.send``."""
        if streaming:
            return await self._stream(
                agent_id,
                params,
                legacy=False,
                yield_pings=yield_pings,
                resume=resume,
                max_resume_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
        return parse_json(await self._post(agent_id, params), LettaResponse)

    create = send

    @deprecated(
        "messages.stream() uses the deprecated /messages/stream endpoint; use send(..., streaming=True)",
        category=None,
    )
    async def stream(
        self, agent_id: str, *, yield_pings: bool = False, **params: Unpack[StreamingSendParams]
    ) -> AsyncStream[LettaStreamingResponse]:
        return await self._stream(agent_id, params, legacy=True, yield_pings=yield_pings)

    async def _post(self, agent_id: str, params: Any) -> Any:
        path = _messages_path(agent_id)
        body, options = build_body("send", params, MessageSendBody, streaming=False)
        return await self._transport.request("POST", path, body=body, options=options, idempotent=False)

    async def _stream(
        self,
        agent_id: str,
        params: Any,
        *,
        legacy: bool,
        yield_pings: bool,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> AsyncStream[LettaStreamingResponse]:
        path, body, options = _streaming_request(agent_id, params, legacy=legacy)
        resumer = (
            async_run_resumer(self._transport, {}, options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect)
            if _wants_resume(resume, body)
            else None
        )
        response = await self._transport.request(
            "POST", path, body=body, options=options, idempotent=False, stream=True
        )
        return AsyncStream(response, yield_pings=yield_pings, resumer=resumer, numbered=bool(body.get("background")))

    async def create_async(self, agent_id: str, **params: Unpack[AsyncSendParams]) -> Run:
        """See ``Letta.agents.messages.create_async``."""
        body, options = build_body("create_async", params, AsyncSendBody, streaming=False)
        response = await self._transport.request(
            "POST", _messages_path(agent_id, "/async"), body=body, options=options, idempotent=False
        )
        return parse_json(response, Run)

    def list(
        self,
        agent_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        group_id: Optional[str] = None,
        conversation_id: Optional[str] = None,
        include_return_message_types: Optional[Sequence[MessageType]] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[LettaMessageUnion]:
        """See ``Letta.agents.messages.list``. ``await`` it for the first page, or
        ``async for`` over every message."""
        query = _history_query(before, after, limit, order, group_id, conversation_id, include_return_message_types)
        path = _messages_path(agent_id)
        effective: Order = order or "desc"
        return AsyncPaginator(lambda: async_message_page(self._transport, path, query, effective, options))

    async def cancel(
        self, agent_id: str, *, run_ids: Optional[Sequence[str]] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, str]:
        """See ``Letta.agents.messages.cancel``."""
        response = await self._transport.request(
            "POST", _messages_path(agent_id, "/cancel"), body=_cancel_body(run_ids), options=options, idempotent=True
        )
        return _cancel_result(response)


class AsyncMessagesWithRawResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self._messages = messages

    async def send(self, agent_id: str, **params: Unpack[MessageSendParams]) -> APIResponse[LettaResponse]:
        return APIResponse(await self._messages._post(agent_id, params), LettaResponse)  # pyright: ignore[reportPrivateUsage]

    create = send


class _AsyncAgentMessages:
    """One agent's messages, as the async tool runner sees them (``tools.AsyncMessageTarget``)."""

    def __init__(self, messages: AsyncMessages, agent_id: str) -> None:
        self._messages = messages
        self._agent_id = agent_id

    async def send(self, body: Any) -> LettaResponse:
        return cast(LettaResponse, await self._messages.send(self._agent_id, **body))

    async def stream(self, body: Any) -> AsyncStream[LettaStreamingResponse]:
        stream: AsyncStream[LettaStreamingResponse] = await self._messages.send(self._agent_id, streaming=True, **body)
        return stream

    async def list(self, limit: int) -> List[LettaMessageUnion]:
        page = await self._messages.list(self._agent_id, limit=limit, order="desc")
        return page.items[::-1]
