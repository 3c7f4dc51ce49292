"""``letta_client.types.conversation_update_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from typing_extensions import TypedDict

from .params import DataParam


class ConversationUpdateParams(TypedDict, total=False):
    """The arguments of ``client.conversations.update``."""

    archived: Optional[bool]
    context_window_limit: Optional[int]
    description: Optional[str]
    last_message_at: Union[str, datetime, None]
    model: Optional[str]
    model_settings: Optional[DataParam]
    summary: Optional[str]


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
    "ConversationUpdateParams",
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
