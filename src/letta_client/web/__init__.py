"""An agent's turn streamed to a browser, in the protocols frontends speak, resumable with no
storage of the relay's own (the Letta server keeps the run; every event's id says where it sits).

The core is framework-neutral: Letta events in, SSE bytes out (``Framer`` around one encoder:
``UIMessageStreamEncoder`` for the AI SDK's ``useChat``, ``AGUIEncoder`` for AG-UI,
``LettaEventEncoder`` for Letta's own events), and a conversation's history as each protocol's
messages (``ui_messages``, ``agui_messages``). ``letta_client.web.asgi`` (the ``web`` extra) serves
them from Starlette or FastAPI, with authorization the application decides.
"""

from __future__ import annotations

from ._event_ids import EventId
from ._framer import Encoder, Frame, Framer, Problem
from ._inbound import BadRequest, Outgoing, check_id
from ._sse import STREAM_HEADERS
from .agui import AGUI_PROTOCOL_VERSION, AGUIEncoder, RunInput, agui_messages, parse_run_input
from .letta_sse import LettaEventEncoder
from .ui_message_stream import (
    AI_SDK_MAJOR,
    UI_MESSAGE_STREAM_HEADERS,
    UIMessageStreamEncoder,
    parse_chat_request,
    ui_messages,
)

__all__ = [
    "AGUI_PROTOCOL_VERSION",
    "AI_SDK_MAJOR",
    "STREAM_HEADERS",
    "UI_MESSAGE_STREAM_HEADERS",
    "AGUIEncoder",
    "BadRequest",
    "Encoder",
    "EventId",
    "Frame",
    "Framer",
    "LettaEventEncoder",
    "Outgoing",
    "Problem",
    "RunInput",
    "UIMessageStreamEncoder",
    "agui_messages",
    "check_id",
    "parse_chat_request",
    "parse_run_input",
    "ui_messages",
]
