"""Agents: the ``AgentState`` the server returns and the parameters of ``client.agents``.

The agent's configuration (LLM config, memory, tools, tool rules, model settings...) is kept as
``DataObject``: every field the server sent, readable as attributes. Parameters that take such
configuration accept plain dicts (``DataParam``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional, Sequence, Union

from typing_extensions import Required, TypedDict

from ._base import DataObject, LettaModel
from .messages import ApprovalRequestMessage, StopReasonType
from .params import DataParam, MessageCreateParam

__all__ = [
    "AgentCreateParams",
    "AgentInclude",
    "AgentListParams",
    "AgentRetrieveParams",
    "AgentState",
    "AgentType",
    "AgentUpdateParams",
    "CreateBlockParam",
]

AgentType = Literal[
    "memgpt_agent",
    "memgpt_v2_agent",
    "letta_v1_agent",
    "react_agent",
    "workflow_agent",
    "split_thread_agent",
    "sleeptime_agent",
    "voice_convo_agent",
    "voice_sleeptime_agent",
]
"""The agent architectures the server knows; a newer server may send others (kept as strings)."""

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


class AgentState(LettaModel):
    """An agent as the server returns it. Fields this SDK does not list are kept too."""

    id: str
    name: str = ""
    agent_type: Optional[Union[AgentType, str]] = None
    system: Optional[str] = None
    description: Optional[str] = None
    model: Optional[str] = None
    embedding: Optional[str] = None
    tags: List[str] = []
    metadata: Optional[Dict[str, Any]] = None
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    blocks: List[DataObject] = []
    tools: List[DataObject] = []
    sources: List[DataObject] = []
    memory: Optional[DataObject] = None
    llm_config: Optional[DataObject] = None
    embedding_config: Optional[DataObject] = None
    model_settings: Optional[DataObject] = None
    compaction_settings: Optional[DataObject] = None
    response_format: Optional[DataObject] = None
    tool_rules: Optional[List[DataObject]] = None
    identities: Optional[List[DataObject]] = None
    identity_ids: Optional[List[str]] = None
    managed_group: Optional[DataObject] = None
    multi_agent_group: Optional[DataObject] = None
    secrets: Optional[List[DataObject]] = None
    tool_exec_environment_variables: Optional[List[DataObject]] = None
    pending_approval: Optional[ApprovalRequestMessage] = None
    message_ids: Optional[List[str]] = None
    last_stop_reason: Optional[Union[StopReasonType, str]] = None
    last_run_completion: Optional[datetime] = None
    last_run_duration_ms: Optional[int] = None
    project_id: Optional[str] = None
    template_id: Optional[str] = None
    base_template_id: Optional[str] = None
    deployment_id: Optional[str] = None
    entity_id: Optional[str] = None
    created_by_id: Optional[str] = None
    last_updated_by_id: Optional[str] = None
    enable_sleeptime: Optional[bool] = None
    hidden: Optional[bool] = None
    max_files_open: Optional[int] = None
    message_buffer_autoclear: Optional[bool] = None
    per_file_view_window_char_limit: Optional[int] = None
    timezone: Optional[str] = None


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
