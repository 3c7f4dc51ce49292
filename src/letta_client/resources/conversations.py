"""``client.conversations``: threads of messages on an agent, each with its own lock.

A conversation belongs to one agent; its messages are kept apart from the agent's other
conversations, and only one turn runs in it at a time (a concurrent send gets
``ConversationBusyError``). ``"default"`` plus ``agent_id`` addresses the agent's default
conversation ("agent-direct mode") where the server supports it (fork, cancel, messages).

Letta 0.16.8 quirks handled here: ``agent_id`` of ``create`` is a query parameter, and the
collection paths need their trailing slash.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union

from typing_extensions import Unpack

from .._pagination import AsyncListPage, AsyncPaginator, Order, SyncListPage, async_list_page, sync_list_page
from .._paths import CONVERSATIONS, conversation_path, path_segment
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    to_raw_response,
    to_streamed_response,
)
from .._sentinels import leaves_out_sentinels
from ..types.conversation import Conversation
from ..types.params import RequestOptions
from .conversation_messages import (
    AsyncConversationMessages,
    AsyncConversationMessagesWithRawResponse,
    AsyncConversationMessagesWithStreamingResponse,
    ConversationMessages,
    ConversationMessagesWithRawResponse,
    ConversationMessagesWithStreamingResponse,
    agent_field,
)

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncConversations", "Conversations"]

ConversationOrderBy = Literal["created_at", "last_run_completion", "last_message_at"]
ArchiveStatus = Literal["unarchived", "archived", "all"]


def _given(**fields: Any) -> Dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _list_query(
    agent_id: Optional[str],
    limit: Optional[int],
    after: Optional[str],
    order: Optional[Order],
    order_by: Optional[ConversationOrderBy],
    summary_search: Optional[str],
    archive_status: Optional[ArchiveStatus],
) -> Dict[str, Any]:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"limit must be a positive int, not {limit!r}")
    return _given(
        agent_id=agent_id,
        limit=limit,
        after=after,
        order=order,
        order_by=order_by,
        summary_search=summary_search,
        archive_status=archive_status,
    )


def _create_request(
    agent_id: str,
    summary: Optional[str],
    model: Optional[str],
    model_settings: Optional[Mapping[str, Any]],
    isolated_block_labels: Optional[Sequence[str]],
    description: Optional[str],
    context_window_limit: Optional[int],
    hidden: Optional[bool],
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Body and query of a create: only the fields given go in the body (0.16.8 knows
    ``summary``, ``model``, ``model_settings`` and ``isolated_block_labels``); ``agent_id`` is
    a query parameter."""
    path_segment(agent_id, "agent_id")
    body = _given(
        summary=summary,
        model=model,
        model_settings=model_settings,
        isolated_block_labels=list(isolated_block_labels) if isolated_block_labels is not None else None,
        description=description,
        context_window_limit=context_window_limit,
        hidden=hidden,
    )
    return body, {"agent_id": agent_id}


def _recompile_request(
    conversation_id: str,
    dry_run: Optional[bool],
    agent_id: Optional[str],
    compaction_settings: Optional[Mapping[str, Any]],
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Body and query of a recompile: ``agent_id`` (agent-direct mode) and the compaction
    settings in the body, ``dry_run`` in the query, each only when given."""
    body = {**agent_field(conversation_id, agent_id), **_given(compaction_settings=compaction_settings)}
    return body, _given(dry_run=dry_run)


@leaves_out_sentinels
class Conversations:
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @cached_property
    def messages(self) -> ConversationMessages:
        return ConversationMessages(self._transport, self._tool_loop)

    @property
    def with_raw_response(self) -> ConversationsWithRawResponse:
        """The same calls, returning the ``APIResponse`` (``.headers``, ``.parse()``)."""
        return ConversationsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> ConversationsWithStreamingResponse:
        """The same calls as context managers over the unread ``APIResponse``."""
        return ConversationsWithStreamingResponse(self)

    def create(
        self,
        *,
        agent_id: str,
        summary: Optional[str] = None,
        model: Optional[str] = None,
        model_settings: Optional[Mapping[str, Any]] = None,
        isolated_block_labels: Optional[Sequence[str]] = None,
        description: Optional[str] = None,
        context_window_limit: Optional[int] = None,
        hidden: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """``POST /v1/conversations/?agent_id=…``: a new, empty conversation on the agent
        (only the fields given are sent)."""
        body, query = _create_request(
            agent_id, summary, model, model_settings, isolated_block_labels, description, context_window_limit, hidden
        )
        response = self._transport.request(
            "POST", CONVERSATIONS, body=body, query=query, options=options, idempotent=False
        )
        return parse_json(response, Conversation)

    def retrieve(self, conversation_id: str, **options: Unpack[RequestOptions]) -> Conversation:
        """``GET /v1/conversations/{id}``; ``NotFoundError`` for an unknown or deleted one."""
        response = self._transport.request("GET", conversation_path(conversation_id), options=options, idempotent=True)
        return parse_json(response, Conversation)

    def list(
        self,
        *,
        agent_id: Optional[str] = None,
        limit: Optional[int] = None,
        after: Optional[str] = None,
        order: Optional[Order] = None,
        order_by: Optional[ConversationOrderBy] = None,
        summary_search: Optional[str] = None,
        archive_status: Optional[ArchiveStatus] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncListPage[Conversation]:
        """``GET /v1/conversations/``: the agent's conversations (every agent's without
        ``agent_id``), newest first by default. A ``list``, as on the official SDK (where it is
        a plain one); ``iter_pages()`` / ``get_next_page()`` go on to the later pages."""
        query = _list_query(agent_id, limit, after, order, order_by, summary_search, archive_status)
        return sync_list_page(lambda page_query: self._fetch_list(page_query, options), query)

    def _fetch_list(self, query: Dict[str, Any], options: RequestOptions) -> List[Conversation]:
        response = self._transport.request("GET", CONVERSATIONS, query=query, options=options, idempotent=True)
        return parse_json(response, List[Conversation])

    def update(
        self,
        conversation_id: str,
        *,
        summary: Optional[str] = None,
        model: Optional[str] = None,
        model_settings: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
        context_window_limit: Optional[int] = None,
        archived: Optional[bool] = None,
        last_message_at: Union[str, datetime, None] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """``PATCH /v1/conversations/{id}`` with the fields given."""
        body = _given(
            summary=summary,
            model=model,
            model_settings=model_settings,
            description=description,
            context_window_limit=context_window_limit,
            archived=archived,
            last_message_at=last_message_at.isoformat() if isinstance(last_message_at, datetime) else last_message_at,
        )
        response = self._transport.request(
            "PATCH", conversation_path(conversation_id), body=body, options=options, idempotent=True
        )
        return parse_json(response, Conversation)

    def delete(self, conversation_id: str, **options: Unpack[RequestOptions]) -> None:
        """``DELETE /v1/conversations/{id}`` (a soft delete: afterwards it is ``NotFoundError``)."""
        self._transport.request("DELETE", conversation_path(conversation_id), options=options, idempotent=True)

    def fork(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        message_id: Optional[str] = None,
        hidden: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """``POST /v1/conversations/{id}/fork``: a new conversation of the same agent holding the
        same in-context messages (``"default"`` + ``agent_id`` forks the agent's default one)."""
        query = {**agent_field(conversation_id, agent_id), **_given(message_id=message_id, hidden=hidden)}
        response = self._transport.request(
            "POST", conversation_path(conversation_id, "/fork"), query=query, options=options, idempotent=False
        )
        return parse_json(response, Conversation)

    def cancel(
        self, conversation_id: str, *, agent_id: Optional[str] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, Any]:
        """``POST /v1/conversations/{id}/cancel``: cancel the conversation's running turn.
        Returns each run id with its new status. Cancelling twice is harmless (retried like a read)."""
        query = agent_field(conversation_id, agent_id)
        response = self._transport.request(
            "POST", conversation_path(conversation_id, "/cancel"), query=query, options=options, idempotent=True
        )
        return parse_json(response, Dict[str, Any])

    def recompile(
        self,
        conversation_id: str,
        *,
        dry_run: Optional[bool] = None,
        agent_id: Optional[str] = None,
        compaction_settings: Optional[Mapping[str, Any]] = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        """``POST /v1/conversations/{id}/recompile``: rebuild the conversation's system prompt from
        the agent's memory and return it (``dry_run=True``: without keeping it)."""
        body, query = _recompile_request(conversation_id, dry_run, agent_id, compaction_settings)
        path = conversation_path(conversation_id, "/recompile")
        response = self._transport.request("POST", path, body=body, query=query, options=options, idempotent=True)
        return parse_json(response, str)


@leaves_out_sentinels
class AsyncConversations:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @cached_property
    def messages(self) -> AsyncConversationMessages:
        return AsyncConversationMessages(self._transport)

    @property
    def with_raw_response(self) -> AsyncConversationsWithRawResponse:
        """The same calls, returning the ``APIResponse`` (``.headers``, ``.parse()``)."""
        return AsyncConversationsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncConversationsWithStreamingResponse:
        """The same calls as context managers over the unread ``APIResponse``."""
        return AsyncConversationsWithStreamingResponse(self)

    async def create(
        self,
        *,
        agent_id: str,
        summary: Optional[str] = None,
        model: Optional[str] = None,
        model_settings: Optional[Mapping[str, Any]] = None,
        isolated_block_labels: Optional[Sequence[str]] = None,
        description: Optional[str] = None,
        context_window_limit: Optional[int] = None,
        hidden: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """See ``Letta.conversations.create``."""
        body, query = _create_request(
            agent_id, summary, model, model_settings, isolated_block_labels, description, context_window_limit, hidden
        )
        response = await self._transport.request(
            "POST", CONVERSATIONS, body=body, query=query, options=options, idempotent=False
        )
        return parse_json(response, Conversation)

    async def retrieve(self, conversation_id: str, **options: Unpack[RequestOptions]) -> Conversation:
        response = await self._transport.request(
            "GET", conversation_path(conversation_id), options=options, idempotent=True
        )
        return parse_json(response, Conversation)

    def list(
        self,
        *,
        agent_id: Optional[str] = None,
        limit: Optional[int] = None,
        after: Optional[str] = None,
        order: Optional[Order] = None,
        order_by: Optional[ConversationOrderBy] = None,
        summary_search: Optional[str] = None,
        archive_status: Optional[ArchiveStatus] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Conversation, AsyncListPage[Conversation]]:
        """``await`` it for the first page (a ``list``), or ``async for`` over every conversation."""
        query = _list_query(agent_id, limit, after, order, order_by, summary_search, archive_status)
        return AsyncPaginator(lambda: async_list_page(lambda page_query: self._fetch_list(page_query, options), query))

    async def _fetch_list(self, query: Dict[str, Any], options: RequestOptions) -> List[Conversation]:
        response = await self._transport.request("GET", CONVERSATIONS, query=query, options=options, idempotent=True)
        return parse_json(response, List[Conversation])

    async def update(
        self,
        conversation_id: str,
        *,
        summary: Optional[str] = None,
        model: Optional[str] = None,
        model_settings: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
        context_window_limit: Optional[int] = None,
        archived: Optional[bool] = None,
        last_message_at: Union[str, datetime, None] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        body = _given(
            summary=summary,
            model=model,
            model_settings=model_settings,
            description=description,
            context_window_limit=context_window_limit,
            archived=archived,
            last_message_at=last_message_at.isoformat() if isinstance(last_message_at, datetime) else last_message_at,
        )
        response = await self._transport.request(
            "PATCH", conversation_path(conversation_id), body=body, options=options, idempotent=True
        )
        return parse_json(response, Conversation)

    async def delete(self, conversation_id: str, **options: Unpack[RequestOptions]) -> None:
        await self._transport.request("DELETE", conversation_path(conversation_id), options=options, idempotent=True)

    async def fork(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        message_id: Optional[str] = None,
        hidden: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        query = {**agent_field(conversation_id, agent_id), **_given(message_id=message_id, hidden=hidden)}
        response = await self._transport.request(
            "POST", conversation_path(conversation_id, "/fork"), query=query, options=options, idempotent=False
        )
        return parse_json(response, Conversation)

    async def cancel(
        self, conversation_id: str, *, agent_id: Optional[str] = None, **options: Unpack[RequestOptions]
    ) -> Dict[str, Any]:
        query = agent_field(conversation_id, agent_id)
        response = await self._transport.request(
            "POST", conversation_path(conversation_id, "/cancel"), query=query, options=options, idempotent=True
        )
        return parse_json(response, Dict[str, Any])

    async def recompile(
        self,
        conversation_id: str,
        *,
        dry_run: Optional[bool] = None,
        agent_id: Optional[str] = None,
        compaction_settings: Optional[Mapping[str, Any]] = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        body, query = _recompile_request(conversation_id, dry_run, agent_id, compaction_settings)
        path = conversation_path(conversation_id, "/recompile")
        response = await self._transport.request("POST", path, body=body, query=query, options=options, idempotent=True)
        return parse_json(response, str)


class ConversationsWithRawResponse:
    def __init__(self, conversations: Conversations) -> None:
        self._conversations = conversations
        self.create = to_raw_response(conversations.create)
        self.retrieve = to_raw_response(conversations.retrieve)
        self.list = to_raw_response(conversations.list)
        self.update = to_raw_response(conversations.update)
        self.delete = to_raw_response(conversations.delete)
        self.fork = to_raw_response(conversations.fork)
        self.cancel = to_raw_response(conversations.cancel)
        self.recompile = to_raw_response(conversations.recompile)

    @property
    def messages(self) -> ConversationMessagesWithRawResponse:
        return self._conversations.messages.with_raw_response


class ConversationsWithStreamingResponse:
    def __init__(self, conversations: Conversations) -> None:
        self._conversations = conversations
        self.create = to_streamed_response(conversations.create)
        self.retrieve = to_streamed_response(conversations.retrieve)
        self.list = to_streamed_response(conversations.list)
        self.update = to_streamed_response(conversations.update)
        self.delete = to_streamed_response(conversations.delete)
        self.fork = to_streamed_response(conversations.fork)
        self.cancel = to_streamed_response(conversations.cancel)
        self.recompile = to_streamed_response(conversations.recompile)

    @property
    def messages(self) -> ConversationMessagesWithStreamingResponse:
        return self._conversations.messages.with_streaming_response


class AsyncConversationsWithRawResponse:
    def __init__(self, conversations: AsyncConversations) -> None:
        self._conversations = conversations
        self.create = async_to_raw_response(conversations.create)
        self.retrieve = async_to_raw_response(conversations.retrieve)
        self.list = async_to_raw_response(conversations.list)
        self.update = async_to_raw_response(conversations.update)
        self.delete = async_to_raw_response(conversations.delete)
        self.fork = async_to_raw_response(conversations.fork)
        self.cancel = async_to_raw_response(conversations.cancel)
        self.recompile = async_to_raw_response(conversations.recompile)

    @property
    def messages(self) -> AsyncConversationMessagesWithRawResponse:
        return self._conversations.messages.with_raw_response


class AsyncConversationsWithStreamingResponse:
    def __init__(self, conversations: AsyncConversations) -> None:
        self._conversations = conversations
        self.create = async_to_streamed_response(conversations.create)
        self.retrieve = async_to_streamed_response(conversations.retrieve)
        self.list = async_to_streamed_response(conversations.list)
        self.update = async_to_streamed_response(conversations.update)
        self.delete = async_to_streamed_response(conversations.delete)
        self.fork = async_to_streamed_response(conversations.fork)
        self.cancel = async_to_streamed_response(conversations.cancel)
        self.recompile = async_to_streamed_response(conversations.recompile)

    @property
    def messages(self) -> AsyncConversationMessagesWithStreamingResponse:
        return self._conversations.messages.with_streaming_response
