"""What to do next: the sentences an error message or a warning adds so that it says how to fix it.

Pure functions of a URL, a request path or an error body (no I/O, no SDK imports): the transport,
the exception factory and the client call them. None of them ever shows a credential: URLs reach
here without their userinfo (the client moves it into Basic auth), and headers are never read.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings
from typing import Optional
from urllib.parse import unquote

import httpx

__all__ = [
    "address",
    "cloud_without_key",
    "delivered",
    "pending_approval",
    "run_goes_on",
    "running_turn",
    "unreachable",
    "wrong_path",
]

CLOUD_HOST = "api.letta.com"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SEND_PATH = re.compile(r"/v1/(agents|conversations)/([^/]+)/messages(?:/stream)?$")
_ANY_SEND_PATH = re.compile(r"/v1/(agents|conversations)/([^/]+)/messages(?:/stream|/async)?$")
_ROUTE_NOT_FOUND = {"detail": "Not Found"}  # the server's (FastAPI's) answer for a path with no route


def address(url: httpx.URL) -> str:
    """``host:port`` of a URL, the port spelled out even when it is the scheme's default."""
    port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{port}"


def unreachable(url: httpx.URL) -> str:
    """After a failed connection: which server was tried, and where its address comes from."""
    return (
        f" Is a Letta server running at {address(url)}? The address comes from base_url "
        "(or $LETTA_BASE_URL); a local server listens on http://localhost:8283 by default."
    )


def running_turn(method: str, path: str) -> str:
    """After a message send timed out: the turn may still be running, and how to find it."""
    match = _SEND_PATH.search(path) if method == "POST" else None
    if match is None:
        return ""
    kind, raw_id = match.groups()
    owner = unquote(raw_id)
    if kind == "agents":
        find = f"client.runs.list(agent_id={owner!r}, active=True)"
    elif owner != "default":
        find = f"client.runs.list(conversation_id={owner!r}, active=True)"
    else:
        find = "client.runs.list(agent_id=..., active=True)"
    return (
        " The turn may still be running on the server: a client timeout only stops waiting, it does not "
        f"stop the run. Find it with {find}, then wait for its answer with "
        "client.runs.wait(run_id, response=True) (or cancel it); pass a larger timeout= to wait longer."
    )


def run_goes_on(run_id: Optional[str]) -> str:
    """After a stream of a known run broke off: the run is not stopped by that, and how to finish it."""
    if run_id is None:
        return ""
    return (
        " The run goes on on the server (a broken or timed-out stream does not stop it): wait for its "
        f"answer with client.runs.wait({run_id!r}, response=True), or cancel it."
    )


def pending_approval(path: str) -> str:
    """After a send was refused because the agent waits for an approval (409 ``PENDING_APPROVAL``,
    or the error frame that says so): how to unblock it, for the agent or conversation of ``path``."""
    match = _ANY_SEND_PATH.search(path)
    if match is None:
        return ""
    kind, raw_id = match.groups()
    owner = unquote(raw_id)
    if kind == "agents":
        resolve = f"client.agents.messages.resolve_pending_approvals({owner!r})"
        cancel = f"client.agents.messages.cancel({owner!r})"
    else:
        agent = ", agent_id=..." if owner == "default" else ""
        resolve = f"client.conversations.messages.resolve_pending_approvals({owner!r}{agent})"
        cancel = f"client.conversations.cancel({owner!r}{agent})"
    return (
        "The agent is waiting for the answer to a tool call it asked approval for, so it refuses new "
        f"messages until that is answered: call {resolve} (decide=... approves or denies each call; "
        f"by default each is denied), or cancel the run with {cancel}, which denies the calls; then "
        "send the message again."
    )


def delivered(messages: int) -> str:
    """What a stream had handed over before it failed, for a ``ResumeError``'s message."""
    if messages == 0:
        return "nothing had been delivered"
    return f"{messages} message(s) had been delivered (error.partial_response holds them)"


def wrong_path(path: str, body: object) -> str:
    """After a 404: a hint when the path itself looks wrong (a base URL ending in ``/v1``...)."""
    if "/v1/v1/" in path:
        return (
            "The path repeats /v1: base_url must be the server's root URL (the SDK adds /v1/ itself). "
            "Remove the trailing /v1 from base_url (or $LETTA_BASE_URL)."
        )
    if body != _ROUTE_NOT_FOUND:
        return ""
    prefix = path[: path.find("/v1/")] if "/v1/" in path else ""
    if prefix:
        return (
            f"The server has no route for this path, and base_url has the path {prefix!r}: unless the "
            "server is mounted there, use its root URL (for example http://localhost:8283)."
        )
    return (
        "The server has no route for this path: check that base_url is a Letta server's root URL and "
        "that this server's version has this endpoint."
    )


_cloud_warned = False


def cloud_without_key(url: httpx.URL, *, credentials: bool) -> None:
    """Warn (once per process) that Letta Cloud is about to be called without any credentials."""
    global _cloud_warned
    if _cloud_warned or credentials or url.host != CLOUD_HOST:
        return
    _cloud_warned = True
    warnings.warn(
        "The client calls Letta Cloud (https://api.letta.com) without an API key, so every request will "
        "fail with 401. Set LETTA_API_KEY (or pass api_key=...), or point it at your own server with "
        "LETTA_BASE_URL (or base_url=..., e.g. http://localhost:8283).",
        UserWarning,
        stacklevel=_caller_level(),
    )


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside this package, seen from the function that
    calls ``warnings.warn``: the warning points at the caller's line, however many of the SDK's
    frames (wrappers included) lie between."""
    frame = inspect.currentframe()
    frame = frame.f_back if frame is not None else None  # the function that warns: level 1
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE + os.sep):
        frame = frame.f_back
        level += 1
    return level
