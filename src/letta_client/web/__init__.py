"""An agent's turn streamed to a browser, in the protocols frontends speak, resumable with no
storage of the relay's own (the Letta server keeps the run; every event's id says where it sits).

The core is framework-neutral: Letta events in, SSE bytes out (``Framer`` around one encoder:
``UIMessageStreamEncoder`` for the AI SDK, ``AGUIEncoder`` for AG-UI, ``LettaEventEncoder`` for
Letta's own events). ``letta_client.web.asgi`` (the ``web`` extra) serves them from Starlette or
FastAPI, with authorization the application decides.
"""

from __future__ import annotations

from ._event_ids import EventId
from ._framer import Encoder, Frame, Framer, Problem
from ._inbound import BadRequest, Outgoing, check_id
from ._sse import STREAM_HEADERS

__all__ = [
    "STREAM_HEADERS",
    "BadRequest",
    "Encoder",
    "EventId",
    "Frame",
    "Framer",
    "Outgoing",
    "Problem",
    "check_id",
]
