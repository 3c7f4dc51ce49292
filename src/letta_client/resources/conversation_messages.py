"""``client.conversations.messages``: send to a conversation exactly once, list, follow, compact.

Every send here is exactly-once by default (see ``letta_client._exactly_once``): it goes out as
a background stream whose messages all carry an ``otid``, and any failure before the turn's
terminal frame is recovered by re-sending the identical request or resuming the run, so the agent
takes the turn once and every event is delivered once, in order. ``background=False`` opts out
(a plain send, never re-sent once it may have reached the server); so does a server without Redis
(logged as a warning).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Literal, Mapping, Optional, Sequence, Union, overload

from typing_extensions import Unpack

from .._exactly_once import FallBack, fallback_warning
from .._pagination import (
    AsyncArrayPage,
    AsyncPaginator,
    Order,
    SyncArrayPage,
    async_message_page,
    sync_message_page,
)
from .._paths import conversation_path
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    prepared,
    to_raw_response,
    to_streamed_response,
)
from .._resume import AsyncResumer, OnReconnect, Resumer, resume_body
from .._sentinels import leaves_out_sentinels
from .._streaming import AsyncStream, Stream
from ..types.conversations import CompactionResponse
from ..types.messages import LettaMessageUnion, LettaStreamingResponse, MessageType
from ..types.params import MessageSendParams, RequestOptions, StreamingSendParams
from ..types.response import LettaResponse
from ._conversation_send import AsyncSendDriver, SendRequest, SyncSendDriver, agent_field
from ._message_requests import check_message_types, compact_body
from ._tool_methods import AsyncConversationTools, ConversationTools

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncConversationMessages", "ConversationMessages", "agent_field"]


class _Follow:
    """The request of ``messages.stream``, and of each resumption of it (by run id, after the
    last ``seq_id``). Checked before anything is sent."""

    def __init__(
        self,
        conversation_id: str,
        agent_id: Optional[str],
        run_id: Optional[str],
        otid: Optional[str],
        starting_after: Optional[int],
        include_pings: Optional[bool],
        poll_interval: Optional[float],
        batch_size: Optional[int],
        options: RequestOptions,
    ) -> None:
        after = 0 if starting_after is None else starting_after
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"starting_after must be a non-negative int, not {starting_after!r}")
        lookup = {"run_id": run_id} if run_id is not None else {"otid": otid} if otid is not None else {}
        pings = True if include_pings is None else include_pings
        self.body: Dict[str, Any] = {
            **agent_field(conversation_id, agent_id),
            **lookup,
            **resume_body(after, include_pings=pings, poll_interval=poll_interval, batch_size=batch_size),
        }
        self.path = conversation_path(conversation_id, "/stream")
        self.options = options

    def arguments(self, run_id: Optional[str] = None, starting_after: int = 0) -> Dict[str, Any]:
        """Keyword arguments of ``transport.request``: the first request, or the run's stream
        after ``starting_after``."""
        body = self.body
        if run_id is not None:
            body = {key: value for key, value in body.items() if key != "otid"}
            body.update(run_id=run_id, starting_after=starting_after)
        return {
            "method": "POST",
            "path": self.path,
            "body": body,
            "options": self.options,
            "idempotent": True,
            "stream": True,
            "retry": run_id is None,  # a resumption is one request: the resume policy counts them
        }


def _list_query(
    agent_id: Optional[str],
    before: Optional[str],
    after: Optional[str],
    limit: Optional[int],
    order: Optional[Order],
    group_id: Optional[str],
    include_err: Optional[bool],
    include_return_message_types: Optional[Sequence[MessageType]],
    order_by: Optional[Literal["created_at"]] = None,
) -> Dict[str, Any]:
    check_message_types("list()", include_return_message_types)
    query: Dict[str, Any] = {
        "order_by": order_by,
        "agent_id": agent_id,
        "before": before,
        "after": after,
        "limit": limit,
        "order": order,
        "group_id": group_id,
        "include_err": include_err,
        "include_return_message_types": list(include_return_message_types)
        if include_return_message_types is not None
        else None,
    }
    return {key: value for key, value in query.items() if value is not None}


def _compact_body(
    conversation_id: str, agent_id: Optional[str], compaction_settings: Optional[Mapping[str, Any]]
) -> Dict[str, Any]:
    return {**agent_field(conversation_id, agent_id), **compact_body(compaction_settings)}


@leaves_out_sentinels
class ConversationMessages(ConversationTools):
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @property
    def with_raw_response(self) -> ConversationMessagesWithRawResponse:
        """The same calls, returning the ``APIResponse`` (``.headers``, ``.parse()``)."""
        return ConversationMessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> ConversationMessagesWithStreamingResponse:
        """The same calls as context managers over the unread ``APIResponse``."""
        return ConversationMessagesWithStreamingResponse(self)

    @overload
    def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: Literal[True] = True,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Stream[LettaStreamingResponse]: ...
    @overload
    def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: Literal[False],
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[MessageSendParams],
    ) -> LettaResponse: ...
    @overload
    def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: bool,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]: ...
    def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: bool = True,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Any,
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]:
        """Send messages to a conversation, exactly once: ``POST /v1/conversations/{id}/messages``.

        Give ``messages=[...]`` or ``input="..."``. Like the endpoint (and the official SDK) this
        streams by default: the result is a ``Stream`` of typed events; ``streaming=False`` gives
        the whole turn as a ``LettaResponse``. ``conversation_id="default"`` with ``agent_id``
        sends to the agent's default conversation (agent-direct mode).

        Exactly-once: every message gets an ``otid`` and the send goes out as a background
        stream; a reset, timeout, 502/503/504 or a cut stream is recovered (the identical request
        again, or the run resumed after the last ``seq_id``), so the turn happens once and each
        event arrives once, in order. ``max_resume_attempts`` failures in a row (default 5) give
        ``ResumeError``; ``on_reconnect(attempt, run_id or "", last_seq_id, error)`` is called
        before each attempt. ``ConversationBusyError`` when another turn runs in the conversation.
        ``background=False`` (or a server without Redis) sends plainly instead: never re-sent
        once it may have reached the server.
        """
        request = prepared(lambda: SendRequest(conversation_id, agent_id, params, streaming=streaming))
        if request.wants_recovery:
            driver = SyncSendDriver(self._transport, request, request.plan(max_resume_attempts, on_reconnect))
            try:
                stream: Stream[LettaStreamingResponse] = Stream(driver.open(), yield_pings=yield_pings, resumer=driver)
                stream.reconnects = driver.plan.attempts  # re-sends before the stream started
            except FallBack:
                request.fell_back = True
                fallback_warning(conversation_id)
            else:
                return stream if streaming else stream.get_final_response()
        response = self._transport.request(
            "POST",
            request.path,
            body=request.plain_body,
            options=request.options,
            idempotent=False,
            stream=streaming,
        )
        return Stream(response, yield_pings=yield_pings) if streaming else parse_json(response, LettaResponse)

    create = send
    """The same as ``send`` (the name used by the official SDK)."""

    def list(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        group_id: Optional[str] = None,
        include_err: Optional[bool] = None,
        include_return_message_types: Optional[Sequence[MessageType]] = None,
        order_by: Optional[Literal["created_at"]] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncArrayPage[LettaMessageUnion]:
        """The conversation's history: ``GET /v1/conversations/{id}/messages`` (newest first by
        default; ``for m in page`` walks every later page too). See ``agents.messages.list``."""
        agent_field(conversation_id, agent_id)
        query = _list_query(
            agent_id, before, after, limit, order, group_id, include_err, include_return_message_types, order_by
        )
        path = conversation_path(conversation_id, "/messages")
        return sync_message_page(self._transport, path, query, order or "desc", options)

    def stream(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
        otid: Optional[str] = None,
        starting_after: Optional[int] = None,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> Stream[LettaStreamingResponse]:
        """Follow a turn of the conversation: ``POST /v1/conversations/{id}/stream``.

        The run is ``run_id``, else the one the message ``otid`` started, else the conversation's
        running background turn. Its events after ``starting_after`` (default ``0``: from the
        start) are replayed, then followed live to the end; a broken connection resumes by itself
        unless ``resume=False``. No such run: ``NotFoundError``; older than 3 hours: 410; not a
        background run (or none running): ``BadRequestError``; a resumption that cannot go on:
        ``ResumeError``. Use it to follow the turn that a
        ``ConversationBusyError`` names: ``stream(conversation_id, run_id=error.run_id)``.
        """
        follow = _Follow(
            conversation_id, agent_id, run_id, otid, starting_after, include_pings, poll_interval, batch_size, options
        )
        resumer = (
            Resumer(
                lambda run, after: self._transport.request(**follow.arguments(run, after)),
                self._transport.sleep,
                max_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
            if resume
            else None
        )
        response = self._transport.request(**follow.arguments())
        return Stream(
            response,
            yield_pings=yield_pings,
            resumer=resumer,
            numbered=True,
            run_id=run_id,
            starting_after=starting_after or 0,
        )

    def compact(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        compaction_settings: Optional[Mapping[str, Any]] = None,
        **options: Unpack[RequestOptions],
    ) -> CompactionResponse:
        """``POST /v1/conversations/{id}/compact``: summarize the conversation's in-context messages."""
        body = _compact_body(conversation_id, agent_id, compaction_settings)
        response = self._transport.request(
            "POST", conversation_path(conversation_id, "/compact"), body=body, options=options, idempotent=False
        )
        return parse_json(response, CompactionResponse)


@leaves_out_sentinels
class AsyncConversationMessages(AsyncConversationTools):
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncConversationMessagesWithRawResponse:
        """The same calls, returning the ``APIResponse`` (``.headers``, ``.parse()``)."""
        return AsyncConversationMessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncConversationMessagesWithStreamingResponse:
        """The same calls as context managers over the unread ``APIResponse``."""
        return AsyncConversationMessagesWithStreamingResponse(self)

    @overload
    async def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: Literal[True] = True,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncStream[LettaStreamingResponse]: ...
    @overload
    async def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: Literal[False],
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[MessageSendParams],
    ) -> LettaResponse: ...
    @overload
    async def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: bool,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]: ...
    async def send(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        streaming: bool = True,
        yield_pings: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **params: Any,
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]:
        """See ``Letta.conversations.messages.send``."""
        request = prepared(lambda: SendRequest(conversation_id, agent_id, params, streaming=streaming))
        if request.wants_recovery:
            driver = AsyncSendDriver(self._transport, request, request.plan(max_resume_attempts, on_reconnect))
            try:
                stream: AsyncStream[LettaStreamingResponse] = AsyncStream(
                    await driver.open(), yield_pings=yield_pings, resumer=driver
                )
                stream.reconnects = driver.plan.attempts
            except FallBack:
                request.fell_back = True
                fallback_warning(conversation_id)
            else:
                return stream if streaming else await stream.get_final_response()
        response = await self._transport.request(
            "POST",
            request.path,
            body=request.plain_body,
            options=request.options,
            idempotent=False,
            stream=streaming,
        )
        return AsyncStream(response, yield_pings=yield_pings) if streaming else parse_json(response, LettaResponse)

    create = send

    def list(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        group_id: Optional[str] = None,
        include_err: Optional[bool] = None,
        include_return_message_types: Optional[Sequence[MessageType]] = None,
        order_by: Optional[Literal["created_at"]] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[LettaMessageUnion, AsyncArrayPage[LettaMessageUnion]]:
        """``await`` it for the first page, or ``async for`` over every message."""
        agent_field(conversation_id, agent_id)
        query = _list_query(
            agent_id, before, after, limit, order, group_id, include_err, include_return_message_types, order_by
        )
        path = conversation_path(conversation_id, "/messages")
        effective: Order = order or "desc"
        return AsyncPaginator(lambda: async_message_page(self._transport, path, query, effective, options))

    async def stream(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
        otid: Optional[str] = None,
        starting_after: Optional[int] = None,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[LettaStreamingResponse]:
        """See ``Letta.conversations.messages.stream``."""
        follow = _Follow(
            conversation_id, agent_id, run_id, otid, starting_after, include_pings, poll_interval, batch_size, options
        )
        resumer = (
            AsyncResumer(
                lambda run, after: self._transport.request(**follow.arguments(run, after)),
                self._transport.sleep,
                max_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
            if resume
            else None
        )
        response = await self._transport.request(**follow.arguments())
        return AsyncStream(
            response,
            yield_pings=yield_pings,
            resumer=resumer,
            numbered=True,
            run_id=run_id,
            starting_after=starting_after or 0,
        )

    async def compact(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        compaction_settings: Optional[Mapping[str, Any]] = None,
        **options: Unpack[RequestOptions],
    ) -> CompactionResponse:
        """See ``Letta.conversations.messages.compact``."""
        body = _compact_body(conversation_id, agent_id, compaction_settings)
        response = await self._transport.request(
            "POST", conversation_path(conversation_id, "/compact"), body=body, options=options, idempotent=False
        )
        return parse_json(response, CompactionResponse)


class ConversationMessagesWithRawResponse:
    def __init__(self, messages: ConversationMessages) -> None:
        self.create = to_raw_response(messages.create)
        self.send = to_raw_response(messages.send)
        self.list = to_raw_response(messages.list)
        self.stream = to_raw_response(messages.stream)
        self.compact = to_raw_response(messages.compact)


class ConversationMessagesWithStreamingResponse:
    def __init__(self, messages: ConversationMessages) -> None:
        self.create = to_streamed_response(messages.create)
        self.send = to_streamed_response(messages.send)
        self.list = to_streamed_response(messages.list)
        self.stream = to_streamed_response(messages.stream)
        self.compact = to_streamed_response(messages.compact)


class AsyncConversationMessagesWithRawResponse:
    def __init__(self, messages: AsyncConversationMessages) -> None:
        self.create = async_to_raw_response(messages.create)
        self.send = async_to_raw_response(messages.send)
        self.list = async_to_raw_response(messages.list)
        self.stream = async_to_raw_response(messages.stream)
        self.compact = async_to_raw_response(messages.compact)


class AsyncConversationMessagesWithStreamingResponse:
    def __init__(self, messages: AsyncConversationMessages) -> None:
        self.create = async_to_streamed_response(messages.create)
        self.send = async_to_streamed_response(messages.send)
        self.list = async_to_streamed_response(messages.list)
        self.stream = async_to_streamed_response(messages.stream)
        self.compact = async_to_streamed_response(messages.compact)
