"""A conversation: one thread of messages on an agent, with its own lock (``client.conversations``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from ._base import DataObject, LettaModel

__all__ = [
    "Conversation",
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


class Conversation(LettaModel):
    """Represents a conversation on an agent for concurrent messaging.

    ``model_settings`` is the server's field; ``api_model_settings`` is the official SDK's name
    for it (both work)."""

    id: str
    agent_id: str
    summary: Optional[str] = None
    description: Optional[str] = None
    in_context_message_ids: Optional[List[str]] = None
    isolated_block_ids: Optional[List[str]] = None
    model: Optional[str] = None
    model_settings: Optional[Dict[str, Any]] = None
    context_window_limit: Optional[int] = None
    archived: Optional[bool] = None
    archived_at: Optional[datetime] = None
    last_message_at: Optional[datetime] = None
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    created_by_id: Optional[str] = None
    last_updated_by_id: Optional[str] = None

    @property
    def api_model_settings(self) -> Optional[Dict[str, Any]]:
        return self.model_settings


ModelSettings = DataObject
ModelSettingsBasetenModelSettings = DataObject
ModelSettingsChatGptoAuthModelSettings = DataObject
ModelSettingsChatGptoAuthModelSettingsReasoning = DataObject
ModelSettingsMoonshotCodingModelSettings = DataObject
ModelSettingsMoonshotCodingModelSettingsResponseFormat = DataObject
ModelSettingsMoonshotCodingModelSettingsThinking = DataObject
ModelSettingsMoonshotModelSettings = DataObject
ModelSettingsMoonshotModelSettingsResponseFormat = DataObject
ModelSettingsOpenRouterModelSettings = DataObject
ModelSettingsOpenRouterModelSettingsResponseFormat = DataObject
ModelSettingsSgLangModelSettings = DataObject
ModelSettingsSgLangModelSettingsReasoning = DataObject
ModelSettingsSgLangModelSettingsResponseFormat = DataObject
ModelSettingsZaiModelSettings = DataObject
ModelSettingsZaiModelSettingsResponseFormat = DataObject
ModelSettingsZaiModelSettingsThinking = DataObject
