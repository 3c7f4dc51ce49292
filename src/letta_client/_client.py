"""``Letta`` and ``AsyncLetta``: configuration, the connection pool, and the resources."""

from __future__ import annotations

import importlib
import os
from functools import cached_property
from typing import TYPE_CHECKING, Any, Dict, Generic, Literal, Mapping, Optional, Tuple, TypeVar, Union
from urllib.parse import quote

import httpx
from typing_extensions import Self, Unpack

from ._advice import cloud_without_key
from ._http_clients import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._logs import setup_logging
from ._loop_thread import LoopThread
from ._response import parse_json
from ._sentinels import NOT_GIVEN, NotGiven, leaves_out_sentinels
from ._sse import DEFAULT_MAX_EVENT_SIZE
from ._transport import (
    DEFAULT_TIMEOUT,
    AsyncTransport,
    ClientOptions,
    SyncTransport,
    as_timeout,
    clean_headers,
    header_value,
)
from .resources._generated.client import AsyncClientEndpoints, ClientEndpoints
from .resources._generic import AsyncGenericRequests, GenericRequests

if TYPE_CHECKING:  # the resources (and the pydantic models) load on first use
    from .resources.agents import Agents, AsyncAgents
    from .resources.conversations import AsyncConversations, Conversations
    from .resources.models import AsyncModels, Models
    from .resources.runs import AsyncRuns, Runs
    from .types.health_response import HealthResponse
    from .types.params import RequestOptions

__all__ = ["ENVIRONMENTS", "AsyncLetta", "Letta"]

ENVIRONMENTS: Dict[str, str] = {"cloud": "https://api.letta.com", "local": "http://localhost:8283"}

_NOT_GIVEN: Any = NOT_GIVEN  # an argument left out (also what the official SDK's code passes)
HEALTH = "/v1/health/"


def _resolve_base_url(base_url: Union[str, httpx.URL, None], environment: Optional[str]) -> httpx.URL:
    """As the official SDK does: a ``base_url`` argument wins; else ``environment`` (which may not be
    combined with ``$LETTA_BASE_URL`` unless ``base_url=None`` is passed); else
    ``$LETTA_BASE_URL``; else Letta Cloud."""
    from_env = os.environ.get("LETTA_BASE_URL")
    if base_url is not _NOT_GIVEN and base_url is not None:
        return httpx.URL(str(base_url))
    if environment is not None:
        if from_env and base_url is _NOT_GIVEN:
            raise ValueError(
                "Ambiguous URL: both $LETTA_BASE_URL and environment= are given. Pass base_url=None "
                "to use the environment, or leave environment out to use $LETTA_BASE_URL."
            )
        if environment not in ENVIRONMENTS:
            raise ValueError(f"environment must be one of {sorted(ENVIRONMENTS)}, not {environment!r}")
        return httpx.URL(ENVIRONMENTS[environment])
    return httpx.URL(from_env or ENVIRONMENTS["cloud"])


def _resolve_options(
    *,
    api_key: Optional[str],
    base_url: Union[str, httpx.URL, None],
    environment: Optional[str],
    timeout: Union[float, httpx.Timeout, None],
    max_retries: int,
    default_headers: Optional[Mapping[str, str]],
    default_query: Optional[Mapping[str, object]],
    project: Optional[str],
    project_id: Optional[str],
    max_event_size: int,
) -> ClientOptions:
    url = _resolve_base_url(base_url, environment)
    if api_key is None:
        api_key = _clean_api_key(os.environ.get("LETTA_API_KEY") or None, "api_key (from $LETTA_API_KEY)")
    else:
        api_key = _clean_api_key(api_key, "api_key")
    basic_auth: Optional[Tuple[str, str]] = None
    if url.userinfo:
        # credentials in the URL are sent as HTTP Basic auth, and kept out of the URL (and so out
        # of every repr and log line); they cannot be combined with a Bearer api_key
        if api_key is not None:
            raise ValueError(
                "base_url contains credentials (user:password@) and an api_key is also set: choose one "
                "(Bearer api_key, or HTTP Basic auth from the URL)."
            )
        basic_auth = (url.username, url.password)
        url = url.copy_with(userinfo=b"")
    if max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative int, not {max_retries!r}")
    if type(max_event_size) is not int or max_event_size < 1:
        raise ValueError(f"max_event_size must be a positive int (bytes), not {max_event_size!r}")
    if url.scheme not in ("http", "https") or not url.host:
        problem = "has no host" if url.scheme in ("http", "https") else "does not start with http:// or https://"
        raise ValueError(
            f"base_url must be an http(s) URL such as http://localhost:8283; the one given {problem} "
            "(it is not shown: it may hold credentials)."
        )
    header_names = {name.lower() for name in default_headers or {}}
    cloud_without_key(url, credentials=bool(api_key or basic_auth or "authorization" in header_names))
    setup_logging()
    return ClientOptions(
        base_url=url,
        api_key=api_key,
        basic_auth=basic_auth,
        timeout=as_timeout(timeout) if timeout is not _NOT_GIVEN else DEFAULT_TIMEOUT,
        max_retries=max_retries,
        default_headers=clean_headers(default_headers or {}, "default_headers"),
        default_query=dict(default_query or {}),
        project=None if project is None else header_value(project, "project"),
        project_id=None if project_id is None else header_value(project_id, "project_id"),
        max_event_size=max_event_size,
    )


def _clean_api_key(api_key: Optional[str], argument: str) -> Optional[str]:
    """The key as sent after ``Bearer``: checked like every header value (``header_value``: the
    whitespace around it removed, a space inside kept, a control character refused without
    showing the key); a key that is empty after that counts as none."""
    if api_key is None:
        return None
    return header_value(api_key, argument) or None


_HttpClient = TypeVar("_HttpClient", httpx.Client, httpx.AsyncClient)


@leaves_out_sentinels
class _ClientBase(Generic[_HttpClient]):
    """Configuration shared by ``Letta`` and ``AsyncLetta``.

    ``api_key`` defaults to ``$LETTA_API_KEY``; ``base_url`` to ``$LETTA_BASE_URL``, else Letta
    Cloud (or pick ``environment="cloud"|"local"``; a ``base_url`` argument wins over it). ``timeout`` defaults to 60 s (5 s to
    connect). ``max_retries`` (default 2) follows the policy in ``letta_client._retry``: a
    message send is never replayed once the server may have started on it. ``http_client`` is
    yours to configure (proxies, transports) and is not closed by the client. A stream event may
    not grow past ``max_event_size`` bytes (default 16 MiB; ``EventTooLargeError`` past it).
    """

    _options: ClientOptions
    _http_client: _HttpClient
    _owns_http_client: bool

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        base_url: Union[str, httpx.URL, None] = _NOT_GIVEN,
        environment: Optional[Literal["cloud", "local"]] = None,
        timeout: Union[float, httpx.Timeout, None] = _NOT_GIVEN,
        max_retries: int = 2,
        default_headers: Optional[Mapping[str, str]] = None,
        default_query: Optional[Mapping[str, object]] = None,
        http_client: Optional[_HttpClient] = None,
        project: Optional[str] = None,
        project_id: Optional[str] = None,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        options = _resolve_options(
            api_key=api_key,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            project=project,
            project_id=project_id,
            max_event_size=max_event_size,
        )
        self._owns_http_client = http_client is None
        self._init(options, http_client if http_client is not None else self._new_http_client())

    def _new_http_client(self) -> _HttpClient:
        raise NotImplementedError

    def _init(self, options: ClientOptions, http_client: _HttpClient) -> None:
        self._options = options
        self._http_client = http_client

    def copy(
        self,
        *,
        api_key: Optional[str] = None,
        project_id: Optional[str] = None,
        project: Optional[str] = None,
        environment: Optional[Literal["cloud", "local"]] = None,
        base_url: Union[str, httpx.URL, None] = None,
        timeout: Union[float, httpx.Timeout, NotGiven, None] = NOT_GIVEN,
        http_client: Optional[_HttpClient] = None,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        default_headers: Optional[Mapping[str, str]] = None,
        set_default_headers: Optional[Mapping[str, str]] = None,
        default_query: Optional[Mapping[str, object]] = None,
        set_default_query: Optional[Mapping[str, object]] = None,
        max_event_size: Union[int, NotGiven] = NOT_GIVEN,
        _extra_kwargs: Mapping[str, Any] = {},
    ) -> Self:
        """A new client with this one's settings, some changed; it shares this client's connection
        pool unless ``http_client`` is given. ``default_headers`` / ``default_query`` are merged
        into this client's, ``set_default_headers`` / ``set_default_query`` replace them (one or
        the other); ``environment`` or ``base_url`` points the copy elsewhere. ``with_options`` is
        the same method."""
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("The `default_headers` and `set_default_headers` arguments are mutually exclusive")
        if default_query is not None and set_default_query is not None:
            raise ValueError("The `default_query` and `set_default_query` arguments are mutually exclusive")
        options = self._options
        headers = set_default_headers if set_default_headers is not None else options.default_headers
        if default_headers is not None:
            headers = {**options.default_headers, **default_headers}
        query = set_default_query if set_default_query is not None else options.default_query
        if default_query is not None:
            query = {**options.default_query, **default_query}
        copied = _resolve_options(
            api_key=api_key if api_key is not None else options.api_key,
            base_url=base_url if base_url is not None or environment is not None else _with_credentials(options),
            environment=environment,
            timeout=options.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=options.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            default_headers=headers,
            default_query=query,
            project=project if project is not None else options.project,
            project_id=project_id if project_id is not None else options.project_id,
            max_event_size=options.max_event_size if isinstance(max_event_size, NotGiven) else max_event_size,
        )
        client = object.__new__(type(self))
        client._owns_http_client = False  # the pool is this client's, or the caller's
        client._init(copied, http_client if http_client is not None else self._http_client)
        self._share_with(client)
        return client

    with_options = copy

    def _share_with(self, copy: Any) -> None:
        """What a copy shares with this client besides the connection pool."""

    @property
    def base_url(self) -> httpx.URL:
        return self._options.base_url

    @property
    def api_key(self) -> Optional[str]:
        return self._options.api_key

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    def __repr__(self) -> str:
        key = "set" if self._options.api_key else "none"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key=<{key}>, max_retries={self.max_retries})"
        )


@leaves_out_sentinels
class Letta(_ClientBase[httpx.Client], ClientEndpoints, GenericRequests):
    __doc__ = "The synchronous client.\n" + (_ClientBase.__doc__ or "")

    def _new_http_client(self) -> httpx.Client:
        return DefaultHttpxClient()

    def _init(self, options: ClientOptions, http_client: httpx.Client) -> None:
        super()._init(options, http_client)
        self._transport = SyncTransport(options, http_client)
        self._tool_loop = LoopThread()  # runs async client tools; its thread starts on first need
        self._owns_tool_loop = True

    def _share_with(self, copy: Any) -> None:
        copy._tool_loop, copy._owns_tool_loop = self._tool_loop, False  # shared; this client closes it

    @cached_property
    def agents(self) -> Agents:
        from .resources.agents import Agents

        return Agents(self._transport, self._tool_loop)

    @cached_property
    def conversations(self) -> Conversations:
        from .resources.conversations import Conversations

        return Conversations(self._transport, self._tool_loop)

    @cached_property
    def models(self) -> Models:
        from .resources.models import Models

        return Models(self._transport)

    @cached_property
    def runs(self) -> Runs:
        from .resources.runs import Runs

        return Runs(self._transport)

    def health(self, **options: Unpack[RequestOptions]) -> HealthResponse:
        """``GET /v1/health/``: whether the server answers, and its version."""
        from .types.health_response import HealthResponse

        response = self._transport.request("GET", HEALTH, options=options, idempotent=True)
        return parse_json(response, HealthResponse)

    def close(self) -> None:
        """Close the connection pool (only if this client created it), and stop the event loop
        that runs async tools (a copy made by ``with_options`` shares this client's)."""
        if self._owns_http_client:
            self._http_client.close()
        if self._owns_tool_loop:
            self._tool_loop.close()

    def __enter__(self) -> Letta:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@leaves_out_sentinels
class AsyncLetta(_ClientBase[httpx.AsyncClient], AsyncClientEndpoints, AsyncGenericRequests):
    __doc__ = "The asynchronous client.\n" + (_ClientBase.__doc__ or "")

    def _new_http_client(self) -> httpx.AsyncClient:
        return DefaultAsyncHttpxClient()

    def _init(self, options: ClientOptions, http_client: httpx.AsyncClient) -> None:
        super()._init(options, http_client)
        self._transport = AsyncTransport(options, http_client)
        _import_before_the_loop_needs_it()

    @cached_property
    def agents(self) -> AsyncAgents:
        from .resources.agents import AsyncAgents

        return AsyncAgents(self._transport)

    @cached_property
    def conversations(self) -> AsyncConversations:
        from .resources.conversations import AsyncConversations

        return AsyncConversations(self._transport)

    @cached_property
    def models(self) -> AsyncModels:
        from .resources.models import AsyncModels

        return AsyncModels(self._transport)

    @cached_property
    def runs(self) -> AsyncRuns:
        from .resources.runs import AsyncRuns

        return AsyncRuns(self._transport)

    async def health(self, **options: Unpack[RequestOptions]) -> HealthResponse:
        """See ``Letta.health``."""
        from .types.health_response import HealthResponse

        response = await self._transport.request("GET", HEALTH, options=options, idempotent=True)
        return parse_json(response, HealthResponse)

    async def close(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncLetta:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _import_before_the_loop_needs_it() -> None:
    """Do now what the first call of an ``AsyncLetta`` would do synchronously: import the
    resources and the models, build the request-body validators (together about 0.2 s), and
    import the asyncio backends httpcore and anyio load on the first connection. Inside a call
    that would block the event loop; at construction it happens once, before any request is in
    flight, and costs nothing for the next clients."""
    from .resources._body import prepare
    from .types.params import AsyncSendBody, MessageSendBody, StreamingSendBody

    importlib.import_module("sniffio")  # httpcore imports it at every lock it sets up
    importlib.import_module("letta_client.resources.agents")
    importlib.import_module("letta_client.resources.models")
    importlib.import_module("letta_client.resources.runs")
    prepare(MessageSendBody, StreamingSendBody, AsyncSendBody)
    for name in ("httpcore._backends.anyio", "anyio._backends._asyncio"):
        try:
            importlib.import_module(name)
        except ImportError:  # another layout of these libraries: they import what they need themselves
            pass


def _with_credentials(options: ClientOptions) -> httpx.URL:
    """The base URL with the Basic auth credentials it was given with (for ``with_options``)."""
    if options.basic_auth is None:
        return options.base_url
    username, password = options.basic_auth
    userinfo = f"{quote(username, safe='')}:{quote(password, safe='')}"
    return options.base_url.copy_with(userinfo=userinfo.encode("ascii"))
