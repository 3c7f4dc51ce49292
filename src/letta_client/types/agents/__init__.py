"""``letta_client.types.agents``, the official SDK's package: names for this SDK's types."""

from typing import TYPE_CHECKING

from .._support import lazy_names

# Not in 1.12.1's package, but programs written against earlier 1.x releases import it from here.
from ..params import MessageCreateParam as MessageCreateParam
from .approval_create_param import ApprovalCreateParam as ApprovalCreateParam
from .approval_request_message import ApprovalRequestMessage as ApprovalRequestMessage
from .approval_response_message import ApprovalResponseMessage as ApprovalResponseMessage
from .approval_return import ApprovalReturn as ApprovalReturn
from .approval_return_param import ApprovalReturnParam as ApprovalReturnParam
from .assistant_message import AssistantMessage as AssistantMessage
from .event_message import EventMessage as EventMessage
from .hidden_reasoning_message import HiddenReasoningMessage as HiddenReasoningMessage
from .image_content import ImageContent as ImageContent
from .image_content_param import ImageContentParam as ImageContentParam
from .internal_message import InternalMessage as InternalMessage
from .letta_assistant_message_content_union import (
    LettaAssistantMessageContentUnion as LettaAssistantMessageContentUnion,
)
from .letta_response import LettaResponse as LettaResponse
from .letta_streaming_response import LettaStreamingResponse as LettaStreamingResponse
from .letta_user_message_content_union import LettaUserMessageContentUnion as LettaUserMessageContentUnion
from .message import Message as Message
from .message_cancel_params import MessageCancelParams as MessageCancelParams
from .message_cancel_response import MessageCancelResponse as MessageCancelResponse
from .message_compact_params import MessageCompactParams as MessageCompactParams
from .message_create_async_params import MessageCreateAsyncParams as MessageCreateAsyncParams
from .message_create_params import MessageCreateParams as MessageCreateParams
from .message_list_params import MessageListParams as MessageListParams
from .message_reset_params import MessageResetParams as MessageResetParams
from .message_role import MessageRole as MessageRole
from .message_stream_params import MessageStreamParams as MessageStreamParams
from .message_type import MessageType as MessageType
from .omitted_reasoning_content import OmittedReasoningContent as OmittedReasoningContent
from .omitted_reasoning_content_param import OmittedReasoningContentParam as OmittedReasoningContentParam
from .reasoning_content import ReasoningContent as ReasoningContent
from .reasoning_content_param import ReasoningContentParam as ReasoningContentParam
from .reasoning_message import ReasoningMessage as ReasoningMessage
from .redacted_reasoning_content import RedactedReasoningContent as RedactedReasoningContent
from .redacted_reasoning_content_param import RedactedReasoningContentParam as RedactedReasoningContentParam
from .run import Run as Run
from .summary_message import SummaryMessage as SummaryMessage
from .system_message import SystemMessage as SystemMessage
from .text_content import TextContent as TextContent
from .text_content_param import TextContentParam as TextContentParam
from .tool_call import ToolCall as ToolCall
from .tool_call_content import ToolCallContent as ToolCallContent
from .tool_call_content_param import ToolCallContentParam as ToolCallContentParam
from .tool_call_delta import ToolCallDelta as ToolCallDelta
from .tool_call_message import ToolCallMessage as ToolCallMessage
from .tool_return import ToolReturn as ToolReturn
from .tool_return_content import ToolReturnContent as ToolReturnContent
from .tool_return_content_param import ToolReturnContentParam as ToolReturnContentParam
from .tool_return_param import ToolReturnParam as ToolReturnParam
from .user_message import UserMessage as UserMessage

# <generated>
if TYPE_CHECKING:
    from .block import Block as Block
    from .block_list_params import BlockListParams as BlockListParams
    from .block_update_params import BlockUpdateParams as BlockUpdateParams
    from .file_close_all_response import FileCloseAllResponse as FileCloseAllResponse
    from .file_list_params import FileListParams as FileListParams
    from .file_list_response import FileListResponse as FileListResponse
    from .file_open_response import FileOpenResponse as FileOpenResponse
    from .folder_list_params import FolderListParams as FolderListParams
    from .folder_list_response import FolderListResponse as FolderListResponse
    from .job_status import JobStatus as JobStatus
    from .job_type import JobType as JobType
    from .passage_create_params import PassageCreateParams as PassageCreateParams
    from .passage_create_response import PassageCreateResponse as PassageCreateResponse
    from .passage_list_params import PassageListParams as PassageListParams
    from .passage_list_response import PassageListResponse as PassageListResponse
    from .passage_search_params import PassageSearchParams as PassageSearchParams
    from .passage_search_response import PassageSearchResponse as PassageSearchResponse
    from .schedule_create_params import ScheduleCreateParams as ScheduleCreateParams
    from .schedule_create_response import ScheduleCreateResponse as ScheduleCreateResponse
    from .schedule_delete_response import ScheduleDeleteResponse as ScheduleDeleteResponse
    from .schedule_list_params import ScheduleListParams as ScheduleListParams
    from .schedule_list_response import ScheduleListResponse as ScheduleListResponse
    from .schedule_retrieve_response import ScheduleRetrieveResponse as ScheduleRetrieveResponse
    from .tool_execution_result import ToolExecutionResult as ToolExecutionResult
    from .tool_list_params import ToolListParams as ToolListParams
    from .tool_run_params import ToolRunParams as ToolRunParams
    from .tool_update_approval_params import ToolUpdateApprovalParams as ToolUpdateApprovalParams

__getattr__ = lazy_names(
    __name__,
    {
        "Block": ".block:Block",
        "BlockListParams": ".block_list_params:BlockListParams",
        "BlockUpdateParams": ".block_update_params:BlockUpdateParams",
        "FileCloseAllResponse": ".file_close_all_response:FileCloseAllResponse",
        "FileListParams": ".file_list_params:FileListParams",
        "FileListResponse": ".file_list_response:FileListResponse",
        "FileOpenResponse": ".file_open_response:FileOpenResponse",
        "FolderListParams": ".folder_list_params:FolderListParams",
        "FolderListResponse": ".folder_list_response:FolderListResponse",
        "JobStatus": ".job_status:JobStatus",
        "JobType": ".job_type:JobType",
        "PassageCreateParams": ".passage_create_params:PassageCreateParams",
        "PassageCreateResponse": ".passage_create_response:PassageCreateResponse",
        "PassageListParams": ".passage_list_params:PassageListParams",
        "PassageListResponse": ".passage_list_response:PassageListResponse",
        "PassageSearchParams": ".passage_search_params:PassageSearchParams",
        "PassageSearchResponse": ".passage_search_response:PassageSearchResponse",
        "ScheduleCreateParams": ".schedule_create_params:ScheduleCreateParams",
        "ScheduleCreateResponse": ".schedule_create_response:ScheduleCreateResponse",
        "ScheduleDeleteResponse": ".schedule_delete_response:ScheduleDeleteResponse",
        "ScheduleListParams": ".schedule_list_params:ScheduleListParams",
        "ScheduleListResponse": ".schedule_list_response:ScheduleListResponse",
        "ScheduleRetrieveResponse": ".schedule_retrieve_response:ScheduleRetrieveResponse",
        "ToolExecutionResult": ".tool_execution_result:ToolExecutionResult",
        "ToolListParams": ".tool_list_params:ToolListParams",
        "ToolRunParams": ".tool_run_params:ToolRunParams",
        "ToolUpdateApprovalParams": ".tool_update_approval_params:ToolUpdateApprovalParams",
    },
)
# </generated>
