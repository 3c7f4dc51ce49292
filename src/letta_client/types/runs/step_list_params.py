"""``letta_client.types.runs.step_list_params``, the official SDK's module path: names for this SDK's types."""

from ..run import StepListParams

__all__ = ["StepListParams"]
