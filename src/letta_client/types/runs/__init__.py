"""``letta_client.types.runs``, the official SDK's package: names for this SDK's types."""

from .._support import lazy_names
from .message_list_params import MessageListParams as MessageListParams
from .message_stream_params import MessageStreamParams as MessageStreamParams
from .step_list_params import StepListParams as StepListParams
from .trace_retrieve_params import TraceRetrieveParams as TraceRetrieveParams
from .trace_retrieve_response import TraceRetrieveResponse as TraceRetrieveResponse
from .usage_retrieve_response import UsageRetrieveResponse as UsageRetrieveResponse

# <generated>
__getattr__ = lazy_names(__name__, {})
# </generated>
