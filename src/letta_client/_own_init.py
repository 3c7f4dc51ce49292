"""Imported first by the public modules that only ``letta-client-typed`` ships (``letta_client.testing``,
``letta_client.tools``, ``python -m letta_client``): when the official ``letta-client`` was installed
after ours and its ``__init__.py`` replaced ours, this import raises an ``ImportError`` that says so
and gives the fix. See ``_coexistence``."""

from ._coexistence import require_own_init

require_own_init()
