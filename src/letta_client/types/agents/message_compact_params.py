"""``letta_client.types.agents.message_compact_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..params import DataParam, MessageCompactParams

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

__all__ = [
    "MessageCompactParams",
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
]
