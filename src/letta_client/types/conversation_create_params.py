"""``letta_client.types.conversation_create_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional, Sequence

from typing_extensions import Required, TypedDict

from .params import DataParam


class ConversationCreateParams(TypedDict, total=False):
    """The arguments of ``client.conversations.create``."""

    agent_id: Required[str]
    context_window_limit: Optional[int]
    description: Optional[str]
    hidden: bool
    model: Optional[str]
    model_settings: Optional[DataParam]
    summary: Optional[str]
    isolated_block_labels: Optional[Sequence[str]]


ModelSettings = DataParam
ModelSettingsBasetenModelSettings = DataParam
ModelSettingsChatGptoAuthModelSettings = DataParam
ModelSettingsChatGptoAuthModelSettingsReasoning = DataParam
ModelSettingsMoonshotCodingModelSettings = DataParam
ModelSettingsMoonshotCodingModelSettingsResponseFormat = DataParam
ModelSettingsMoonshotCodingModelSettingsThinking = DataParam
ModelSettingsMoonshotModelSettings = DataParam
ModelSettingsMoonshotModelSettingsResponseFormat = DataParam
ModelSettingsOpenRouterModelSettings = DataParam
ModelSettingsOpenRouterModelSettingsResponseFormat = DataParam
ModelSettingsSgLangModelSettings = DataParam
ModelSettingsSgLangModelSettingsReasoning = DataParam
ModelSettingsSgLangModelSettingsResponseFormat = DataParam
ModelSettingsZaiModelSettings = DataParam
ModelSettingsZaiModelSettingsResponseFormat = DataParam
ModelSettingsZaiModelSettingsThinking = DataParam

__all__ = [
    "ConversationCreateParams",
    "ModelSettings",
    "ModelSettingsBasetenModelSettings",
    "ModelSettingsChatGptoAuthModelSettings",
    "ModelSettingsChatGptoAuthModelSettingsReasoning",
    "ModelSettingsMoonshotCodingModelSettings",
    "ModelSettingsMoonshotCodingModelSettingsResponseFormat",
    "ModelSettingsMoonshotCodingModelSettingsThinking",
    "ModelSettingsMoonshotModelSettings",
    "ModelSettingsMoonshotModelSettingsResponseFormat",
    "ModelSettingsOpenRouterModelSettings",
    "ModelSettingsOpenRouterModelSettingsResponseFormat",
    "ModelSettingsSgLangModelSettings",
    "ModelSettingsSgLangModelSettingsReasoning",
    "ModelSettingsSgLangModelSettingsResponseFormat",
    "ModelSettingsZaiModelSettings",
    "ModelSettingsZaiModelSettingsResponseFormat",
    "ModelSettingsZaiModelSettingsThinking",
]
