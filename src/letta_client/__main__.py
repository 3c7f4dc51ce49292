"""``python -m letta_client chat [--agent AGENT_ID] [MESSAGE]``: see ``letta_client._chat``;
``python -m letta_client web [--port 8000]``: see ``letta_client.web._demo``."""

from __future__ import annotations

import sys
from typing import Optional, Sequence

# first: a clear ImportError when the official letta-client replaced our __init__ (see _coexistence)
from . import _own_init as _own_init

_USAGE = (
    "usage: python -m letta_client chat [--agent AGENT_ID] [--conversation ID] [--no-tokens] [MESSAGE ...]\n"
    "       python -m letta_client web [--port 8000] [--host 127.0.0.1] [--agent AGENT_ID]\n"
    "(python -m letta_client chat --help, python -m letta_client web --help say more)\n"
)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(_USAGE)
        return 0 if args else 2
    if args[0] == "web":
        try:
            from .web._demo import main as web
        except ImportError as error:  # the web extra (starlette, uvicorn) is not installed
            sys.stderr.write(f"error: {error}; install the web extra: pip install 'letta-client-typed[web]'\n")
            return 2
        return web(args[1:])
    if args[0] != "chat":
        sys.stderr.write(f"unknown command {args[0]!r}\n{_USAGE}")
        return 2
    from ._chat import main as chat

    return chat(args[1:], prog="python -m letta_client chat")


if __name__ == "__main__":
    sys.exit(main())
