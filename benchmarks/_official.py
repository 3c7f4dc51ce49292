"""A venv with the official ``letta-client`` from the package index, for side-by-side runs.

It lives in a cache directory (``$LETTA_BENCH_CACHE``, default ``~/.cache/letta-client-bench``),
never in this project's environment: the official SDK is a benchmark reference, not a dependency.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OFFICIAL_VERSION = "1.12.1"


def official_python() -> str:
    cache = Path(os.environ.get("LETTA_BENCH_CACHE", Path.home() / ".cache" / "letta-client-bench"))
    venv = cache / f"official-{OFFICIAL_VERSION}"
    python = venv / "bin" / "python"
    stamp = venv / ".installed-with-aiohttp"  # its aiohttp extra too, for the concurrency benchmark
    if not stamp.exists():
        print(f"setting up the official letta-client {OFFICIAL_VERSION} in {venv} …", file=sys.stderr)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        requirement = f"letta-client[aiohttp]=={OFFICIAL_VERSION}"
        subprocess.run([str(python), "-m", "pip", "install", "-q", requirement, "httpx-sse"], check=True)
        stamp.touch()
    return str(python)
