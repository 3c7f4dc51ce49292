"""``letta_client.types`` and ``letta_client.pagination`` are attributes of the package, as on the
official SDK, loaded on first use (``import letta_client`` stays cheap)."""

from __future__ import annotations

import subprocess
import sys


def test_submodules_are_attributes_loaded_on_first_use() -> None:
    code = (
        "import sys, letta_client\n"
        "assert 'letta_client.types' not in sys.modules and 'letta_client.pagination' not in sys.modules\n"
        "assert letta_client.types.AgentState.__name__ == 'AgentState'\n"
        "assert letta_client.pagination.SyncArrayPage.__name__ == 'SyncArrayPage'\n"
        "assert letta_client.resources.__name__ == 'letta_client.resources'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr
