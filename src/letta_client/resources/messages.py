"""``client.agents.messages``: send a message to an agent, as one JSON response or a stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Literal, Optional, Sequence, Union, overload

from typing_extensions import Unpack, deprecated

from .._pagination import (
    AsyncArrayPage,
    AsyncPaginator,
    Order,
    SyncArrayPage,
    async_message_page,
    sync_message_page,
)
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    prepared,
    to_raw_response,
    to_streamed_response,
)
from .._resume import OnReconnect, async_run_resumer, sync_run_resumer
from .._sentinels import leaves_out_sentinels
from .._streaming import AsyncStream, Stream
from ..types.conversations.compaction_response import CompactionResponse
from ..types.messages import LettaMessageUnion, LettaStreamingResponse, MessageType
from ..types.params import (
    AsyncSendBody,
    AsyncSendParams,
    DataParam,
    MessageSendBody,
    MessageSendParams,
    RequestOptions,
    StreamingSendParams,
)
from ..types.response import LettaResponse
from ..types.run import Run
from ._body import build_body
from ._message_requests import (
    agent_path,
    cancel_body,
    cancel_result,
    compact_body,
    history_query,
    messages_path,
    reset_body,
    reset_result,
    streaming_request,
    wants_resume,
)
from ._tool_methods import AgentTools, AsyncAgentTools

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport
    from ..types.agent_state import AgentState

__all__ = ["AsyncMessages", "Messages"]


@leaves_out_sentinels
class Messages(AgentTools):
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same calls, returning the ``APIResponse`` (``.headers``, ``.parse()``)."""
        return MessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> MessagesWithStreamingResponse:
        """The same calls as context managers over the unread ``APIResponse``."""
        return MessagesWithStreamingResponse(self)

    @overload
    def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = True,
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
        yield_pings: bool = True,
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
        yield_pings: bool = True,
        resume: Optional[bool] = None,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Any,
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]:
        """Send messages to an agent: ``POST /v1/agents/{agent_id}/messages``.

        Give ``messages=[...]`` or ``input="..."``. With ``streaming=True`` the result is a
        ``Stream`` of typed events (``stream_tokens``, ``include_pings`` and ``background`` apply
        only then); otherwise the whole turn as a ``LettaResponse``. Keep-alive pings are yielded
        too, as the official SDK does; ``yield_pings=False`` hides them.

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
        self,
        agent_id: str,
        *,
        streaming: Optional[bool] = None,
        yield_pings: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> Stream[LettaStreamingResponse]:
        """Stream a turn from the deprecated ``POST /v1/agents/{agent_id}/messages/stream``
        (``streaming`` is sent as given, as the official SDK does)."""
        return self._stream(agent_id, {**params, "streaming": streaming}, legacy=True, yield_pings=yield_pings)

    def _post(self, agent_id: str, params: Any) -> Any:
        path = messages_path(agent_id)
        body, options = prepared(lambda: build_body("send", params, MessageSendBody, streaming=False))
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
        path, body, options = prepared(lambda: streaming_request(agent_id, params, legacy=legacy))
        resumer = (
            sync_run_resumer(self._transport, {}, options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect)
            if wants_resume(resume, body)
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
        path = messages_path(agent_id, "/async")  # the id first, as the official SDK checks it
        body, options = prepared(lambda: build_body("create_async", params, AsyncSendBody, streaming=False))
        response = self._transport.request("POST", path, body=body, options=options, idempotent=False)
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
        include_err: Optional[bool] = None,
        order_by: Optional[Literal["created_at"]] = None,
        use_assistant_message: Optional[bool] = None,
        assistant_message_tool_name: Optional[str] = None,
        assistant_message_tool_kwarg: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncArrayPage[LettaMessageUnion]:
        """The agent's history: ``GET /v1/agents/{agent_id}/messages``.

        ``order`` is ``"desc"`` (newest first, the server's default) or ``"asc"``; each page's
        ``items`` come in that order. ``limit`` counts stored messages, and one can show as
        several items sharing an ``id`` (reasoning + tool call…). ``for m in page`` walks every
        later page too; ``page.has_next_page()`` / ``page.get_next_page()`` page by hand.
        Only an empty page ends the listing; with ``include_return_message_types`` a window of
        messages that are all filtered out also looks empty, so iteration stops there.
        """
        query = history_query(
            before,
            after,
            limit,
            order,
            include_return_message_types,
            group_id=group_id,
            conversation_id=conversation_id,
            include_err=include_err,
            order_by=order_by,
            use_assistant_message=use_assistant_message,
            assistant_message_tool_name=assistant_message_tool_name,
            assistant_message_tool_kwarg=assistant_message_tool_kwarg,
        )
        return sync_message_page(self._transport, messages_path(agent_id), query, order or "desc", options)

    def cancel(
        self, agent_id: str, *, run_ids: Optional[Sequence[str]] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, str]:
        """Cancel runs of an agent: ``POST /v1/agents/{agent_id}/messages/cancel``.

        Without ``run_ids`` the server cancels the agent's most recent run. Returns each run id
        with ``"cancelled"`` or ``"failed"`` (a finished run also reports ``"cancelled"``).
        Cancelling twice is harmless, so the request is retried like a read.
        """
        response = self._transport.request(
            "POST", messages_path(agent_id, "/cancel"), body=cancel_body(run_ids), options=options, idempotent=True
        )
        return cancel_result(response)

    def reset(
        self, agent_id: str, *, add_default_initial_messages: Optional[bool] = None, **options: Unpack[RequestOptions]
    ) -> Optional[AgentState]:
        """Clear the agent's message history: ``PATCH /v1/agents/{agent_id}/reset-messages``.
        Returns the agent (``None`` if the server sends nothing)."""
        response = self._transport.request(
            "PATCH",
            agent_path(agent_id, "/reset-messages"),
            body=reset_body(add_default_initial_messages),
            options=options,
            idempotent=True,
        )
        return reset_result(response)

    def compact(
        self, agent_id: str, *, compaction_settings: Optional[DataParam] = None, **options: Unpack[RequestOptions]
    ) -> CompactionResponse:
        """Summarize the agent's history to free context: ``POST /v1/agents/{agent_id}/summarize``."""
        response = self._transport.request(
            "POST",
            agent_path(agent_id, "/summarize"),
            body=compact_body(compaction_settings),
            options=options,
            idempotent=False,
        )
        return parse_json(response, CompactionResponse)


class MessagesWithRawResponse:
    def __init__(self, messages: Messages) -> None:
        self.create = to_raw_response(messages.create)
        self.send = to_raw_response(messages.send)
        self.stream = to_raw_response(messages.stream)  # pyright: ignore[reportDeprecated]
        self.create_async = to_raw_response(messages.create_async)
        self.list = to_raw_response(messages.list)
        self.cancel = to_raw_response(messages.cancel)
        self.reset = to_raw_response(messages.reset)
        self.compact = to_raw_response(messages.compact)


class MessagesWithStreamingResponse:
    def __init__(self, messages: Messages) -> None:
        self.create = to_streamed_response(messages.create)
        self.send = to_streamed_response(messages.send)
        self.stream = to_streamed_response(messages.stream)  # pyright: ignore[reportDeprecated]
        self.create_async = to_streamed_response(messages.create_async)
        self.list = to_streamed_response(messages.list)
        self.cancel = to_streamed_response(messages.cancel)
        self.reset = to_streamed_response(messages.reset)
        self.compact = to_streamed_response(messages.compact)


@leaves_out_sentinels
class AsyncMessages(AsyncAgentTools):
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        return AsyncMessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncMessagesWithStreamingResponse:
        return AsyncMessagesWithStreamingResponse(self)

    @overload
    async def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = True,
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
        yield_pings: bool = True,
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
        yield_pings: bool = True,
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
        self,
        agent_id: str,
        *,
        streaming: Optional[bool] = None,
        yield_pings: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncStream[LettaStreamingResponse]:
        return await self._stream(agent_id, {**params, "streaming": streaming}, legacy=True, yield_pings=yield_pings)

    async def _post(self, agent_id: str, params: Any) -> Any:
        path = messages_path(agent_id)
        body, options = prepared(lambda: build_body("send", params, MessageSendBody, streaming=False))
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
        path, body, options = prepared(lambda: streaming_request(agent_id, params, legacy=legacy))
        resumer = (
            async_run_resumer(self._transport, {}, options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect)
            if wants_resume(resume, body)
            else None
        )
        response = await self._transport.request(
            "POST", path, body=body, options=options, idempotent=False, stream=True
        )
        return AsyncStream(response, yield_pings=yield_pings, resumer=resumer, numbered=bool(body.get("background")))

    async def create_async(self, agent_id: str, **params: Unpack[AsyncSendParams]) -> Run:
        """See ``Letta.agents.messages.create_async``."""
        path = messages_path(agent_id, "/async")
        body, options = prepared(lambda: build_body("create_async", params, AsyncSendBody, streaming=False))
        response = await self._transport.request("POST", path, body=body, options=options, idempotent=False)
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
        include_err: Optional[bool] = None,
        order_by: Optional[Literal["created_at"]] = None,
        use_assistant_message: Optional[bool] = None,
        assistant_message_tool_name: Optional[str] = None,
        assistant_message_tool_kwarg: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[LettaMessageUnion, AsyncArrayPage[LettaMessageUnion]]:
        """See ``Letta.agents.messages.list``. ``await`` it for the first page, or
        ``async for`` over every message."""
        query = history_query(
            before,
            after,
            limit,
            order,
            include_return_message_types,
            group_id=group_id,
            conversation_id=conversation_id,
            include_err=include_err,
            order_by=order_by,
            use_assistant_message=use_assistant_message,
            assistant_message_tool_name=assistant_message_tool_name,
            assistant_message_tool_kwarg=assistant_message_tool_kwarg,
        )
        path = messages_path(agent_id)
        effective: Order = order or "desc"
        return AsyncPaginator(lambda: async_message_page(self._transport, path, query, effective, options))

    async def cancel(
        self, agent_id: str, *, run_ids: Optional[Sequence[str]] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, str]:
        """See ``Letta.agents.messages.cancel``."""
        response = await self._transport.request(
            "POST", messages_path(agent_id, "/cancel"), body=cancel_body(run_ids), options=options, idempotent=True
        )
        return cancel_result(response)

    async def reset(
        self, agent_id: str, *, add_default_initial_messages: Optional[bool] = None, **options: Unpack[RequestOptions]
    ) -> Optional[AgentState]:
        """See ``Letta.agents.messages.reset``."""
        response = await self._transport.request(
            "PATCH",
            agent_path(agent_id, "/reset-messages"),
            body=reset_body(add_default_initial_messages),
            options=options,
            idempotent=True,
        )
        return reset_result(response)

    async def compact(
        self, agent_id: str, *, compaction_settings: Optional[DataParam] = None, **options: Unpack[RequestOptions]
    ) -> CompactionResponse:
        """See ``Letta.agents.messages.compact``."""
        response = await self._transport.request(
            "POST",
            agent_path(agent_id, "/summarize"),
            body=compact_body(compaction_settings),
            options=options,
            idempotent=False,
        )
        return parse_json(response, CompactionResponse)


class AsyncMessagesWithRawResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self.create = async_to_raw_response(messages.create)
        self.send = async_to_raw_response(messages.send)
        self.stream = async_to_raw_response(messages.stream)  # pyright: ignore[reportDeprecated]
        self.create_async = async_to_raw_response(messages.create_async)
        self.list = async_to_raw_response(messages.list)
        self.cancel = async_to_raw_response(messages.cancel)
        self.reset = async_to_raw_response(messages.reset)
        self.compact = async_to_raw_response(messages.compact)


class AsyncMessagesWithStreamingResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self.create = async_to_streamed_response(messages.create)
        self.send = async_to_streamed_response(messages.send)
        self.stream = async_to_streamed_response(messages.stream)  # pyright: ignore[reportDeprecated]
        self.create_async = async_to_streamed_response(messages.create_async)
        self.list = async_to_streamed_response(messages.list)
        self.cancel = async_to_streamed_response(messages.cancel)
        self.reset = async_to_streamed_response(messages.reset)
        self.compact = async_to_streamed_response(messages.compact)
