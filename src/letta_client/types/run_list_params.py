"""``letta_client.types.run_list_params``, the official SDK's module path: names for this SDK's types."""

from .run import RunListParams

__all__ = ["RunListParams"]
