"""A local Letta server for tests, demos and offline development.

``Simulator`` speaks the real wire protocol (JSON answers, SSE streams in step and token mode,
background runs with replay, the server's error bodies), so code written against it runs
unchanged against a real server::

    from letta_client.testing import Simulator, Reply, Think, ToolCall

    sim = Simulator()
    client = sim.client()                      # a Letta client; no sockets involved
    agent = sim.default_agent_id

    response = client.agents.messages.send(agent, input="What's the weather in Paris?")
    print(response.text)                       # the default agent calls get_weather first

    sim.script(agent, [Think("Easy one."), Reply("Hello!")])   # the next turn, exactly
    for event in client.agents.messages.send(agent, input="hi", streaming=True, stream_tokens=True):
        ...

    with sim.serve() as base_url:              # a real socket on 127.0.0.1
        ...

Script actions: ``Reply`` and ``Think`` (assistant and reasoning messages); ``ToolCall`` (a
server tool, or an approval request when the request declares it in ``client_tools``; the
actions after it run once the client returns the result); ``Error`` (the turn fails);
``Delay`` / ``Hold`` (pause the stream); ``Disconnect`` (drop the connection after N frames).
"""

from __future__ import annotations

# first: a clear ImportError when the official letta-client replaced our __init__ (see _coexistence)
from .. import _own_init as _own_init
from ._http import SimRequest
from ._script import Action, Delay, Disconnect, Error, Hold, Reply, Think, ToolCall, ToolFunction
from ._simulator import DEFAULT_AGENT_ID, Simulator
from ._transport import AsyncSimulatorTransport, SimulatorTransport

__all__ = [
    "DEFAULT_AGENT_ID",
    "Action",
    "AsyncSimulatorTransport",
    "Delay",
    "Disconnect",
    "Error",
    "Hold",
    "Reply",
    "SimRequest",
    "Simulator",
    "SimulatorTransport",
    "Think",
    "ToolCall",
    "ToolFunction",
]
