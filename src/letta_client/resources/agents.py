"""``client.agents``: create, find, change and delete agents, and the agent-scoped resources.

``create`` and ``update`` take every documented field as a keyword (``AgentCreateParams``,
``AgentUpdateParams``); configuration this SDK does not model field by field (LLM config,
tool rules, model settings...) passes through as plain dicts. ``list`` pages by itself.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Sequence, Tuple, cast

from typing_extensions import Unpack

from .._pagination import AsyncPaginator, SyncPage, async_array_page, sync_array_page
from .._paths import agent_path
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    to_raw_response,
    to_streamed_response,
)
from ..types.agent import AgentCreateParams, AgentListParams, AgentRetrieveParams, AgentState, AgentUpdateParams
from ..types.params import RequestOptions
from ._body import split_options
from .messages import (
    AsyncMessages,
    AsyncMessagesWithRawResponse,
    AsyncMessagesWithStreamingResponse,
    Messages,
    MessagesWithRawResponse,
    MessagesWithStreamingResponse,
)

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["Agents", "AsyncAgents"]

COLLECTION = "/v1/agents/"


class AgentCreateArgs(AgentCreateParams, RequestOptions, total=False):
    pass


class AgentUpdateArgs(AgentUpdateParams, RequestOptions, total=False):
    pass


class AgentListArgs(AgentListParams, RequestOptions, total=False):
    pass


class AgentRetrieveArgs(AgentRetrieveParams, RequestOptions, total=False):
    pass


def _plain(value: Any) -> Any:
    """A tuple (any non-string sequence) as a list, which httpx and JSON understand."""
    return list(cast(Sequence[Any], value)) if isinstance(value, tuple) else value


def _query(function: str, params: Mapping[str, Any], params_type: Any) -> Tuple[Dict[str, Any], RequestOptions]:
    """The query of ``list``/``retrieve`` (sequences become repeated parameters) and the options."""
    fields, options = split_options(function, params, params_type)
    return {key: _plain(value) for key, value in fields.items() if value is not None}, options


def _body(function: str, params: Mapping[str, Any], params_type: Any) -> Tuple[Dict[str, Any], RequestOptions]:
    fields, options = split_options(function, params, params_type)
    return {key: _plain(value) for key, value in fields.items()}, options


class Agents:
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @cached_property
    def messages(self) -> Messages:
        return Messages(self._transport, self._tool_loop)

    @property
    def with_raw_response(self) -> AgentsWithRawResponse:
        return AgentsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AgentsWithStreamingResponse:
        return AgentsWithStreamingResponse(self)

    def create(self, **params: Unpack[AgentCreateArgs]) -> AgentState:
        """``POST /v1/agents/``: a new agent (``name``, ``model``, ``embedding``, ``system``,
        ``memory_blocks``, ``tools``, ``tags``...). Not retried: a retry could create two."""
        body, options = _body("create", params, AgentCreateParams)
        response = self._transport.request("POST", COLLECTION, body=body, options=options, idempotent=False)
        return parse_json(response, AgentState)

    def retrieve(self, agent_id: str, **params: Unpack[AgentRetrieveArgs]) -> AgentState:
        """``GET /v1/agents/{agent_id}``."""
        query, options = _query("retrieve", params, AgentRetrieveParams)
        response = self._transport.request("GET", agent_path(agent_id), query=query, options=options, idempotent=True)
        return parse_json(response, AgentState)

    def list(self, **params: Unpack[AgentListArgs]) -> SyncPage[AgentState]:
        """``GET /v1/agents/``, filtered (``name``, ``tags``, ``query_text``...); iterating the page
        walks every later page too."""
        query, options = _query("list", params, AgentListParams)

        def fetch(page_query: Dict[str, Any]) -> List[AgentState]:
            response = self._transport.request("GET", COLLECTION, query=page_query, options=options, idempotent=True)
            return parse_json(response, List[AgentState])

        return sync_array_page(fetch, query)

    def update(self, agent_id: str, **params: Unpack[AgentUpdateArgs]) -> AgentState:
        """``PATCH /v1/agents/{agent_id}``: change the fields given."""
        body, options = _body("update", params, AgentUpdateParams)
        response = self._transport.request("PATCH", agent_path(agent_id), body=body, options=options, idempotent=True)
        return parse_json(response, AgentState)

    def delete(self, agent_id: str, **options: Unpack[RequestOptions]) -> object:
        """``DELETE /v1/agents/{agent_id}``; returns the server's answer."""
        response = self._transport.request("DELETE", agent_path(agent_id), options=options, idempotent=True)
        return parse_json(response, object)


class AsyncAgents:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @cached_property
    def messages(self) -> AsyncMessages:
        return AsyncMessages(self._transport)

    @property
    def with_raw_response(self) -> AsyncAgentsWithRawResponse:
        return AsyncAgentsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncAgentsWithStreamingResponse:
        return AsyncAgentsWithStreamingResponse(self)

    async def create(self, **params: Unpack[AgentCreateArgs]) -> AgentState:
        """See ``Letta.agents.create``."""
        body, options = _body("create", params, AgentCreateParams)
        response = await self._transport.request("POST", COLLECTION, body=body, options=options, idempotent=False)
        return parse_json(response, AgentState)

    async def retrieve(self, agent_id: str, **params: Unpack[AgentRetrieveArgs]) -> AgentState:
        """See ``Letta.agents.retrieve``."""
        query, options = _query("retrieve", params, AgentRetrieveParams)
        response = await self._transport.request(
            "GET", agent_path(agent_id), query=query, options=options, idempotent=True
        )
        return parse_json(response, AgentState)

    def list(self, **params: Unpack[AgentListArgs]) -> AsyncPaginator[AgentState]:
        """See ``Letta.agents.list``: ``await`` it for the first page, or ``async for`` over all."""
        query, options = _query("list", params, AgentListParams)

        async def fetch(page_query: Dict[str, Any]) -> List[AgentState]:
            response = await self._transport.request(
                "GET", COLLECTION, query=page_query, options=options, idempotent=True
            )
            return parse_json(response, List[AgentState])

        return AsyncPaginator(lambda: async_array_page(fetch, query))

    async def update(self, agent_id: str, **params: Unpack[AgentUpdateArgs]) -> AgentState:
        """See ``Letta.agents.update``."""
        body, options = _body("update", params, AgentUpdateParams)
        response = await self._transport.request(
            "PATCH", agent_path(agent_id), body=body, options=options, idempotent=True
        )
        return parse_json(response, AgentState)

    async def delete(self, agent_id: str, **options: Unpack[RequestOptions]) -> object:
        """See ``Letta.agents.delete``."""
        response = await self._transport.request("DELETE", agent_path(agent_id), options=options, idempotent=True)
        return parse_json(response, object)


class AgentsWithRawResponse:
    def __init__(self, agents: Agents) -> None:
        self._agents = agents
        self.create = to_raw_response(agents.create)
        self.retrieve = to_raw_response(agents.retrieve)
        self.list = to_raw_response(agents.list)
        self.update = to_raw_response(agents.update)
        self.delete = to_raw_response(agents.delete)

    @property
    def messages(self) -> MessagesWithRawResponse:
        return self._agents.messages.with_raw_response


class AgentsWithStreamingResponse:
    def __init__(self, agents: Agents) -> None:
        self._agents = agents
        self.create = to_streamed_response(agents.create)
        self.retrieve = to_streamed_response(agents.retrieve)
        self.list = to_streamed_response(agents.list)
        self.update = to_streamed_response(agents.update)
        self.delete = to_streamed_response(agents.delete)

    @property
    def messages(self) -> MessagesWithStreamingResponse:
        return self._agents.messages.with_streaming_response


class AsyncAgentsWithRawResponse:
    def __init__(self, agents: AsyncAgents) -> None:
        self._agents = agents
        self.create = async_to_raw_response(agents.create)
        self.retrieve = async_to_raw_response(agents.retrieve)
        self.list = async_to_raw_response(agents.list)
        self.update = async_to_raw_response(agents.update)
        self.delete = async_to_raw_response(agents.delete)

    @property
    def messages(self) -> AsyncMessagesWithRawResponse:
        return self._agents.messages.with_raw_response


class AsyncAgentsWithStreamingResponse:
    def __init__(self, agents: AsyncAgents) -> None:
        self._agents = agents
        self.create = async_to_streamed_response(agents.create)
        self.retrieve = async_to_streamed_response(agents.retrieve)
        self.list = async_to_streamed_response(agents.list)
        self.update = async_to_streamed_response(agents.update)
        self.delete = async_to_streamed_response(agents.delete)

    @property
    def messages(self) -> AsyncMessagesWithStreamingResponse:
        return self._agents.messages.with_streaming_response
