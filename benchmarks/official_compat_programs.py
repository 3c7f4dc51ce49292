"""Run the compatibility programs (``tests/compat/programs/``) with the *official* SDK.

    python -m benchmarks.official_compat_programs            # against the simulator on 127.0.0.1
    python -m benchmarks.official_compat_programs --live     # against scripts/live-server's server
    python -m benchmarks.official_compat_programs --base-url http://127.0.0.1:8283

This shows that the programs are genuine official-SDK code: each runs as ``python PROGRAM.py``
in the official ``letta-client`` venv (``benchmarks._official``), where ``letta_client`` is the
official package and this project's ``src/`` is not on the path. ``--live`` reads the server's
URL as the live tests do and creates agents on its scripted model. Prints one line per program
and exits 1 if any failed. Not part of CI.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = sorted(path for path in (ROOT / "tests" / "compat" / "programs").glob("*.py") if not path.name[0] == "_")
LIVE_MODEL = {"LETTA_MODEL": "openai-proxy/fake-gpt", "LETTA_EMBEDDING": "openai/text-embedding-3-small"}


def _live_url() -> str:
    url = os.environ.get("LETTA_LIVE_URL")
    cache = os.environ.get("LETTA_LIVE_CACHE") or str(Path.home() / ".cache" / "letta-client-live")
    state = Path(cache, "live-server.env")
    if not url and state.exists():
        for line in state.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "LETTA_LIVE_URL":
                url = value.strip()
    if not url:
        raise SystemExit("no live server: run scripts/live-server start (or give --base-url)")
    return url


@contextlib.contextmanager
def _server(args: argparse.Namespace) -> Iterator[Dict[str, str]]:
    """The environment that points a program at the chosen server."""
    if args.base_url or args.live:
        env = {"LETTA_BASE_URL": args.base_url or _live_url(), **(LIVE_MODEL if args.live else {})}
        yield env
        return
    sys.path.insert(0, str(ROOT / "src"))
    from letta_client.testing import Simulator

    simulator = Simulator(api_key="sk-official-compat")
    with simulator.serve() as base_url:
        yield {"LETTA_BASE_URL": base_url, "LETTA_API_KEY": "sk-official-compat"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--live", action="store_true", help="the server of scripts/live-server")
    parser.add_argument("--base-url", help="any Letta server (agents are created with LETTA_MODEL)")
    args = parser.parse_args()

    from benchmarks._official import official_python

    python = official_python()
    failed: List[str] = []
    with _server(args) as server_env:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("LETTA_", "PYTHON"))}
        env.update(server_env)
        print(f"official SDK: {python}\nserver: {server_env['LETTA_BASE_URL']}")
        for program in PROGRAMS:
            result = subprocess.run(
                [python, str(program)], env=env, capture_output=True, text=True, timeout=300, cwd=program.parent
            )
            ok = result.returncode == 0
            print(f"{'ok  ' if ok else 'FAIL'} {program.stem}")
            if not ok:
                failed.append(program.stem)
                print("    " + "\n    ".join((result.stderr or result.stdout).strip().splitlines()[-8:]))
    print(f"{len(PROGRAMS) - len(failed)}/{len(PROGRAMS)} programs ran with the official SDK")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
