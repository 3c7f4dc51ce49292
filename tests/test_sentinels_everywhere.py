"""``NOT_GIVEN`` and ``omit`` on every argument of every public method.

The methods are found, not listed: the test walks ``Letta`` and ``AsyncLetta`` (their own methods,
then every resource and sub-resource reached through a property, generated or hand-written), so a
method added later is covered without touching this file. Each one is called three times on a
mock transport: with only its required arguments (values made from their annotations), then with
every optional parameter — keyword parameters and the keys of its ``**kwargs`` TypedDicts, the
request options included — set to ``NOT_GIVEN``, then to ``omit``. The requests sent (method, URL,
headers, body) and the outcome's type must be the same all three times. The raw and streaming
views are left out: they call the same bound methods.
"""

from __future__ import annotations

import asyncio
import collections.abc
import inspect
import io
import json
import re
import sys
import types
import typing
from functools import cached_property
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import httpx
import pytest
import typing_extensions

from letta_client import NOT_GIVEN, AsyncLetta, Letta, omit
from letta_client._sentinels import NotGiven, Omit
from letta_client.types import params

BASE_URL = "http://letta.test"
VIEWS = {"with_raw_response", "with_streaming_response"}
NO_REQUEST = {"close"}  # ends the client; ``copy`` / ``with_options`` are compared by the settings they make
COPIES = {"copy", "with_options"}
INPUT = "hi"  # the one optional argument given in every call of a method that sends a message
GIVEN = {"client.templates.create": {"agent_id": "x-1"}}  # an argument its body's union needs with type="agent"

SSE = (
    b'data: {"message_type":"ping","id":"ping-1","date":"2025-01-01T00:00:00Z","run_id":"x-1"}\n\n'
    b'data: {"message_type":"assistant_message","id":"message-1","otid":"o-1","date":"2025-01-01T00:00:00Z",'
    b'"content":"ok","run_id":"x-1","seq_id":1}\n\n'
    b'data: {"message_type":"stop_reason","stop_reason":"end_turn","run_id":"x-1","seq_id":2}\n\n'
    b"data: [DONE]\n\n"
)
OBJECT = {"id": "x-1", "status": "completed", "messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}


# -- finding the methods -------------------------------------------------------------------------


def _methods(root: Any) -> Iterator[Tuple[str, Any]]:
    """``(path, bound method)`` for every public method of ``root`` and of the resources under it."""
    seen = {id(root)}
    pending: List[Tuple[str, Any]] = [("client", root)]
    while pending:
        path, owner = pending.pop(0)
        for name in sorted(dir(type(owner))):
            if name.startswith("_") or name in VIEWS:
                continue
            attribute = inspect.getattr_static(type(owner), name)
            if isinstance(attribute, (property, cached_property)):
                value = getattr(owner, name)
                if hasattr(value, "_transport") and id(value) not in seen:
                    seen.add(id(value))
                    pending.append((f"{path}.{name}", value))
            elif inspect.isfunction(attribute):
                yield f"{path}.{name}", getattr(owner, name)


def _paths(client_class: Any) -> List[str]:
    client = client_class(base_url=BASE_URL, api_key="sk-test")
    return [path for path, _ in _methods(client)]


SYNC_PATHS = _paths(Letta)
ASYNC_PATHS = _paths(AsyncLetta)
CASES = [("sync", path) for path in SYNC_PATHS] + [("async", path) for path in ASYNC_PATHS]


def _resolve(root: Any, path: str) -> Any:
    target = root
    for name in path.split(".")[1:]:
        target = getattr(target, name)
    return target


# -- arguments -------------------------------------------------------------------------------------


def _hint(function: Any, annotation: Any) -> Any:
    if not isinstance(annotation, str):
        return annotation
    namespace = {**vars(typing), **vars(typing_extensions), **vars(params)}
    namespace.update(vars(sys.modules[function.__module__]))
    try:
        return eval(annotation, namespace)  # an annotation of our own source
    except Exception:
        return annotation  # a name only imported for type checkers: judged by its text


def sample(hint: Any) -> Any:
    """A simple value that fits ``hint`` (a fresh one at every call)."""
    if isinstance(hint, str):  # unresolved: go by the text
        return [] if re.match(r"(Sequence|Iterable|List|SequenceNotStr)\[", hint) else "x-1"
    if hint is None or hint is type(None):
        return None
    if hint is typing.Any or hint is object:
        return "x-1"
    if hint in (str, int, float, bool, bytes):
        return {str: "x-1", int: 1, float: 1.0, bool: True, bytes: b"x"}[hint]
    origin = typing_extensions.get_origin(hint)
    args = typing_extensions.get_args(hint)
    if origin in (typing_extensions.Annotated, typing_extensions.Required, typing_extensions.NotRequired):
        return sample(args[0])
    if origin in (typing.Literal, typing_extensions.Literal):
        return args[0]
    if origin is Union or origin is getattr(types, "UnionType", None):
        options = [arg for arg in args if arg not in (type(None), NotGiven, Omit)]
        return sample(options[0]) if options else None
    if origin is type:
        return object
    if origin in (typing.IO, io.IOBase) or hint is typing.IO:
        return io.BytesIO(b"x")
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        return {}
    if origin in (list, tuple, collections.abc.Sequence, collections.abc.Iterable, set, frozenset):
        return []
    if typing_extensions.is_typeddict(hint):
        try:
            hints = typing_extensions.get_type_hints(hint, include_extras=True)
        except Exception:
            hints = {}
        required = set(hint.__required_keys__)  # and those marked Required[...] under total=False
        required |= {
            key for key, item in hints.items() if typing_extensions.get_origin(item) is typing_extensions.Required
        }
        return {key: sample(hints.get(key, "x")) for key in sorted(required)}
    if getattr(hint, "__name__", "") == "SequenceNotStr":
        return []
    return "x-1"


def _typed_kwargs(function: Any) -> List[str]:
    """The keys of the TypedDicts behind the method's ``**kwargs`` (its overloads' when the
    implementation says ``**params: Any``)."""
    keys: List[str] = []
    for variant in [function, *typing_extensions.get_overloads(function)]:
        for parameter in inspect.signature(variant).parameters.values():
            if parameter.kind is not parameter.VAR_KEYWORD:
                continue
            hint = _hint(variant, parameter.annotation)
            if typing_extensions.get_origin(hint) is typing_extensions.Unpack:
                typed = typing_extensions.get_args(hint)[0]
                keys += [key for key in sorted(typed.__required_keys__ | typed.__optional_keys__) if key not in keys]
    return keys


def arguments(method: Any, sentinel: object, path: str = "") -> Tuple[List[Any], Dict[str, Any], Dict[str, Any]]:
    """The method's required arguments (positional, keyword), and each optional one set to ``sentinel``."""
    function = inspect.unwrap(method.__func__)
    positional: List[Any] = []
    required: Dict[str, Any] = {}
    optional: Dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is not parameter.empty:
            optional[name] = sentinel
        elif parameter.kind is parameter.KEYWORD_ONLY:
            required[name] = sample(_hint(function, parameter.annotation))
        else:
            positional.append(sample(_hint(function, parameter.annotation)))
    for key in _typed_kwargs(function):
        optional.setdefault(key, sentinel)
    if "input" in optional:  # a send needs messages= or input=
        required["input"] = INPUT
    required.update(GIVEN.get(path, {}))
    for name in required:
        optional.pop(name, None)
    return positional, required, optional


# -- what was sent --------------------------------------------------------------------------------


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: "<otid>" if key == "otid" else _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


def _seen(request: httpx.Request) -> Tuple[Any, ...]:
    """A request as compared: the otids a send makes up anew and a multipart boundary left out."""
    body: Any = request.content
    content_type = request.headers.get("content-type", "")
    boundary = re.search(r"boundary=([^;]+)", content_type)
    if boundary is not None:
        body = body.replace(boundary.group(1).encode(), b"<boundary>")
        content_type = content_type.replace(boundary.group(1), "<boundary>")
    elif body:
        body = _normalised(json.loads(body))
    headers = sorted(
        (name, content_type if name == "content-type" else value)
        for name, value in request.headers.items()
        if name != "content-length"
    )
    query = sorted(request.url.params.multi_items())
    return request.method, request.url.path, query, headers, body


class Recorder:
    def __init__(self) -> None:
        self.listing = False
        self.requests: List[Tuple[Any, ...]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(_seen(request))
        if "text/event-stream" in request.headers.get("accept", ""):
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=SSE)
        return httpx.Response(200, json=[] if self.listing else OBJECT)


def _is_listing(method: Any) -> bool:
    returns = str(inspect.signature(inspect.unwrap(method.__func__)).return_annotation)
    return method.__name__ == "list" or any(word in returns for word in ("Page", "Paginator", "List["))


async def _outcome(value: Any) -> Any:
    """Await, read or iterate what a call returned, so that every request it makes is made."""
    if inspect.isawaitable(value):
        value = await value
    if hasattr(value, "__aiter__") and type(value).__name__ != "AsyncPaginator":
        async for _ in value:
            pass
    elif hasattr(value, "__iter__") and hasattr(value, "close") and not isinstance(value, (list, dict, str)):
        for _ in value:
            pass
    return value


async def _call(mode: str, path: str, sentinel: Optional[object]) -> Tuple[List[Tuple[Any, ...]], str]:
    """The requests the method sent and the type of its outcome, ``sentinel`` (or nothing) in
    every optional argument."""
    recorder = Recorder()
    if mode == "sync":
        client: Union[Letta, AsyncLetta] = Letta(
            base_url=BASE_URL, api_key="sk-test", http_client=httpx.Client(transport=httpx.MockTransport(recorder))
        )
        client._transport.sleep = lambda seconds: None  # pyright: ignore[reportPrivateUsage]
    else:
        client = AsyncLetta(
            base_url=BASE_URL,
            api_key="sk-test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        )

        async def no_sleep(seconds: float) -> None:
            await asyncio.sleep(0)

        client._transport.sleep = no_sleep  # type: ignore[assignment]  # pyright: ignore[reportPrivateUsage]
    try:
        method = _resolve(client, path)
        recorder.listing = _is_listing(method)
        positional, required, optional = arguments(method, sentinel, path)
        if path.rsplit(".", 1)[1] in COPIES:
            copied = method(*positional, **required, **({} if sentinel is None else optional))
            return [], repr(copied._options)  # pyright: ignore[reportPrivateUsage]
        try:
            outcome: object = await _outcome(method(*positional, **required, **({} if sentinel is None else optional)))
        except Exception as error:
            outcome = error
        return recorder.requests, type(outcome).__name__
    finally:
        await _close(client)


async def _close(client: Union[Letta, AsyncLetta]) -> None:
    closed = client.close()
    if inspect.isawaitable(closed):
        await closed


def test_the_walk_finds_the_resources_and_their_methods() -> None:
    for paths in (SYNC_PATHS, ASYNC_PATHS):
        assert len(paths) > 130
        for expected in (
            "client.health",
            "client.agents.messages.send",
            "client.agents.messages.run_tools",
            "client.agents.blocks.list",
            "client.conversations.messages.stream",
            "client.runs.messages.stream",
            "client.runs.wait",
            "client.models.embeddings.list",
            "client.blocks.agents.list",
        ):
            assert expected in paths


NEEDS_OVERLOADS = pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="the arguments are read from each method's overloads: typing.get_overloads needs Python 3.11 "
    "(the code under test is the same on every version; the 3.11 pass runs these)",
)


@NEEDS_OVERLOADS
@pytest.mark.parametrize(("mode", "path"), [case for case in CASES if case[1].rsplit(".", 1)[1] not in NO_REQUEST])
async def test_not_given_and_omit_are_as_if_not_passed(mode: str, path: str) -> None:
    plain = await _call(mode, path, None)
    if path.rsplit(".", 1)[1] not in COPIES:
        assert plain[0], f"{path}: the plain call sent nothing ({plain[1]}): give it better arguments"
    for sentinel in (NOT_GIVEN, omit):
        assert await _call(mode, path, sentinel) == plain, f"{path} with every optional argument {sentinel!r}"


@NEEDS_OVERLOADS
def test_each_optional_argument_is_covered() -> None:
    """The arguments the cases above set to the sentinels include the ones the issue names."""
    client = Letta(base_url=BASE_URL, api_key="sk-test")
    try:
        named: Dict[str, Sequence[str]] = {
            "client.conversations.messages.send": ("agent_id", "streaming", "stream_tokens", "background"),
            "client.conversations.messages.list": ("agent_id", "limit"),
            "client.conversations.messages.compact": ("agent_id",),
            "client.conversations.messages.stream": ("starting_after",),
            "client.runs.messages.stream": ("starting_after",),
            "client.conversations.list": ("limit",),
            "client.agents.messages.cancel": ("run_ids",),
            "client.agents.messages.send": ("stream_tokens", "timeout", "extra_headers"),
        }
        for path, names in named.items():
            _, _, optional = arguments(_resolve(client, path), NOT_GIVEN)
            assert set(names) <= set(optional), path
    finally:
        client.close()


@pytest.mark.parametrize("client_class", [Letta, AsyncLetta])
@pytest.mark.parametrize("sentinel", [NOT_GIVEN, omit])
async def test_the_constructors_leave_the_sentinels_out(client_class: Any, sentinel: object) -> None:
    given = {"base_url": BASE_URL, "api_key": "sk-test"}
    optional = {name: sentinel for name in inspect.signature(client_class).parameters if name not in given}
    assert {"timeout", "max_retries", "default_headers", "project", "max_event_size"} <= set(optional)
    plain, with_sentinels = client_class(**given), client_class(**optional, **given)
    try:
        assert repr(with_sentinels._options) == repr(plain._options)  # pyright: ignore[reportPrivateUsage]
        assert with_sentinels.api_key == plain.api_key
    finally:
        await _close(plain)
        await _close(with_sentinels)


def test_the_body_builder_counts_a_sentinel_as_not_passed() -> None:
    """Below the methods too: a streaming-only option passed as a sentinel is not a misplaced one."""
    from letta_client.resources._body import build_body
    from letta_client.types.params import MessageSendBody

    for sentinel in (NOT_GIVEN, omit):
        body, options = build_body(
            "send", {"input": "hi", "stream_tokens": sentinel, "timeout": sentinel}, MessageSendBody, streaming=False
        )
        assert body == {"input": "hi"} and options == {}
    with pytest.raises(ValueError, match="stream_tokens can only be used with streaming=True"):
        build_body("send", {"input": "hi", "stream_tokens": True}, MessageSendBody, streaming=False)
