"""``client.agents.messages``: send a message to an agent, as one JSON response or a stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Union, overload

from typing_extensions import Unpack, deprecated

from .._response import APIResponse, parse_json
from .._streaming import AsyncStream, Stream
from .._transport import path_segment
from ..types.messages import LettaStreamingResponse
from ..types.params import MessageSendBody, MessageSendParams, StreamingSendBody, StreamingSendParams
from ..types.response import LettaResponse
from ._body import build_body

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncMessages", "Messages"]


def _messages_path(agent_id: str, suffix: str = "") -> str:
    return f"/v1/agents/{path_segment(agent_id, 'agent_id')}/messages{suffix}"


class Messages:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same calls, returning the raw HTTP response (``.headers``, ``.parse()``)."""
        return MessagesWithRawResponse(self)

    @overload
    def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = False,
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
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]: ...
    def send(
        self, agent_id: str, *, streaming: bool = False, yield_pings: bool = False, **params: Any
    ) -> Union[LettaResponse, Stream[LettaStreamingResponse]]:
        """Send messages to an agent: ``POST /v1/agents/{agent_id}/messages``.

        Give ``messages=[...]`` or ``input="..."``. With ``streaming=True`` the result is a
        ``Stream`` of typed events (``stream_tokens``, ``include_pings`` and ``background`` apply
        only then); otherwise the whole turn as a ``LettaResponse``. ``yield_pings=True`` lets
        keep-alive pings through to the iterator.
        """
        if streaming:
            return self._stream("/messages", agent_id, params, yield_pings=yield_pings, streaming_flag=True)
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
        return self._stream("/messages/stream", agent_id, params, yield_pings=yield_pings, streaming_flag=False)

    def _post(self, agent_id: str, params: Any) -> Any:
        path = _messages_path(agent_id)
        body, options = build_body("send", params, MessageSendBody, streaming=False)
        return self._transport.request("POST", path, body=body, options=options, idempotent=False)

    def _stream(
        self, suffix: str, agent_id: str, params: Any, *, yield_pings: bool, streaming_flag: bool
    ) -> Stream[LettaStreamingResponse]:
        path = _messages_path(agent_id, suffix)
        body, options = build_body("send", params, StreamingSendBody, streaming=True)
        if streaming_flag:
            body["streaming"] = True
        response = self._transport.request("POST", path, body=body, options=options, idempotent=False, stream=True)
        return Stream(response, yield_pings=yield_pings)


class MessagesWithRawResponse:
    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    def send(self, agent_id: str, **params: Unpack[MessageSendParams]) -> APIResponse[LettaResponse]:
        return APIResponse(self._messages._post(agent_id, params), LettaResponse)  # pyright: ignore[reportPrivateUsage]

    create = send


class AsyncMessages:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        return AsyncMessagesWithRawResponse(self)

    @overload
    async def send(
        self,
        agent_id: str,
        *,
        streaming: Literal[True],
        yield_pings: bool = False,
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
        **params: Unpack[StreamingSendParams],
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]: ...
    async def send(
        self, agent_id: str, *, streaming: bool = False, yield_pings: bool = False, **params: Any
    ) -> Union[LettaResponse, AsyncStream[LettaStreamingResponse]]:
        """Send messages to an agent; see ``Letta.agents.messages.send``."""
        if streaming:
            return await self._stream("/messages", agent_id, params, yield_pings=yield_pings, streaming_flag=True)
        return parse_json(await self._post(agent_id, params), LettaResponse)

    create = send

    @deprecated(
        "messages.stream() uses the deprecated /messages/stream endpoint; use send(..., streaming=True)",
        category=None,
    )
    async def stream(
        self, agent_id: str, *, yield_pings: bool = False, **params: Unpack[StreamingSendParams]
    ) -> AsyncStream[LettaStreamingResponse]:
        return await self._stream("/messages/stream", agent_id, params, yield_pings=yield_pings, streaming_flag=False)

    async def _post(self, agent_id: str, params: Any) -> Any:
        path = _messages_path(agent_id)
        body, options = build_body("send", params, MessageSendBody, streaming=False)
        return await self._transport.request("POST", path, body=body, options=options, idempotent=False)

    async def _stream(
        self, suffix: str, agent_id: str, params: Any, *, yield_pings: bool, streaming_flag: bool
    ) -> AsyncStream[LettaStreamingResponse]:
        path = _messages_path(agent_id, suffix)
        body, options = build_body("send", params, StreamingSendBody, streaming=True)
        if streaming_flag:
            body["streaming"] = True
        response = await self._transport.request(
            "POST", path, body=body, options=options, idempotent=False, stream=True
        )
        return AsyncStream(response, yield_pings=yield_pings)


class AsyncMessagesWithRawResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self._messages = messages

    async def send(self, agent_id: str, **params: Unpack[MessageSendParams]) -> APIResponse[LettaResponse]:
        return APIResponse(await self._messages._post(agent_id, params), LettaResponse)  # pyright: ignore[reportPrivateUsage]

    create = send
