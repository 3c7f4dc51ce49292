"""``letta_client.types.agent_update_params``, the official SDK's module path: names for this SDK's types.

The official module repeats every option alias of ``agent_create_params``; here they are re-exported from it.
"""

from __future__ import annotations

from . import agent_create_params
from .agent import AgentUpdateParams
from .agent_create_params import *  # noqa: F403

__all__ = ["AgentUpdateParams"]
__all__ += agent_create_params.__all__
