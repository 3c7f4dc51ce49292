"""``letta_client.types.agent_state``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ._base import DataObject
from .agent import AgentState as AgentState  # the model this SDK parses agents into

Memory = DataObject
MemoryFileBlock = DataObject
Source = DataObject
CompactionSettings = DataObject
CompactionSettingsModelSettings = DataObject
CompactionSettingsModelSettingsSgLangModelSettings = DataObject
CompactionSettingsModelSettingsSgLangModelSettingsReasoning = DataObject
CompactionSettingsModelSettingsSgLangModelSettingsResponseFormat = DataObject
CompactionSettingsModelSettingsMoonshotModelSettings = DataObject
CompactionSettingsModelSettingsMoonshotModelSettingsResponseFormat = DataObject
CompactionSettingsModelSettingsZaiModelSettings = DataObject
CompactionSettingsModelSettingsZaiModelSettingsResponseFormat = DataObject
CompactionSettingsModelSettingsZaiModelSettingsThinking = DataObject
CompactionSettingsModelSettingsMoonshotCodingModelSettings = DataObject
CompactionSettingsModelSettingsMoonshotCodingModelSettingsResponseFormat = DataObject
CompactionSettingsModelSettingsMoonshotCodingModelSettingsThinking = DataObject
CompactionSettingsModelSettingsBasetenModelSettings = DataObject
CompactionSettingsModelSettingsOpenRouterModelSettings = DataObject
CompactionSettingsModelSettingsOpenRouterModelSettingsResponseFormat = DataObject
CompactionSettingsModelSettingsChatGptoAuthModelSettings = DataObject
CompactionSettingsModelSettingsChatGptoAuthModelSettingsReasoning = DataObject
Identity = DataObject
IdentityProperty = DataObject
ManagedGroup = DataObject
ModelSettings = DataObject
ModelSettingsSgLangModelSettings = DataObject
ModelSettingsSgLangModelSettingsReasoning = DataObject
ModelSettingsSgLangModelSettingsResponseFormat = DataObject
ModelSettingsMoonshotModelSettings = DataObject
ModelSettingsMoonshotModelSettingsResponseFormat = DataObject
ModelSettingsZaiModelSettings = DataObject
ModelSettingsZaiModelSettingsResponseFormat = DataObject
ModelSettingsZaiModelSettingsThinking = DataObject
ModelSettingsMoonshotCodingModelSettings = DataObject
ModelSettingsMoonshotCodingModelSettingsResponseFormat = DataObject
ModelSettingsMoonshotCodingModelSettingsThinking = DataObject
ModelSettingsBasetenModelSettings = DataObject
ModelSettingsOpenRouterModelSettings = DataObject
ModelSettingsOpenRouterModelSettingsResponseFormat = DataObject
ModelSettingsChatGptoAuthModelSettings = DataObject
ModelSettingsChatGptoAuthModelSettingsReasoning = DataObject
MultiAgentGroup = DataObject
ResponseFormat = DataObject
ToolRule = DataObject

__all__ = [
    "AgentState",
    "Memory",
    "MemoryFileBlock",
    "Source",
    "CompactionSettings",
    "CompactionSettingsModelSettings",
    "CompactionSettingsModelSettingsSgLangModelSettings",
    "CompactionSettingsModelSettingsSgLangModelSettingsReasoning",
    "CompactionSettingsModelSettingsSgLangModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsMoonshotModelSettings",
    "CompactionSettingsModelSettingsMoonshotModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsZaiModelSettings",
    "CompactionSettingsModelSettingsZaiModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsZaiModelSettingsThinking",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettings",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettingsThinking",
    "CompactionSettingsModelSettingsBasetenModelSettings",
    "CompactionSettingsModelSettingsOpenRouterModelSettings",
    "CompactionSettingsModelSettingsOpenRouterModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsChatGptoAuthModelSettings",
    "CompactionSettingsModelSettingsChatGptoAuthModelSettingsReasoning",
    "Identity",
    "IdentityProperty",
    "ManagedGroup",
    "ModelSettings",
    "ModelSettingsSgLangModelSettings",
    "ModelSettingsSgLangModelSettingsReasoning",
    "ModelSettingsSgLangModelSettingsResponseFormat",
    "ModelSettingsMoonshotModelSettings",
    "ModelSettingsMoonshotModelSettingsResponseFormat",
    "ModelSettingsZaiModelSettings",
    "ModelSettingsZaiModelSettingsResponseFormat",
    "ModelSettingsZaiModelSettingsThinking",
    "ModelSettingsMoonshotCodingModelSettings",
    "ModelSettingsMoonshotCodingModelSettingsResponseFormat",
    "ModelSettingsMoonshotCodingModelSettingsThinking",
    "ModelSettingsBasetenModelSettings",
    "ModelSettingsOpenRouterModelSettings",
    "ModelSettingsOpenRouterModelSettingsResponseFormat",
    "ModelSettingsChatGptoAuthModelSettings",
    "ModelSettingsChatGptoAuthModelSettingsReasoning",
    "MultiAgentGroup",
    "ResponseFormat",
    "ToolRule",
]
