"""Start ``_sse_server`` in a subprocess (our interpreter) and stop it again."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def sse_server(mode: str, events: int, pause_ms: float = 0.0) -> Iterator[str]:
    """The server's base URL while the block runs."""
    args = [sys.executable, "-m", "benchmarks._sse_server", mode, str(events), str(pause_ms)]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
