"""Response models (pydantic) and request params (TypedDicts)."""

from typing import TYPE_CHECKING

from . import agent, content, messages, params, response, run
from ._support import lazy_names
from .agent import *  # noqa: F403
from .content import *  # noqa: F403
from .conversation_cancel_params import ConversationCancelParams
from .conversation_cancel_response import ConversationCancelResponse
from .conversation_create_params import ConversationCreateParams
from .conversation_fork_params import ConversationForkParams
from .conversation_list_params import ConversationListParams
from .conversation_recompile_params import ConversationRecompileParams
from .conversation_update_params import ConversationUpdateParams
from .letta_message_content_union_param import LettaMessageContentUnionParam
from .messages import *  # noqa: F403
from .params import *  # noqa: F403
from .response import *  # noqa: F403
from .run import *  # noqa: F403

__all__: list[str] = []
__all__ += agent.__all__
__all__ += content.__all__
__all__ += messages.__all__
__all__ += params.__all__
__all__ += response.__all__
__all__ += run.__all__
__all__ += ["LettaMessageContentUnionParam"]
__all__ += [
    "ConversationCancelParams",
    "ConversationCancelResponse",
    "ConversationCreateParams",
    "ConversationForkParams",
    "ConversationListParams",
    "ConversationRecompileParams",
    "ConversationUpdateParams",
]

# <generated>
if TYPE_CHECKING:
    from .access_token_create_params import AccessTokenCreateParams as AccessTokenCreateParams
    from .access_token_create_response import AccessTokenCreateResponse as AccessTokenCreateResponse
    from .access_token_delete_params import AccessTokenDeleteParams as AccessTokenDeleteParams
    from .access_token_list_params import AccessTokenListParams as AccessTokenListParams
    from .access_token_list_response import AccessTokenListResponse as AccessTokenListResponse
    from .agent_environment_variable import AgentEnvironmentVariable as AgentEnvironmentVariable
    from .agent_export_file_params import AgentExportFileParams as AgentExportFileParams
    from .agent_export_file_response import AgentExportFileResponse as AgentExportFileResponse
    from .agent_import_file_params import AgentImportFileParams as AgentImportFileParams
    from .agent_import_file_response import AgentImportFileResponse as AgentImportFileResponse
    from .agent_recompile_params import AgentRecompileParams as AgentRecompileParams
    from .agent_recompile_response import AgentRecompileResponse as AgentRecompileResponse
    from .agent_state import AgentState as AgentState
    from .anthropic_model_settings import AnthropicModelSettings as AnthropicModelSettings
    from .anthropic_model_settings_param import AnthropicModelSettingsParam as AnthropicModelSettingsParam
    from .archive import Archive as Archive
    from .archive_create_params import ArchiveCreateParams as ArchiveCreateParams
    from .archive_list_params import ArchiveListParams as ArchiveListParams
    from .archive_update_params import ArchiveUpdateParams as ArchiveUpdateParams
    from .azure_model_settings import AzureModelSettings as AzureModelSettings
    from .azure_model_settings_param import AzureModelSettingsParam as AzureModelSettingsParam
    from .bedrock_model_settings import BedrockModelSettings as BedrockModelSettings
    from .bedrock_model_settings_param import BedrockModelSettingsParam as BedrockModelSettingsParam
    from .block_create_params import BlockCreateParams as BlockCreateParams
    from .block_list_params import BlockListParams as BlockListParams
    from .block_response import BlockResponse as BlockResponse
    from .block_update_params import BlockUpdateParams as BlockUpdateParams
    from .child_tool_rule import ChildToolRule as ChildToolRule
    from .child_tool_rule_param import ChildToolRuleParam as ChildToolRuleParam
    from .conditional_tool_rule import ConditionalToolRule as ConditionalToolRule
    from .conditional_tool_rule_param import ConditionalToolRuleParam as ConditionalToolRuleParam
    from .continue_tool_rule import ContinueToolRule as ContinueToolRule
    from .continue_tool_rule_param import ContinueToolRuleParam as ContinueToolRuleParam
    from .conversation import Conversation as Conversation
    from .conversation_list_response import ConversationListResponse as ConversationListResponse
    from .conversation_recompile_response import ConversationRecompileResponse as ConversationRecompileResponse
    from .create_sse_mcp_server_param import CreateSseMcpServerParam as CreateSseMcpServerParam
    from .create_stdio_mcp_server_param import CreateStdioMcpServerParam as CreateStdioMcpServerParam
    from .create_streamable_http_mcp_server_param import (
        CreateStreamableHTTPMcpServerParam as CreateStreamableHTTPMcpServerParam,
    )
    from .deepseek_model_settings import DeepseekModelSettings as DeepseekModelSettings
    from .deepseek_model_settings_param import DeepseekModelSettingsParam as DeepseekModelSettingsParam
    from .embedding_config import EmbeddingConfig as EmbeddingConfig
    from .embedding_config_param import EmbeddingConfigParam as EmbeddingConfigParam
    from .embedding_model import EmbeddingModel as EmbeddingModel
    from .environment_list_params import EnvironmentListParams as EnvironmentListParams
    from .environment_list_response import EnvironmentListResponse as EnvironmentListResponse
    from .environment_retrieve_response import EnvironmentRetrieveResponse as EnvironmentRetrieveResponse
    from .environment_send_message_params import EnvironmentSendMessageParams as EnvironmentSendMessageParams
    from .environment_send_message_response import EnvironmentSendMessageResponse as EnvironmentSendMessageResponse
    from .folder import Folder as Folder
    from .folder_create_params import FolderCreateParams as FolderCreateParams
    from .folder_list_params import FolderListParams as FolderListParams
    from .folder_update_params import FolderUpdateParams as FolderUpdateParams
    from .google_ai_model_settings import GoogleAIModelSettings as GoogleAIModelSettings
    from .google_ai_model_settings_param import GoogleAIModelSettingsParam as GoogleAIModelSettingsParam
    from .google_vertex_model_settings import GoogleVertexModelSettings as GoogleVertexModelSettings
    from .google_vertex_model_settings_param import GoogleVertexModelSettingsParam as GoogleVertexModelSettingsParam
    from .groq_model_settings import GroqModelSettings as GroqModelSettings
    from .groq_model_settings_param import GroqModelSettingsParam as GroqModelSettingsParam
    from .health_response import HealthResponse as HealthResponse
    from .init_tool_rule import InitToolRule as InitToolRule
    from .init_tool_rule_param import InitToolRuleParam as InitToolRuleParam
    from .json_object_response_format import JsonObjectResponseFormat as JsonObjectResponseFormat
    from .json_object_response_format_param import JsonObjectResponseFormatParam as JsonObjectResponseFormatParam
    from .json_schema_response_format import JsonSchemaResponseFormat as JsonSchemaResponseFormat
    from .json_schema_response_format_param import JsonSchemaResponseFormatParam as JsonSchemaResponseFormatParam
    from .llm_config import LlmConfig as LlmConfig
    from .llm_config_param import LlmConfigParam as LlmConfigParam
    from .max_count_per_step_tool_rule import MaxCountPerStepToolRule as MaxCountPerStepToolRule
    from .max_count_per_step_tool_rule_param import MaxCountPerStepToolRuleParam as MaxCountPerStepToolRuleParam
    from .mcp_server_create_params import McpServerCreateParams as McpServerCreateParams
    from .mcp_server_create_response import McpServerCreateResponse as McpServerCreateResponse
    from .mcp_server_list_response import McpServerListResponse as McpServerListResponse
    from .mcp_server_refresh_params import McpServerRefreshParams as McpServerRefreshParams
    from .mcp_server_retrieve_response import McpServerRetrieveResponse as McpServerRetrieveResponse
    from .mcp_server_update_params import McpServerUpdateParams as McpServerUpdateParams
    from .mcp_server_update_response import McpServerUpdateResponse as McpServerUpdateResponse
    from .message_list_response import MessageListResponse as MessageListResponse
    from .message_retrieve_response import MessageRetrieveResponse as MessageRetrieveResponse
    from .message_search_params import MessageSearchParams as MessageSearchParams
    from .message_search_response import MessageSearchResponse as MessageSearchResponse
    from .model import Model as Model
    from .model_list_params import ModelListParams as ModelListParams
    from .model_list_response import ModelListResponse as ModelListResponse
    from .npm_requirement import NpmRequirement as NpmRequirement
    from .npm_requirement_param import NpmRequirementParam as NpmRequirementParam
    from .openai_model_settings import OpenAIModelSettings as OpenAIModelSettings
    from .openai_model_settings_param import OpenAIModelSettingsParam as OpenAIModelSettingsParam
    from .parent_tool_rule import ParentToolRule as ParentToolRule
    from .parent_tool_rule_param import ParentToolRuleParam as ParentToolRuleParam
    from .passage import Passage as Passage
    from .passage_search_params import PassageSearchParams as PassageSearchParams
    from .passage_search_response import PassageSearchResponse as PassageSearchResponse
    from .pip_requirement import PipRequirement as PipRequirement
    from .pip_requirement_param import PipRequirementParam as PipRequirementParam
    from .provider_category import ProviderCategory as ProviderCategory
    from .provider_trace import ProviderTrace as ProviderTrace
    from .provider_type import ProviderType as ProviderType
    from .required_before_exit_tool_rule import RequiredBeforeExitToolRule as RequiredBeforeExitToolRule
    from .required_before_exit_tool_rule_param import RequiredBeforeExitToolRuleParam as RequiredBeforeExitToolRuleParam
    from .requires_approval_tool_rule import RequiresApprovalToolRule as RequiresApprovalToolRule
    from .requires_approval_tool_rule_param import RequiresApprovalToolRuleParam as RequiresApprovalToolRuleParam
    from .sse_mcp_server import SseMcpServer as SseMcpServer
    from .stdio_mcp_server import StdioMcpServer as StdioMcpServer
    from .step import Step as Step
    from .streamable_http_mcp_server import StreamableHTTPMcpServer as StreamableHTTPMcpServer
    from .tag_list_params import TagListParams as TagListParams
    from .tag_list_response import TagListResponse as TagListResponse
    from .template_create_params import TemplateCreateParams as TemplateCreateParams
    from .template_create_response import TemplateCreateResponse as TemplateCreateResponse
    from .template_delete_response import TemplateDeleteResponse as TemplateDeleteResponse
    from .template_rollback_params import TemplateRollbackParams as TemplateRollbackParams
    from .template_rollback_response import TemplateRollbackResponse as TemplateRollbackResponse
    from .template_save_params import TemplateSaveParams as TemplateSaveParams
    from .template_save_response import TemplateSaveResponse as TemplateSaveResponse
    from .template_update_params import TemplateUpdateParams as TemplateUpdateParams
    from .template_update_response import TemplateUpdateResponse as TemplateUpdateResponse
    from .terminal_tool_rule import TerminalToolRule as TerminalToolRule
    from .terminal_tool_rule_param import TerminalToolRuleParam as TerminalToolRuleParam
    from .text_response_format import TextResponseFormat as TextResponseFormat
    from .text_response_format_param import TextResponseFormatParam as TextResponseFormatParam
    from .together_model_settings import TogetherModelSettings as TogetherModelSettings
    from .together_model_settings_param import TogetherModelSettingsParam as TogetherModelSettingsParam
    from .tool import Tool as Tool
    from .tool_create_params import ToolCreateParams as ToolCreateParams
    from .tool_list_params import ToolListParams as ToolListParams
    from .tool_search_params import ToolSearchParams as ToolSearchParams
    from .tool_search_response import ToolSearchResponse as ToolSearchResponse
    from .tool_search_result import ToolSearchResult as ToolSearchResult
    from .tool_type import ToolType as ToolType
    from .tool_update_params import ToolUpdateParams as ToolUpdateParams
    from .tool_upsert_params import ToolUpsertParams as ToolUpsertParams
    from .update_sse_mcp_server_param import UpdateSseMcpServerParam as UpdateSseMcpServerParam
    from .update_stdio_mcp_server_param import UpdateStdioMcpServerParam as UpdateStdioMcpServerParam
    from .update_streamable_http_mcp_server_param import (
        UpdateStreamableHTTPMcpServerParam as UpdateStreamableHTTPMcpServerParam,
    )
    from .vector_db_provider import VectorDBProvider as VectorDBProvider
    from .xai_model_settings import XaiModelSettings as XaiModelSettings
    from .xai_model_settings_param import XaiModelSettingsParam as XaiModelSettingsParam

__getattr__ = lazy_names(
    __name__,
    {
        "AccessTokenCreateParams": ".access_token_create_params:AccessTokenCreateParams",
        "AccessTokenCreateResponse": ".access_token_create_response:AccessTokenCreateResponse",
        "AccessTokenDeleteParams": ".access_token_delete_params:AccessTokenDeleteParams",
        "AccessTokenListParams": ".access_token_list_params:AccessTokenListParams",
        "AccessTokenListResponse": ".access_token_list_response:AccessTokenListResponse",
        "AgentEnvironmentVariable": ".agent_environment_variable:AgentEnvironmentVariable",
        "AgentExportFileParams": ".agent_export_file_params:AgentExportFileParams",
        "AgentExportFileResponse": ".agent_export_file_response:AgentExportFileResponse",
        "AgentImportFileParams": ".agent_import_file_params:AgentImportFileParams",
        "AgentImportFileResponse": ".agent_import_file_response:AgentImportFileResponse",
        "AgentRecompileParams": ".agent_recompile_params:AgentRecompileParams",
        "AgentRecompileResponse": ".agent_recompile_response:AgentRecompileResponse",
        "AgentState": ".agent_state:AgentState",
        "AnthropicModelSettings": ".anthropic_model_settings:AnthropicModelSettings",
        "AnthropicModelSettingsParam": ".anthropic_model_settings_param:AnthropicModelSettingsParam",
        "Archive": ".archive:Archive",
        "ArchiveCreateParams": ".archive_create_params:ArchiveCreateParams",
        "ArchiveListParams": ".archive_list_params:ArchiveListParams",
        "ArchiveUpdateParams": ".archive_update_params:ArchiveUpdateParams",
        "AzureModelSettings": ".azure_model_settings:AzureModelSettings",
        "AzureModelSettingsParam": ".azure_model_settings_param:AzureModelSettingsParam",
        "BedrockModelSettings": ".bedrock_model_settings:BedrockModelSettings",
        "BedrockModelSettingsParam": ".bedrock_model_settings_param:BedrockModelSettingsParam",
        "BlockCreateParams": ".block_create_params:BlockCreateParams",
        "BlockListParams": ".block_list_params:BlockListParams",
        "BlockResponse": ".block_response:BlockResponse",
        "BlockUpdateParams": ".block_update_params:BlockUpdateParams",
        "ChildToolRule": ".child_tool_rule:ChildToolRule",
        "ChildToolRuleParam": ".child_tool_rule_param:ChildToolRuleParam",
        "ConditionalToolRule": ".conditional_tool_rule:ConditionalToolRule",
        "ConditionalToolRuleParam": ".conditional_tool_rule_param:ConditionalToolRuleParam",
        "ContinueToolRule": ".continue_tool_rule:ContinueToolRule",
        "ContinueToolRuleParam": ".continue_tool_rule_param:ContinueToolRuleParam",
        "Conversation": ".conversation:Conversation",
        "ConversationListResponse": ".conversation_list_response:ConversationListResponse",
        "ConversationRecompileResponse": ".conversation_recompile_response:ConversationRecompileResponse",
        "CreateSseMcpServerParam": ".create_sse_mcp_server_param:CreateSseMcpServerParam",
        "CreateStdioMcpServerParam": ".create_stdio_mcp_server_param:CreateStdioMcpServerParam",
        "CreateStreamableHTTPMcpServerParam": ".create_streamable_http_mcp_server_param:CreateStreamableHTTPMcpServerParam",
        "DeepseekModelSettings": ".deepseek_model_settings:DeepseekModelSettings",
        "DeepseekModelSettingsParam": ".deepseek_model_settings_param:DeepseekModelSettingsParam",
        "EmbeddingConfig": ".embedding_config:EmbeddingConfig",
        "EmbeddingConfigParam": ".embedding_config_param:EmbeddingConfigParam",
        "EmbeddingModel": ".embedding_model:EmbeddingModel",
        "EnvironmentListParams": ".environment_list_params:EnvironmentListParams",
        "EnvironmentListResponse": ".environment_list_response:EnvironmentListResponse",
        "EnvironmentRetrieveResponse": ".environment_retrieve_response:EnvironmentRetrieveResponse",
        "EnvironmentSendMessageParams": ".environment_send_message_params:EnvironmentSendMessageParams",
        "EnvironmentSendMessageResponse": ".environment_send_message_response:EnvironmentSendMessageResponse",
        "Folder": ".folder:Folder",
        "FolderCreateParams": ".folder_create_params:FolderCreateParams",
        "FolderListParams": ".folder_list_params:FolderListParams",
        "FolderUpdateParams": ".folder_update_params:FolderUpdateParams",
        "GoogleAIModelSettings": ".google_ai_model_settings:GoogleAIModelSettings",
        "GoogleAIModelSettingsParam": ".google_ai_model_settings_param:GoogleAIModelSettingsParam",
        "GoogleVertexModelSettings": ".google_vertex_model_settings:GoogleVertexModelSettings",
        "GoogleVertexModelSettingsParam": ".google_vertex_model_settings_param:GoogleVertexModelSettingsParam",
        "GroqModelSettings": ".groq_model_settings:GroqModelSettings",
        "GroqModelSettingsParam": ".groq_model_settings_param:GroqModelSettingsParam",
        "HealthResponse": ".health_response:HealthResponse",
        "InitToolRule": ".init_tool_rule:InitToolRule",
        "InitToolRuleParam": ".init_tool_rule_param:InitToolRuleParam",
        "JsonObjectResponseFormat": ".json_object_response_format:JsonObjectResponseFormat",
        "JsonObjectResponseFormatParam": ".json_object_response_format_param:JsonObjectResponseFormatParam",
        "JsonSchemaResponseFormat": ".json_schema_response_format:JsonSchemaResponseFormat",
        "JsonSchemaResponseFormatParam": ".json_schema_response_format_param:JsonSchemaResponseFormatParam",
        "LlmConfig": ".llm_config:LlmConfig",
        "LlmConfigParam": ".llm_config_param:LlmConfigParam",
        "MaxCountPerStepToolRule": ".max_count_per_step_tool_rule:MaxCountPerStepToolRule",
        "MaxCountPerStepToolRuleParam": ".max_count_per_step_tool_rule_param:MaxCountPerStepToolRuleParam",
        "McpServerCreateParams": ".mcp_server_create_params:McpServerCreateParams",
        "McpServerCreateResponse": ".mcp_server_create_response:McpServerCreateResponse",
        "McpServerListResponse": ".mcp_server_list_response:McpServerListResponse",
        "McpServerRefreshParams": ".mcp_server_refresh_params:McpServerRefreshParams",
        "McpServerRetrieveResponse": ".mcp_server_retrieve_response:McpServerRetrieveResponse",
        "McpServerUpdateParams": ".mcp_server_update_params:McpServerUpdateParams",
        "McpServerUpdateResponse": ".mcp_server_update_response:McpServerUpdateResponse",
        "MessageListResponse": ".message_list_response:MessageListResponse",
        "MessageRetrieveResponse": ".message_retrieve_response:MessageRetrieveResponse",
        "MessageSearchParams": ".message_search_params:MessageSearchParams",
        "MessageSearchResponse": ".message_search_response:MessageSearchResponse",
        "Model": ".model:Model",
        "ModelListParams": ".model_list_params:ModelListParams",
        "ModelListResponse": ".model_list_response:ModelListResponse",
        "NpmRequirement": ".npm_requirement:NpmRequirement",
        "NpmRequirementParam": ".npm_requirement_param:NpmRequirementParam",
        "OpenAIModelSettings": ".openai_model_settings:OpenAIModelSettings",
        "OpenAIModelSettingsParam": ".openai_model_settings_param:OpenAIModelSettingsParam",
        "ParentToolRule": ".parent_tool_rule:ParentToolRule",
        "ParentToolRuleParam": ".parent_tool_rule_param:ParentToolRuleParam",
        "Passage": ".passage:Passage",
        "PassageSearchParams": ".passage_search_params:PassageSearchParams",
        "PassageSearchResponse": ".passage_search_response:PassageSearchResponse",
        "PipRequirement": ".pip_requirement:PipRequirement",
        "PipRequirementParam": ".pip_requirement_param:PipRequirementParam",
        "ProviderCategory": ".provider_category:ProviderCategory",
        "ProviderTrace": ".provider_trace:ProviderTrace",
        "ProviderType": ".provider_type:ProviderType",
        "RequiredBeforeExitToolRule": ".required_before_exit_tool_rule:RequiredBeforeExitToolRule",
        "RequiredBeforeExitToolRuleParam": ".required_before_exit_tool_rule_param:RequiredBeforeExitToolRuleParam",
        "RequiresApprovalToolRule": ".requires_approval_tool_rule:RequiresApprovalToolRule",
        "RequiresApprovalToolRuleParam": ".requires_approval_tool_rule_param:RequiresApprovalToolRuleParam",
        "SseMcpServer": ".sse_mcp_server:SseMcpServer",
        "StdioMcpServer": ".stdio_mcp_server:StdioMcpServer",
        "Step": ".step:Step",
        "StreamableHTTPMcpServer": ".streamable_http_mcp_server:StreamableHTTPMcpServer",
        "TagListParams": ".tag_list_params:TagListParams",
        "TagListResponse": ".tag_list_response:TagListResponse",
        "TemplateCreateParams": ".template_create_params:TemplateCreateParams",
        "TemplateCreateResponse": ".template_create_response:TemplateCreateResponse",
        "TemplateDeleteResponse": ".template_delete_response:TemplateDeleteResponse",
        "TemplateRollbackParams": ".template_rollback_params:TemplateRollbackParams",
        "TemplateRollbackResponse": ".template_rollback_response:TemplateRollbackResponse",
        "TemplateSaveParams": ".template_save_params:TemplateSaveParams",
        "TemplateSaveResponse": ".template_save_response:TemplateSaveResponse",
        "TemplateUpdateParams": ".template_update_params:TemplateUpdateParams",
        "TemplateUpdateResponse": ".template_update_response:TemplateUpdateResponse",
        "TerminalToolRule": ".terminal_tool_rule:TerminalToolRule",
        "TerminalToolRuleParam": ".terminal_tool_rule_param:TerminalToolRuleParam",
        "TextResponseFormat": ".text_response_format:TextResponseFormat",
        "TextResponseFormatParam": ".text_response_format_param:TextResponseFormatParam",
        "TogetherModelSettings": ".together_model_settings:TogetherModelSettings",
        "TogetherModelSettingsParam": ".together_model_settings_param:TogetherModelSettingsParam",
        "Tool": ".tool:Tool",
        "ToolCreateParams": ".tool_create_params:ToolCreateParams",
        "ToolListParams": ".tool_list_params:ToolListParams",
        "ToolSearchParams": ".tool_search_params:ToolSearchParams",
        "ToolSearchResponse": ".tool_search_response:ToolSearchResponse",
        "ToolSearchResult": ".tool_search_result:ToolSearchResult",
        "ToolType": ".tool_type:ToolType",
        "ToolUpdateParams": ".tool_update_params:ToolUpdateParams",
        "ToolUpsertParams": ".tool_upsert_params:ToolUpsertParams",
        "UpdateSseMcpServerParam": ".update_sse_mcp_server_param:UpdateSseMcpServerParam",
        "UpdateStdioMcpServerParam": ".update_stdio_mcp_server_param:UpdateStdioMcpServerParam",
        "UpdateStreamableHTTPMcpServerParam": ".update_streamable_http_mcp_server_param:UpdateStreamableHTTPMcpServerParam",
        "VectorDBProvider": ".vector_db_provider:VectorDBProvider",
        "XaiModelSettings": ".xai_model_settings:XaiModelSettings",
        "XaiModelSettingsParam": ".xai_model_settings_param:XaiModelSettingsParam",
    },
)
# </generated>
