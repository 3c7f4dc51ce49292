"""``letta_client.types.conversations.message_compact_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

from typing_extensions import TypedDict

from ..params import DataParam


class MessageCompactParams(TypedDict, total=False):
    """The arguments of ``client.conversations.messages.compact``."""

    agent_id: Optional[str]
    compaction_settings: Optional[DataParam]


CompactionSettings = DataParam
CompactionSettingsModelSettings = DataParam
CompactionSettingsModelSettingsBasetenModelSettings = DataParam
CompactionSettingsModelSettingsChatGptoAuthModelSettings = DataParam
CompactionSettingsModelSettingsChatGptoAuthModelSettingsReasoning = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettings = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsMoonshotCodingModelSettingsThinking = DataParam
CompactionSettingsModelSettingsMoonshotModelSettings = DataParam
CompactionSettingsModelSettingsMoonshotModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsOpenRouterModelSettings = DataParam
CompactionSettingsModelSettingsOpenRouterModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsSgLangModelSettings = DataParam
CompactionSettingsModelSettingsSgLangModelSettingsReasoning = DataParam
CompactionSettingsModelSettingsSgLangModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsZaiModelSettings = DataParam
CompactionSettingsModelSettingsZaiModelSettingsResponseFormat = DataParam
CompactionSettingsModelSettingsZaiModelSettingsThinking = DataParam

__all__ = [
    "MessageCompactParams",
    "CompactionSettings",
    "CompactionSettingsModelSettings",
    "CompactionSettingsModelSettingsBasetenModelSettings",
    "CompactionSettingsModelSettingsChatGptoAuthModelSettings",
    "CompactionSettingsModelSettingsChatGptoAuthModelSettingsReasoning",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettings",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsMoonshotCodingModelSettingsThinking",
    "CompactionSettingsModelSettingsMoonshotModelSettings",
    "CompactionSettingsModelSettingsMoonshotModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsOpenRouterModelSettings",
    "CompactionSettingsModelSettingsOpenRouterModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsSgLangModelSettings",
    "CompactionSettingsModelSettingsSgLangModelSettingsReasoning",
    "CompactionSettingsModelSettingsSgLangModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsZaiModelSettings",
    "CompactionSettingsModelSettingsZaiModelSettingsResponseFormat",
    "CompactionSettingsModelSettingsZaiModelSettingsThinking",
]
