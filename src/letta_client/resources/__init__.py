"""The resource layer: one class per API area, sync and async."""
