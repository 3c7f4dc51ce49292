"""``letta_client.types.agent_create_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from .agent import AgentCreateParams
from .params import DataParam

CompactionSettings = DataParam
CompactionSettingsModelSettings = DataParam
CompactionSettingsModelSettingsSgLangModelSettings = DataParam
CompactionSettingsModelSettingsSgLangModelSettingsReasoning = DataParam
CompactionSettingsModelSettingsSgLangModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsMoonshotModelSettings = DataParam
CompactionSettingsModelSettingsMoonshotModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsZaiModelSettings = DataParam
CompactionSettingsModelSettingsZaiModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsZaiModelSettingsThinking = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettings = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettingsThinking = DataParam
CompactionSettingsModelSettingsBasetenModelSettings = DataParam
CompactionSettingsModelSettingsOpenRouterModelSettings = DataParam
CompactionSettingsModelSettingsOpenRouterModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsChatGptoAuthModelSettings = DataParam
CompactionSettingsModelSettingsChatGptoAuthModelSettingsReasoning = DataParam
ModelSettings = DataParam
ModelSettingsSgLangModelSettings = DataParam
ModelSettingsSgLangModelSettingsReasoning = DataParam
ModelSettingsSgLangModelSettingsResponseFormat = DataParam
ModelSettingsMoonshotModelSettings = DataParam
ModelSettingsMoonshotModelSettingsResponseFormat = DataParam
ModelSettingsZaiModelSettings = DataParam
ModelSettingsZaiModelSettingsResponseFormat = DataParam
ModelSettingsZaiModelSettingsThinking = DataParam
ModelSettingsMoonshotCodingModelSettings = DataParam
ModelSettingsMoonshotCodingModelSettingsResponseFormat = DataParam
ModelSettingsMoonshotCodingModelSettingsThinking = DataParam
ModelSettingsBasetenModelSettings = DataParam
ModelSettingsOpenRouterModelSettings = DataParam
ModelSettingsOpenRouterModelSettingsResponseFormat = DataParam
ModelSettingsChatGptoAuthModelSettings = DataParam
ModelSettingsChatGptoAuthModelSettingsReasoning = DataParam
ResponseFormat = DataParam
ToolRule = DataParam

__all__ = [
    "AgentCreateParams",
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
    "ResponseFormat",
    "ToolRule",
]
