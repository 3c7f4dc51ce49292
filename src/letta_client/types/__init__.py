"""Response models (pydantic) and request params (TypedDicts)."""

from . import agent, content, messages, params, response, run
from .agent import *  # noqa: F403
from .content import *  # noqa: F403
from .conversation import Conversation
from .conversation_cancel_params import ConversationCancelParams
from .conversation_cancel_response import ConversationCancelResponse
from .conversation_create_params import ConversationCreateParams
from .conversation_fork_params import ConversationForkParams
from .conversation_list_params import ConversationListParams
from .conversation_list_response import ConversationListResponse
from .conversation_recompile_params import ConversationRecompileParams
from .conversation_update_params import ConversationUpdateParams
from .embedding_model import EmbeddingModel
from .letta_message_content_union_param import LettaMessageContentUnionParam
from .messages import *  # noqa: F403
from .model import Model
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
__all__ += ["EmbeddingModel", "LettaMessageContentUnionParam", "Model"]
__all__ += [
    "Conversation",
    "ConversationCancelParams",
    "ConversationCancelResponse",
    "ConversationCreateParams",
    "ConversationForkParams",
    "ConversationListParams",
    "ConversationListResponse",
    "ConversationRecompileParams",
    "ConversationUpdateParams",
]
