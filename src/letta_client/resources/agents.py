"""``client.agents``: the agent-scoped resources."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .messages import AsyncMessages, Messages

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["Agents", "AsyncAgents"]


class Agents:
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @cached_property
    def messages(self) -> Messages:
        return Messages(self._transport, self._tool_loop)


class AsyncAgents:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @cached_property
    def messages(self) -> AsyncMessages:
        return AsyncMessages(self._transport)
