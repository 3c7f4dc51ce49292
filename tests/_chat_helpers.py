"""The terminal chat's test helpers: a run as a subprocess with a clean environment, and a
session on a pseudo-terminal."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0


def chat_env(**overrides: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_") and k != "NO_COLOR"}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(overrides)
    return env


def chat(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "letta_client", "chat", *args],
        env=chat_env(**env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
    )


class Terminal:
    """A child process on a pseudo-terminal; ``expect`` reads until a text shows up."""

    def __init__(self, env: Dict[str, str]) -> None:
        import pty

        pid, fd = pty.fork()
        if pid == 0:  # the child: its stdin/stdout/stderr are the pty, which is its controlling tty
            # as a shell does for a foreground job: Ctrl-C interrupts it, even when this test run
            # was started as a background job (which ignores SIGINT, and exec keeps that)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execve(sys.executable, [sys.executable, "-m", "letta_client", "chat"], env)
        self.pid, self.fd = pid, fd
        self.output = ""
        self.seen = 0
        """Where the last ``expect`` match ended."""

    def expect(self, text: str, timeout: float = TIMEOUT) -> str:
        """Read until ``text`` shows up after the last match; returns what came up to its end."""
        start = self.seen
        while text not in self.output[start:]:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                raise AssertionError(f"timed out waiting for {text!r}; got {self.output[start:]!r}")
            try:
                data = os.read(self.fd, 4096)
            except OSError:  # the child exited
                data = b""
            if not data:
                raise AssertionError(f"the chat exited before {text!r}; got {self.output[start:]!r}")
            self.output += data.decode("utf-8", "replace")
        self.seen = self.output.index(text, start) + len(text)
        return self.output[start : self.seen]

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
