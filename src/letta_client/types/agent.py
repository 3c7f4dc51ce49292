"""Agents: the parameters of ``client.agents``. ``AgentState``, the agent the server returns, is
the generated model of ``types.agent_state``, typed down to its leaves (still importable from
here, loaded on first use).

Parameters that take an agent's configuration (LLM config, model settings, tool rules...) accept
plain dicts (``DataParam``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Dict, List, Literal, Optional, Sequence, Union

from typing_extensions import Required, TypedDict

from .agent_type import AgentType
from .messages import StopReasonType
from .params import DataParam, MessageCreateParam

__all__ = [
    "AgentCreateParams",
    "AgentInclude",
    "AgentListParams",
    "AgentRetrieveParams",
    "AgentType",
    "AgentUpdateParams",
    "CreateBlockParam",
]

AgentInclude = Literal[
    "agent.blocks",
    "agent.identities",
    "agent.managed_group",
    "agent.pending_approval",
    "agent.secrets",
    "agent.sources",
    "agent.tags",
    "agent.tools",
]


class CreateBlockParam(TypedDict, total=False):
    """A memory block created with the agent (``{"label": "human", "value": "..."}``)."""

    label: Required[str]
    value: Required[str]
    limit: int
    description: Optional[str]
    read_only: bool
    metadata: Optional[Dict[str, object]]
    tags: Optional[Sequence[str]]
    hidden: Optional[bool]
    preserve_on_migration: Optional[bool]
    is_template: bool
    template_name: Optional[str]
    template_id: Optional[str]
    base_template_id: Optional[str]
    deployment_id: Optional[str]
    entity_id: Optional[str]
    project_id: Optional[str]


class _AgentConfigParams(TypedDict, total=False):
    """The fields ``create`` and ``update`` share."""

    name: str
    model: Optional[str]
    embedding: Optional[str]
    system: Optional[str]
    description: Optional[str]
    tags: Optional[Sequence[str]]
    metadata: Optional[Dict[str, object]]
    tool_ids: Optional[Sequence[str]]
    block_ids: Optional[Sequence[str]]
    source_ids: Optional[Sequence[str]]
    folder_ids: Optional[Sequence[str]]
    identity_ids: Optional[Sequence[str]]
    llm_config: Optional[DataParam]
    embedding_config: Optional[DataParam]
    model_settings: Optional[DataParam]
    compaction_settings: Optional[DataParam]
    response_format: Optional[DataParam]
    tool_rules: Optional[Sequence[DataParam]]
    context_window_limit: Optional[int]
    max_tokens: Optional[int]
    parallel_tool_calls: Optional[bool]
    reasoning: Optional[bool]
    enable_sleeptime: Optional[bool]
    hidden: Optional[bool]
    max_files_open: Optional[int]
    per_file_view_window_char_limit: Optional[int]
    secrets: Optional[Dict[str, str]]
    tool_exec_environment_variables: Optional[Dict[str, str]]
    timezone: Optional[str]
    project_id: Optional[str]
    template_id: Optional[str]
    base_template_id: Optional[str]


class AgentCreateParams(_AgentConfigParams, total=False):
    """``client.agents.create(**params)``. Every field is optional; the server fills defaults."""

    agent_type: Union[AgentType, str]
    memory_blocks: Optional[Sequence[CreateBlockParam]]
    tools: Optional[Sequence[str]]
    """Tool names to attach."""
    include_base_tools: bool
    include_base_tool_rules: Optional[bool]
    include_default_source: bool
    initial_message_sequence: Optional[Sequence[MessageCreateParam]]
    memory_variables: Optional[Dict[str, str]]
    message_buffer_autoclear: bool
    embedding_chunk_size: Optional[int]
    enable_reasoner: Optional[bool]
    max_reasoning_tokens: Optional[int]
    from_template: Optional[str]
    template: bool
    project: Optional[str]


class AgentUpdateParams(_AgentConfigParams, total=False):
    """``client.agents.update(agent_id, **params)``: only the fields given change."""

    message_ids: Optional[Sequence[str]]
    message_buffer_autoclear: Optional[bool]
    last_run_completion: Union[str, datetime, None]
    last_run_duration_ms: Optional[int]
    last_stop_reason: Optional[Union[StopReasonType, str]]


class AgentRetrieveParams(TypedDict, total=False):
    include: Optional[List[AgentInclude]]
    include_relationships: Optional[Sequence[str]]


class AgentListParams(AgentRetrieveParams, total=False):
    """Filters of ``client.agents.list``; ``before``/``after``/``limit`` page through the result."""

    name: Optional[str]
    tags: Optional[Sequence[str]]
    match_all_tags: bool
    query_text: Optional[str]
    project_id: Optional[str]
    template_id: Optional[str]
    base_template_id: Optional[str]
    identity_id: Optional[str]
    identifier_keys: Optional[Sequence[str]]
    created_by_id: Optional[str]
    last_stop_reason: Optional[Union[StopReasonType, str]]
    before: Optional[str]
    after: Optional[str]
    limit: Optional[int]
    order: Literal["asc", "desc"]
    order_by: Literal["created_at", "updated_at", "last_run_completion"]
    ascending: bool
    sort_by: Optional[str]


if TYPE_CHECKING:
    from .agent_state import AgentState as AgentState
else:

    def __getattr__(name: str) -> object:
        if name == "AgentState":  # this module's name for it in earlier releases
            from .agent_state import AgentState

            return AgentState
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
