"""Run a compatibility program in this process, as ``python PROGRAM.py`` would.

The programs read the server from ``LETTA_BASE_URL`` (and ``LETTA_API_KEY``, ``LETTA_MODEL``,
``LETTA_EMBEDDING``); the caller sets those and puts this folder on ``sys.path`` (a script's
own folder is on it when run directly).
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from pathlib import Path
from typing import List

HERE = Path(__file__).resolve().parent
PROGRAMS: List[Path] = sorted(path for path in HERE.glob("*.py") if not path.name.startswith("_"))


def run_program(path: Path) -> None:
    """Import the program and call its ``main()`` (run with ``asyncio.run`` when it is async)."""
    spec = importlib.util.spec_from_file_location(f"compat_program_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main()
    if inspect.iscoroutine(result):
        asyncio.run(result)
